/**
 * Security baseline: every platform namespace with Pod Security Admission labels (restricted
 * unless an add-on states why not), a default-deny NetworkPolicy in each, and the explicit
 * allows each add-on declared.
 */
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-30';
import { AddonChart } from '../addon-chart';
import type { NamespaceRequest, NetworkAllow, Platform, PodSecurityLevel } from '../platform';
import { INGRESS_NAMESPACE } from './ingress';
import { MONITORING_NAMESPACE } from './monitoring';

export const PSA_REASON_ANNOTATION = 'platform.pve-k8s.io/pod-security-reason';
const ALLOW_REASON_ANNOTATION = 'platform.pve-k8s.io/reason';

export function podSecurityLabels(level: PodSecurityLevel, minor: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = `v${minor}`;
  }
  return labels;
}

const nsSelector = (name: string): k8s.LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

interface AllowRule {
  readonly reason: string;
  readonly ingress?: k8s.NetworkPolicyIngressRule[];
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

/**
 * The NetworkPolicy rules of each allow kind in one namespace, derived from the model's networks;
 * undefined when the kind grants nothing there.
 */
export function allowRules(platform: Platform, allow: NetworkAllow, namespace: string): AllowRule | undefined {
  const net = platform.model.network;
  const host = (ip: string) => ({ ipBlock: { cidr: `${ip}/32` } });
  switch (allow) {
    case 'dns':
      return {
        reason: 'name resolution via cluster DNS',
        egress: [{
          to: [{ namespaceSelector: nsSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
        }],
      };
    case 'apiserver':
      return {
        reason: 'controllers talk to the Kubernetes API (VIP and every control plane)',
        egress: [
          { to: [host(net.vip)], ports: [tcp(net.apiPort)] },
          { to: platform.model.controlPlanes.map((n) => host(n.ip)), ports: [tcp(net.apiServerPort)] },
          { to: [host(net.kubernetesServiceIp)], ports: [tcp(443)] },
        ],
      };
    case 'same-namespace':
      return { reason: 'components of the add-on talk to each other', ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] };
    case 'from-ingress':
      if (platform.gatewayApi) {
        // Cilium's Envoy (in the agent, not in a namespace) reaches the backends with the reserved
        // "ingress" identity, which no Kubernetes NetworkPolicy peer can select (a
        // CiliumNetworkPolicy fromEntities: [ingress] could; its CRD is not in the validated set).
        // So: any source, but only the container ports of this namespace's HTTPRoute backends.
        const ports = [...new Set(platform.hostnames.filter((h) => h.namespace === namespace).map((h) => h.backend.targetPort))].sort((a, b) => a - b);
        if (ports.length === 0) return undefined; // no HTTPRoute of the platform Gateway points here
        return {
          reason: `served through the Cilium Gateway, whose Envoy has Cilium's reserved ingress identity (no Kubernetes NetworkPolicy peer selects it): any source, only the backend port(s) ${ports.join(', ')}`,
          ingress: [{ ports: ports.map(tcp) }],
        };
      }
      return { reason: 'served through the ingress controller', ingress: [{ from: [{ namespaceSelector: nsSelector(INGRESS_NAMESPACE) }] }] };
    case 'from-monitoring':
      return { reason: 'Prometheus scrapes metrics', ingress: [{ from: [{ namespaceSelector: nsSelector(MONITORING_NAMESPACE) }] }] };
    case 'from-nodes':
      return { reason: 'the API server calls admission webhooks and kubelets probe pods from the node network', ingress: [{ from: [{ ipBlock: { cidr: net.cidr } }] }] };
    case 'http-from-anywhere':
      return { reason: 'the LoadBalancer Service receives HTTP(S) from clients', ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(80), tcp(443)] }] };
    case 'egress-external':
      return {
        reason: 'reaches registries, ACME, Git or S3 outside the cluster',
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [net.podCidr, net.serviceCidr] } }] }],
      };
    case 'egress-cluster':
      return { reason: 'reaches pods in other namespaces (scraping, proxying, webhooks)', egress: [{ to: [{ namespaceSelector: {} }] }] };
    case 'egress-nodes':
      return { reason: 'reaches node-level endpoints (kubelet, node-exporter, control-plane metrics)', egress: [{ to: [{ ipBlock: { cidr: net.cidr } }] }] };
  }
}

/** Namespace + default deny + allows. Used for platform and tenant namespaces alike. */
export function renderNamespace(scope: Construct, platform: Platform, request: NamespaceRequest): void {
  const level = request.podSecurity ?? 'restricted';
  new k8s.KubeNamespace(scope, `ns-${request.name}`, {
    metadata: {
      name: request.name,
      labels: podSecurityLabels(level, platform.model.kubernetes.minor.minor),
      annotations: request.reason ? { [PSA_REASON_ANNOTATION]: request.reason } : undefined,
    },
  });
  new k8s.KubeNetworkPolicy(scope, `deny-${request.name}`, {
    metadata: { name: 'default-deny', namespace: request.name },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const allows = [...new Set<NetworkAllow>(['dns', ...(request.allow ?? [])])];
  for (const allow of allows) {
    const rule = allowRules(platform, allow, request.name);
    if (!rule) continue;
    new k8s.KubeNetworkPolicy(scope, `allow-${request.name}-${allow}`, {
      metadata: { name: `allow-${allow}`, namespace: request.name, annotations: { [ALLOW_REASON_ANNOTATION]: rule.reason } },
      spec: {
        podSelector: {},
        policyTypes: [...(rule.ingress ? ['Ingress'] : []), ...(rule.egress ? ['Egress'] : [])],
        ingress: rule.ingress,
        egress: rule.egress,
      },
    });
  }
}

export class SecurityChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    super(scope, id, platform, { addon: 'security-baseline', version: `k8s-${platform.model.kubernetes.version}` });
  }

  /** Renders every namespace the add-ons registered (call after all add-ons are built). */
  public renderNamespaces(): void {
    for (const ns of [...this.platform.namespaces].sort((a, b) => a.name.localeCompare(b.name))) {
      renderNamespace(this, this.platform, ns);
    }
  }

  /** The pod security exceptions with their reasons (for docs and tests). */
  public static exceptions(platform: Platform): { namespace: string; level: PodSecurityLevel; reason: string }[] {
    return platform.namespaces
      .filter((n) => (n.podSecurity ?? 'restricted') !== 'restricted')
      .map((n) => ({ namespace: n.name, level: n.podSecurity!, reason: n.reason! }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
  }
}
