/**
 * Tenant namespaces from the spec: restricted PSA, default deny, RoleBindings of the spec's
 * groups to the built-in admin/edit/view ClusterRoles, a namespaced Role for reading events and
 * quota, a ResourceQuota and a LimitRange (so pods without resources still fit the quota); with
 * Cilium, a cluster-wide policy tenants cannot delete that keeps them off the node network; and
 * ValidatingAdmissionPolicies keeping tenants off the platform's ClusterIssuers.
 */
import type { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { ClusterSpec } from '../../spec';
import { AddonChart } from '../addon-chart';
import { CLUSTER_ISSUER_ANNOTATIONS, platformClusterIssuers } from './cert-manager';
import { renderFluxAppsRoleBinding } from '../gitops/flux';
import type { Platform } from '../platform';
import { renderNamespace } from './security';

type Tenant = ClusterSpec['addons']['tenants'][number];
/** The CiliumClusterwideNetworkPolicy every tenant namespace is under. */
export const TENANT_BASELINE_POLICY = 'pve-k8s-tenant-baseline';
/** The ValidatingAdmissionPolicies (each with a binding of the same name) tenants are under. */
export const TENANT_ISSUER_POLICIES = { issuerRef: 'pve-k8s-tenant-issuer-ref', annotations: 'pve-k8s-tenant-cluster-issuer-annotations' } as const;
const q = (v: string | number) => k8s.Quantity.fromString(String(v));

/** A cluster-scoped object as plain data (apiVersion, kind, metadata, spec). */
export interface PlainObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: Record<string, unknown>;
}

/**
 * ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) and their Deny bindings: in the
 * tenant namespaces (selected by the kubernetes.io/metadata.name label kube-apiserver sets and
 * nobody can change), no cert-manager Certificate or CertificateRequest may name a ClusterIssuer
 * (any: the platform's are cluster-wide, a namespaced Issuer is the tenant's own), and no Ingress or
 * Gateway may ask ingress-shim for one by annotation. The policies cover every user, cert-manager
 * included: a Certificate ingress-shim would create from such an Ingress is refused the same way.
 */
export function tenantIssuerPolicies(tenants: readonly string[], clusterIssuers: readonly string[]): PlainObject[] {
  if (tenants.length === 0) return [];
  const match = (resourceRules: { apiGroups: string[]; resources: string[] }[]) => ({
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...tenants] }] },
    resourceRules: resourceRules.map((r) => ({ ...r, apiVersions: ['*'], operations: ['CREATE', 'UPDATE'] })),
  });
  const platform = `the platform's ClusterIssuers (${clusterIssuers.join(', ')}) are not for tenant namespaces: create a namespaced Issuer`;
  const policy = (name: string, spec: Record<string, unknown>): PlainObject[] => [
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { failurePolicy: 'Fail', ...spec } },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'] } },
  ];
  const a = (key: string) => `object.metadata.annotations['${key}']`;
  const has = (key: string) => `'${key}' in object.metadata.annotations`;
  const { name: byName, kind: byKind } = CLUSTER_ISSUER_ANNOTATIONS;
  return [
    ...policy(TENANT_ISSUER_POLICIES.issuerRef, {
      matchConstraints: match([{ apiGroups: ['cert-manager.io'], resources: ['certificates', 'certificaterequests'] }]),
      validations: [{
        expression: "!has(object.spec.issuerRef.kind) || object.spec.issuerRef.kind != 'ClusterIssuer'",
        message: `issuerRef.kind ClusterIssuer is refused in tenant namespaces: ${platform}`,
        reason: 'Forbidden',
      }],
    }),
    ...policy(TENANT_ISSUER_POLICIES.annotations, {
      matchConstraints: match([
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways'] },
      ]),
      validations: [{
        expression: `!has(object.metadata.annotations) || (!(${has(byName)}) && (!(${has(byKind)}) || ${a(byKind)} != 'ClusterIssuer'))`,
        message: `the annotations ${byName} and ${byKind}: ClusterIssuer are refused in tenant namespaces: ${platform} (annotation cert-manager.io/issuer)`,
        reason: 'Forbidden',
      }],
    }),
  ];
}

export class TenantsChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    super(scope, id, platform, { addon: 'tenants', version: `k8s-${platform.model.kubernetes.version}` });
    for (const tenant of platform.model.tenants) this.tenant(tenant);
    if (platform.model.tenants.length > 0 && platform.model.cni === 'cilium') this.baseline();
    const policies = tenantIssuerPolicies(platform.model.tenants.map((t) => t.name), platformClusterIssuers(platform));
    for (const obj of policies) new ApiObject(this, `${obj.kind}-${obj.metadata.name}`, obj);
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
