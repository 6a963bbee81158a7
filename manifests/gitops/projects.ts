/**
 * The scope of the two Argo CD projects, derived (never listed by hand): `platform` may write
 * exactly into the namespaces the add-ons use and create exactly the cluster-scoped kinds they
 * contain; `apps` (the users' folder) may write anywhere else and creates no cluster-scoped object.
 */
import { ApiObject, type Chart } from 'cdk8s';
import type { Platform } from '../platform';
import { chartFootprint, type GroupKind } from './chart-footprint';

/** Namespaces no project but the platform's may write into, whatever the add-ons (Kubernetes' own). */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

export interface PlatformScope {
  /** Every namespace a platform object or chart writes into, sorted. */
  readonly namespaces: readonly string[];
  /** Every cluster-scoped kind among synth's objects and the charts' footprints, sorted by group then kind. */
  readonly clusterKinds: readonly GroupKind[];
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Namespaced objects synth renders carry their namespace; an object without one is cluster-scoped. */
export function platformScope(platform: Platform, charts: readonly Chart[]): PlatformScope {
  const namespaces = new Set<string>();
  const kinds = new Map<string, GroupKind>();
  const addKind = (k: GroupKind) => kinds.set(`${k.group}/${k.kind}`, { group: k.group, kind: k.kind });
  for (const chart of charts) {
    for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      const ns = obj.metadata.namespace;
      if (ns) namespaces.add(ns);
      else addKind({ group: groupOf(obj.apiVersion), kind: obj.kind });
    }
  }
  for (const { release } of platform.releases) {
    const footprint = chartFootprint(release.chart.chart, release.values);
    namespaces.add(release.namespace);
    for (const ns of footprint.namespaces) namespaces.add(ns);
    footprint.clusterKinds.forEach(addKind);
  }
  // Plain manifests from Git (the Gateway API CRDs): cluster-scoped definitions.
  if (platform.gitManifests.length > 0) addKind({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' });
  return {
    namespaces: [...namespaces].sort(),
    clusterKinds: [...kinds.values()].sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind)),
  };
}

/** Namespaces the users' folder may not write into: the platform's (tenants' excepted) and Kubernetes' own. */
export function appsDeniedNamespaces(platform: Platform, scope: PlatformScope): readonly string[] {
  const tenants = new Set(platform.model.tenants.map((t) => t.name));
  return [...new Set([...scope.namespaces.filter((ns) => !tenants.has(ns)), ...SYSTEM_NAMESPACES])].sort();
}
