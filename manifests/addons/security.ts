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
import { LOGGING_NAMESPACE, LOKI_PORT } from './logging';
import { MONITORING_NAMESPACE } from './monitoring';
import { AUDIT_SHIPPER, GRAFANA_PODS, ingressControllerPods, LOKI_PODS, monitoringTargets, PROMETHEUS_PODS, TENANT_PORT_NAMES, type PodLabels } from './network-peers';

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
  /** Appended to the policy name when a kind needs several policies (one per receiving pod set). */
  readonly suffix?: string;
  /** The receiving pods. @default every pod of the namespace */
  readonly pods?: PodLabels;
  readonly ingress?: k8s.NetworkPolicyIngressRule[];
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

const port = (p: number | string): k8s.NetworkPolicyPort =>
  ({ protocol: 'TCP', port: typeof p === 'number' ? k8s.IntOrString.fromNumber(p) : k8s.IntOrString.fromString(p) });
const podsIn = (namespace: string, pods: PodLabels): k8s.NetworkPolicyPeer => ({ namespaceSelector: nsSelector(namespace), podSelector: { matchLabels: { ...pods } } });

/** The monitoring allows of a namespace: Prometheus (or Grafana) pods to the declared pods and ports only. */
function fromMonitoring(platform: Platform, namespace: string, tenant: boolean): AllowRule[] {
  if (tenant) {
    const name = TENANT_PORT_NAMES.metrics;
    return [{ reason: `Prometheus scrapes the container ports named "${name}"`, ingress: [{ from: [podsIn(MONITORING_NAMESPACE, PROMETHEUS_PODS)], ports: [port(name)] }] }];
  }
  const targets = monitoringTargets(platform.model, namespace);
  if (!targets) throw new Error(`namespace ${namespace} asks for from-monitoring but declares no pods and ports (manifests/addons/network-peers.ts), received: ${JSON.stringify(namespace)}`);
  return targets.map((t) => ({
    reason: `${t.from === 'prometheus' ? 'Prometheus' : 'Grafana'}: ${t.why}, port(s) ${t.ports.join(', ')} only`,
    suffix: `${t.from}-${Object.values(t.pods).join('-')}`,
    pods: t.pods,
    ingress: [{ from: [podsIn(MONITORING_NAMESPACE, t.from === 'prometheus' ? PROMETHEUS_PODS : GRAFANA_PODS)], ports: t.ports.map(port) }],
  }));
}

/**
 * The NetworkPolicy rules of each allow kind in one namespace, derived from the model's networks;
 * empty when the kind grants nothing there. Allows from another namespace name its pods and the
 * receiving ports (scripts/manifests/verify.py refuses any that does not).
 */
export function allowRules(platform: Platform, allow: NetworkAllow, namespace: string): AllowRule[] {
  const net = platform.model.network;
  const tenant = platform.model.tenants.some((t) => t.name === namespace);
  const host = (ip: string) => ({ ipBlock: { cidr: `${ip}/32` } });
  switch (allow) {
    case 'dns':
      return [{
        reason: 'name resolution via cluster DNS',
        egress: [{
          to: [{ namespaceSelector: nsSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
        }],
      }];
    case 'apiserver':
      return [{
        reason: 'controllers talk to the Kubernetes API (VIP and every control plane)',
        egress: [
          { to: [host(net.vip)], ports: [tcp(net.apiPort)] },
          { to: platform.model.controlPlanes.map((n) => host(n.ip)), ports: [tcp(net.apiServerPort)] },
          { to: [host(net.kubernetesServiceIp)], ports: [tcp(443)] },
        ],
      }];
    case 'same-namespace':
      return [{ reason: 'components of the add-on talk to each other', ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }];
    case 'from-ingress': {
      const backendPorts: (number | string)[] = tenant
        ? [...TENANT_PORT_NAMES.http]
        : [...new Set(platform.hostnames.filter((h) => h.namespace === namespace).map((h) => h.backend.targetPort))].sort((a, b) => a - b);
      if (backendPorts.length === 0) return []; // no hostname of the platform points here
      if (platform.gatewayApi) {
        // Cilium's Envoy (in the agent, not in a namespace) reaches the backends with the reserved
        // "ingress" identity, which no Kubernetes NetworkPolicy peer can select (a
        // CiliumNetworkPolicy fromEntities: [ingress] could; its CRD is not in the validated set).
        // So: any source, but only the container ports of this namespace's HTTPRoute backends.
        return [{
          reason: `served through the Cilium Gateway, whose Envoy has Cilium's reserved ingress identity (no Kubernetes NetworkPolicy peer selects it): any source, only the backend port(s) ${backendPorts.join(', ')}`,
          ingress: [{ ports: backendPorts.map(port) }],
        }];
      }
      const controller = ingressControllerPods(platform.model)!;
      return [{
        reason: `served through the ingress controller: its pods only, the backend port(s) ${backendPorts.join(', ')} only`,
        ingress: [{ from: [podsIn(INGRESS_NAMESPACE, controller)], ports: backendPorts.map(port) }],
      }];
    }
    case 'from-monitoring':
      return fromMonitoring(platform, namespace, tenant);
    case 'from-audit-shipper':
      return [{
        reason: `the API audit log shipper (namespace ${AUDIT_SHIPPER.namespace}) pushes to Loki: its pods only, port ${LOKI_PORT} only`,
        pods: LOKI_PODS,
        ingress: [{ from: [podsIn(AUDIT_SHIPPER.namespace, AUDIT_SHIPPER.pods)], ports: [tcp(LOKI_PORT)] }],
      }];
    case 'egress-loki':
      return [{
        reason: `pushes logs to Loki (namespace ${LOGGING_NAMESPACE}): its pods only, port ${LOKI_PORT} only`,
        egress: [{ to: [podsIn(LOGGING_NAMESPACE, LOKI_PODS)], ports: [tcp(LOKI_PORT)] }],
      }];
    case 'from-nodes':
      return [{ reason: 'the API server calls admission webhooks and kubelets probe pods from the node network', ingress: [{ from: [{ ipBlock: { cidr: net.cidr } }] }] }];
    case 'http-from-anywhere':
      return [{ reason: 'the LoadBalancer Service receives HTTP(S) from clients', ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(80), tcp(443)] }] }];
    case 'egress-external':
      // Tenants never reach the node network (nodes, Proxmox hosts, the API VIP) this way.
      return [{
        reason: tenant
          ? 'reaches the world outside the cluster, never the node network'
          : 'reaches registries, ACME, Git or S3 outside the cluster',
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [net.podCidr, net.serviceCidr, ...(tenant ? [net.cidr] : [])] } }] }],
      }];
    case 'egress-cluster':
      return [{ reason: 'reaches pods in other namespaces (scraping, proxying, webhooks)', egress: [{ to: [{ namespaceSelector: {} }] }] }];
    case 'egress-nodes':
      return [{ reason: 'reaches node-level endpoints (kubelet, node-exporter, control-plane metrics)', egress: [{ to: [{ ipBlock: { cidr: net.cidr } }] }] }];
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
    for (const rule of allowRules(platform, allow, request.name)) {
      const name = rule.suffix ? `allow-${allow}-${rule.suffix}` : `allow-${allow}`;
      new k8s.KubeNetworkPolicy(scope, `allow-${request.name}-${allow}${rule.suffix ? `-${rule.suffix}` : ''}`, {
        metadata: { name, namespace: request.name, annotations: { [ALLOW_REASON_ANNOTATION]: rule.reason } },
        spec: {
          podSelector: rule.pods ? { matchLabels: { ...rule.pods } } : {},
          policyTypes: [...(rule.ingress ? ['Ingress'] : []), ...(rule.egress ? ['Egress'] : [])],
          ingress: rule.ingress,
          egress: rule.egress,
        },
      });
    }
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
