/**
 * What each chart's templates create outside its release namespace: the cluster-scoped kinds and
 * any other namespace. Argo CD renders the charts itself (synth never sees their objects), so this
 * declaration per chart is the one source of the platform AppProject's cluster-resource whitelist
 * and destinations, together with the objects synth renders (gitops/projects.ts).
 */
export interface GroupKind {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
}

export interface ChartFootprint {
  /** Cluster-scoped kinds the chart's templates (and its CRD folder) create. */
  readonly clusterKinds: readonly GroupKind[];
  /**
   * Namespaces besides the release's own that the chart writes objects into whatever the values
   * (those a `namespaceOverride` value chooses are added by chartFootprint).
   * @default []
   */
  readonly namespaces?: readonly string[];
  /**
   * Cluster-scoped kinds the chart creates only with some values (the release's values decide).
   * @default []
   */
  readonly optionalKinds?: readonly { readonly kind: GroupKind; readonly when: (values: Readonly<Record<string, unknown>>) => boolean }[];
}

const RBAC: readonly GroupKind[] = [
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];
const CRD: GroupKind = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' };
const VALIDATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' };
const MUTATING_WEBHOOK: GroupKind = { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' };
const INGRESS_CLASS: GroupKind = { group: 'networking.k8s.io', kind: 'IngressClass' };
const STORAGE_CLASS: GroupKind = { group: 'storage.k8s.io', kind: 'StorageClass' };

function isEnabled(section: unknown): boolean {
  return typeof section === 'object' && section !== null && (section as { enabled?: unknown }).enabled === true;
}

/** By chart name (spec/versions.ts CHART_PINS). A chart missing here fails the build. */
export const CHART_FOOTPRINTS: Readonly<Record<string, ChartFootprint>> = {
  // CRDs are created by the operator at run time, not by the chart; the GatewayClass with the Gateway API option.
  cilium: {
    clusterKinds: RBAC,
    optionalKinds: [{ kind: { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' }, when: (v) => isEnabled(v.gatewayAPI) }],
  },
  metallb: { clusterKinds: [...RBAC, CRD, VALIDATING_WEBHOOK] },
  'cert-manager': { clusterKinds: [...RBAC, CRD, VALIDATING_WEBHOOK, MUTATING_WEBHOOK] },
  'nginx-ingress': { clusterKinds: [...RBAC, CRD, INGRESS_CLASS] },
  'ingress-nginx': { clusterKinds: [...RBAC, INGRESS_CLASS, VALIDATING_WEBHOOK] },
  // The Services kube-prometheus-stack adds for scraping the control plane and CoreDNS live in kube-system.
  'kube-prometheus-stack': { clusterKinds: [...RBAC, CRD, VALIDATING_WEBHOOK, MUTATING_WEBHOOK], namespaces: ['kube-system'] },
  loki: { clusterKinds: RBAC },
  alloy: { clusterKinds: RBAC },
  harbor: { clusterKinds: [] },
  'local-path-provisioner': { clusterKinds: [...RBAC, STORAGE_CLASS] },
  'csi-driver-nfs': { clusterKinds: [...RBAC, STORAGE_CLASS, { group: 'storage.k8s.io', kind: 'CSIDriver' }] },
  velero: { clusterKinds: [...RBAC, CRD] },
  'argo-cd': { clusterKinds: [...RBAC, CRD] },
  'metrics-server': { clusterKinds: [...RBAC, { group: 'apiregistration.k8s.io', kind: 'APIService' }] },
};

/**
 * The namespaces the values move a chart's or a subchart's objects to: the charts' common
 * `namespaceOverride` key, at the top level or in a subchart's section (e.g. kube-prometheus-stack's
 * `prometheus-node-exporter.namespaceOverride`). scripts/manifests/projects.py checks the same keys
 * in the rendered Applications.
 */
export function namespaceOverrides(values: Readonly<Record<string, unknown>>): string[] {
  const sections = [values, ...Object.values(values).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))];
  return sections.map((s) => s.namespaceOverride).filter((ns): ns is string => typeof ns === 'string' && ns !== '');
}

/** The cluster-scoped kinds and other namespaces of one chart rendered with `values`. */
export function chartFootprint(chart: string, values: Readonly<Record<string, unknown>>): { readonly clusterKinds: readonly GroupKind[]; readonly namespaces: readonly string[] } {
  const footprint = CHART_FOOTPRINTS[chart];
  if (!footprint) throw new Error(`chart without a declared footprint (manifests/gitops/chart-footprint.ts), received: ${JSON.stringify(chart)}`);
  const optional = (footprint.optionalKinds ?? []).filter((o) => o.when(values)).map((o) => o.kind);
  return {
    clusterKinds: [...footprint.clusterKinds, ...optional],
    namespaces: [...new Set([...(footprint.namespaces ?? []), ...namespaceOverrides(values)])],
  };
}
