/** What kubeadm and the kubelet refuse: node sizes below the preflight minimum, node labels, quantities. */
import type { ClusterSpec } from '../schema';
import type { Report } from './report';

/**
 * kubeadm's preflight wants 2 CPUs and 1700 MB on a control plane. The guest sees less memory
 * than the VM is given (kernel and firmware reservations), so the VM needs 2048 MiB.
 */
export const CONTROL_PLANE_MIN = { cores: 2, memory: 2048 } as const;
/** containerd, kubelet, Cilium and the platform's DaemonSets do not fit in less on a worker. */
export const WORKER_MIN = { memory: 2048 } as const;

/** Label namespaces the kubelet may set with --node-labels (k8s.io/kubelet well_known_labels.go). */
const KUBELET_LABEL_KEYS = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why the kubelet would refuse this node label, or undefined. */
export function nodeLabelProblem(key: string, value: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return `label key prefix "${prefix}" must be a lowercase DNS subdomain`;
  if (!LABEL_NAME.test(name)) return 'label key name must be 1-63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  if (value !== '' && !LABEL_NAME.test(value)) return 'label value must be empty or 1-63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  if (prefix === 'node-role.kubernetes.io') return 'the kubelet may not set node-role.kubernetes.io/* labels; apply them with kubectl after the node joined';
  const reserved = prefix !== undefined && /(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix);
  const allowed = KUBELET_LABEL_KEYS.has(key) || KUBELET_LABEL_NAMESPACES.some((ns) => prefix === ns || prefix?.endsWith(`.${ns}`));
  if (reserved && !allowed) return `the kubernetes.io and k8s.io prefixes are reserved; the kubelet refuses "${key}" (use your own prefix, e.g. example.com/${name})`;
  return undefined;
}

/** A Kubernetes resource quantity (k8s.io/apimachinery resource.Quantity), non-negative. */
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

export function kubernetesRules(spec: ClusterSpec, report: Report): void {
  const cp = spec.controlPlane;
  if (cp.cores < CONTROL_PLANE_MIN.cores) {
    report.error(['controlPlane', 'cores'], `kubeadm's preflight needs at least ${CONTROL_PLANE_MIN.cores} CPUs on a control plane`, cp.cores);
  }
  if (cp.memory < CONTROL_PLANE_MIN.memory) {
    report.error(['controlPlane', 'memory'], `kubeadm's preflight needs 1700 MB visible to the OS on a control plane: give at least ${CONTROL_PLANE_MIN.memory} MiB`, cp.memory);
  }
  spec.workers.forEach((pool, i) => {
    if (pool.count > 0 && pool.memory < WORKER_MIN.memory) {
      report.error(['workers', i, 'memory'], `a worker needs at least ${WORKER_MIN.memory} MiB for containerd, the kubelet, Cilium and the platform's node agents`, pool.memory);
    }
    for (const [key, value] of Object.entries(pool.labels)) {
      const problem = nodeLabelProblem(key, value);
      if (problem) report.error(['workers', i, 'labels', key], problem, value);
    }
  });
  spec.addons.tenants.forEach((tenant, i) => {
    for (const field of ['cpu', 'memory'] as const) {
      const value = tenant.quota[field];
      if (!isQuantity(value)) {
        const hint = /^\d+(\.\d+)?\s*[KMGTPE]B$/i.test(value) ? ` (write ${value.replace(/\s*([KMGTPE])B$/i, (_, u: string) => `${u.toUpperCase()}i`)})` : '';
        report.error(['addons', 'tenants', i, 'quota', field], `must be a Kubernetes quantity like ${field === 'cpu' ? '8 or 500m' : '16Gi or 512Mi'}${hint}`, value);
      }
    }
  });
}
