/**
 * Facts the node bootstrap decides and the rest of the platform relies on (monitoring scrape
 * targets, metrics-server flags, the GitOps engine release). Import these; never retype them.
 */
import type { ClusterModel } from '../spec';

/** A control-plane component's metrics endpoint on every control-plane node. */
export interface MetricsEndpoint {
  /** Address the component binds its metrics/secure port to. */
  readonly bindAddress: string;
  readonly port: number;
  readonly scheme: 'http' | 'https';
  /** `host:port` on every control plane, in control-plane order. */
  readonly targets: readonly string[];
}

export interface ControlPlaneMetrics {
  readonly apiServer: MetricsEndpoint;
  readonly controllerManager: MetricsEndpoint;
  readonly scheduler: MetricsEndpoint;
  readonly etcd: MetricsEndpoint;
}

/** Ports kubeadm's components serve metrics on (controller-manager/scheduler: authenticated HTTPS). */
export const CONTROL_PLANE_METRICS_PORTS = { controllerManager: 10257, scheduler: 10259, etcd: 2381 } as const;

/**
 * Where monitoring scrapes the control plane. kube-apiserver binds the node IP (HAProxy owns
 * VIP:apiPort); controller-manager and scheduler bind 0.0.0.0 (HTTPS, authn/authz required);
 * etcd serves plain-HTTP metrics and /health (no keys or data) on the node IP, for monitoring,
 * and on 127.0.0.1, for kubeadm's probes (etcdMetricsUrls), never on every address.
 */
export function controlPlaneMetrics(model: ClusterModel): ControlPlaneMetrics {
  const ips = model.controlPlanes.map((n) => n.ip);
  const at = (port: number) => ips.map((ip) => `${ip}:${port}`);
  const p = CONTROL_PLANE_METRICS_PORTS;
  return {
    apiServer: { bindAddress: 'node IP', port: model.network.apiServerPort, scheme: 'https', targets: at(model.network.apiServerPort) },
    controllerManager: { bindAddress: '0.0.0.0', port: p.controllerManager, scheme: 'https', targets: at(p.controllerManager) },
    scheduler: { bindAddress: '0.0.0.0', port: p.scheduler, scheme: 'https', targets: at(p.scheduler) },
    etcd: { bindAddress: 'node IP', port: p.etcd, scheme: 'http', targets: at(p.etcd) },
  };
}

/** etcd's --listen-metrics-urls on a control plane: loopback (kubeadm's probes) and the node IP (monitoring). */
export function etcdMetricsUrls(nodeIp: string): string {
  return [`http://127.0.0.1:${CONTROL_PLANE_METRICS_PORTS.etcd}`, `http://${nodeIp}:${CONTROL_PLANE_METRICS_PORTS.etcd}`].join(',');
}

/**
 * Kubelet serving certificates: each kubelet asks for one signed by the cluster CA
 * (`serverTLSBootstrap`), the control planes' approver approves it when it matches its Node
 * (kubelet-csr-approver.ts), and kube-apiserver verifies kubelets against that CA
 * (`--kubelet-certificate-authority`, CIS 1.2.5); metrics-server verifies them too (no
 * `--kubelet-insecure-tls`).
 */
export const KUBELET_SERVING_CERTS = {
  serverTLSBootstrap: true,
  /** kube-apiserver's --kubelet-certificate-authority: kubeadm's cluster CA. */
  apiServerKubeletCa: '/etc/kubernetes/pki/ca.crt',
  metricsServerKubeletInsecureTls: false,
} as const;

/**
 * The bootstrap token never expires (`0s`), so a node added months after day 1 joins with the
 * token in its day-1-style snippet and no manual step. Trade-off (cloud-init/README.md): whoever
 * holds the token (Terraform state, the snippets on the PVE hosts) can register a node until an
 * operator rotates it (OPERATIONS.md).
 */
export const BOOTSTRAP_TOKEN_TTL = '0s';

/**
 * The first control plane joins instead of running `kubeadm init` when any API server (or etcd)
 * of the cluster answers within this window: rounds x interval seconds (~30 s on day 1, when
 * nothing answers). A peer that restarts during a rebuild is not missed.
 */
export const CLUSTER_PROBE = { rounds: 6, intervalSeconds: 5, timeoutSeconds: 3 } as const;

/** etcd's client port on every control plane (probed before kubeadm init). */
export const ETCD_CLIENT_PORT = 2379;

/** etcd's peer port: a member's peer URL is `https://<node IP>:2380` (kubeadm's default). */
export const ETCD_PEER_PORT = 2380;

/** Names of the GitOps engine the first control plane installs, so the GitOps release can adopt it. */
export const GITOPS_BOOTSTRAP = {
  argocd: { release: 'argocd', namespace: 'argocd', rootApplication: 'root' },
  flux: { namespace: 'flux-system', rootSource: 'root', rootKustomization: 'root' },
} as const;

/** Helm release of Cilium installed by the bootstrap (the GitOps release must use the same). */
export const CILIUM_RELEASE = { name: 'cilium', namespace: 'kube-system' } as const;


/** API server certificate SANs: VIP, API hostname, every control-plane IP, the `kubernetes` Service IP. */
export function apiServerCertSans(model: ClusterModel): string[] {
  const sans = [model.network.vip, model.apiHostname, ...model.controlPlanes.map((n) => n.ip), model.network.kubernetesServiceIp];
  return [...new Set(sans)];
}
