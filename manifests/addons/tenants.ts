/**
 * Tenant namespaces from the spec: restricted PSA, default deny, RoleBindings of the spec's
 * groups to the built-in admin/edit/view ClusterRoles, a namespaced Role for reading events and
 * quota, a ResourceQuota and a LimitRange (so pods without resources still fit the quota); with
 * Cilium, a cluster-wide policy tenants cannot delete that keeps them off the node network.
 */
import type { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { ClusterSpec } from '../../spec';
import { AddonChart } from '../addon-chart';
import { renderFluxAppsRoleBinding } from '../gitops/flux';
import type { Platform } from '../platform';
import { renderNamespace } from './security';

type Tenant = ClusterSpec['addons']['tenants'][number];
/** The CiliumClusterwideNetworkPolicy every tenant namespace is under. */
export const TENANT_BASELINE_POLICY = 'pve-k8s-tenant-baseline';
const q = (v: string | number) => k8s.Quantity.fromString(String(v));

export class TenantsChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    super(scope, id, platform, { addon: 'tenants', version: `k8s-${platform.model.kubernetes.version}` });
    for (const tenant of platform.model.tenants) this.tenant(tenant);
    if (platform.model.tenants.length > 0 && platform.model.cni === 'cilium') this.baseline();
  }

  /**
   * What no tenant may undo: a cluster-scoped Cilium policy (a namespace admin can delete or
   * loosen the NetworkPolicies of its namespace, not this) denying tenant pods the node network
   * (nodes, Proxmox hosts, the API VIP), the hosts and the API server. Deny rules win over any
   * allow; enableDefaultDeny false: the policy adds only these denies.
   */
  private baseline(): void {
    const { model } = this.platform;
    new ApiObject(this, 'tenant-baseline', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: TENANT_BASELINE_POLICY },
      spec: {
        description: 'pve-k8s tenant baseline: tenant pods never reach the node network, the hosts or the API server',
        endpointSelector: { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: model.tenants.map((t) => t.name) }] },
        enableDefaultDeny: { ingress: false, egress: false },
        egressDeny: [
          { toCIDRSet: [{ cidr: model.network.cidr }] },
          { toEntities: ['host', 'remote-node', 'kube-apiserver'] },
        ],
      },
    });
  }

  private tenant(t: Tenant): void {
    renderNamespace(this, this.platform, {
      name: t.name, addon: 'tenants', version: this.version,
      allow: ['same-namespace', 'from-ingress', 'from-monitoring', 'egress-external'],
    });
    new k8s.KubeRole(this, `${t.name}-quota-viewer`, {
      metadata: { name: 'tenant-quota-viewer', namespace: t.name },
      rules: [{ apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events'], verbs: ['get', 'list', 'watch'] }],
    });
    const bind = (role: 'admin' | 'edit' | 'view', groups: readonly string[]) => {
      if (groups.length === 0) return;
      const subjects = groups.map((name) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name }));
      new k8s.KubeRoleBinding(this, `${t.name}-${role}`, {
        metadata: { name: `tenant-${role}`, namespace: t.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects,
      });
      new k8s.KubeRoleBinding(this, `${t.name}-${role}-quota`, {
        metadata: { name: `tenant-${role}-quota-viewer`, namespace: t.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-quota-viewer' },
        subjects,
      });
    };
    // Flux: the users' folder apps/<cluster>/ may write here (gitops/flux.ts fluxAppsNamespaces).
    if (this.platform.engine === 'flux' && this.platform.model.gitops.root) renderFluxAppsRoleBinding(this, `${t.name}-flux-apps`, t.name);
    bind('admin', t.adminGroups);
    bind('edit', t.editGroups);
    bind('view', t.viewGroups);
    new k8s.KubeResourceQuota(this, `${t.name}-quota`, {
      metadata: { name: 'tenant-quota', namespace: t.name },
      spec: {
        hard: {
          'requests.cpu': q(t.quota.cpu), 'limits.cpu': q(t.quota.cpu),
          'requests.memory': q(t.quota.memory), 'limits.memory': q(t.quota.memory),
          pods: q(t.quota.pods),
        },
      },
    });
    new k8s.KubeLimitRange(this, `${t.name}-limits`, {
      metadata: { name: 'tenant-defaults', namespace: t.name },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: q('100m'), memory: q('128Mi') },
          default: { cpu: q('500m'), memory: q('512Mi') },
        }],
      },
    });
  }
}
