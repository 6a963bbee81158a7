/** Where the bootstrap puts things on a node. One place, so scripts, configs and docs agree. */
import { API_AUDIT_LOG } from '../facts/audit-log';

export const NODE_PATHS = {
  /** Every bootstrap step logs here (and to cloud-init's output log). */
  log: '/var/log/pve-k8s-bootstrap.log',
  /** State dir: `done/<step>` markers, FAILED and DONE. */
  stateDir: '/var/lib/pve-k8s',
  /** Written with the failing step's name when a step fails; removed by a successful run. */
  failedMarker: '/var/lib/pve-k8s/FAILED',
  /** Written when the whole bootstrap has succeeded. */
  doneMarker: '/var/lib/pve-k8s/DONE',
  /** The bootstrap script (rerunnable: completed steps are skipped). */
  bootstrapScript: '/usr/local/sbin/pve-k8s-bootstrap',
  /** Rendered inputs of the bootstrap (root only). */
  configDir: '/etc/pve-k8s',
  /** JoinConfiguration (every kubeadm node); holds the bootstrap token. Removed once the bootstrap succeeds. */
  kubeadmConfig: '/etc/pve-k8s/kubeadm.yaml',
  /** First control plane only: Init+Cluster+Kubelet configuration. Removed once the bootstrap succeeds. */
  kubeadmInitConfig: '/etc/pve-k8s/kubeadm-init.yaml',
  /** `init` or `join`: what the first control plane decided (kube-steps.ts clusterCheckStep). */
  bootstrapMode: '/var/lib/pve-k8s/bootstrap-mode',
  kubeadmPatches: '/etc/pve-k8s/kubeadm-patches',
  kubernetesAptSource: '/etc/pve-k8s/apt/kubernetes.list',
  /** apt preferences keeping containerd in the node OS's series (no extension or .pref: apt skips other names). */
  containerdAptPreferences: '/etc/apt/preferences.d/pve-k8s-containerd.pref',
  kubernetesAptKeyring: '/etc/apt/keyrings/kubernetes-apt-keyring.gpg',
  /** The spec's armored key of a Kubernetes package mirror (sources.kubernetesPackages.signingKey). */
  kubernetesAptSpecKey: '/etc/apt/keyrings/pve-k8s-kubernetes.asc',
  /** The spec's armored key of the OS package mirror (sources.osPackages.signingKey). */
  osMirrorKey: '/etc/apt/keyrings/pve-k8s-os-mirror.asc',
  ciliumValues: '/etc/pve-k8s/cilium-values.yaml',
  gitopsRoot: '/etc/pve-k8s/gitops-root.yaml',
  /** Extra Helm values of the bootstrap's Argo CD install (a private repository's SSH host keys). */
  argocdValues: '/etc/pve-k8s/argocd-values.yaml',
  auditPolicyDir: '/etc/kubernetes/audit',
  auditPolicy: '/etc/kubernetes/audit/policy.yaml',
  /** kube-apiserver's audit log folder (facts/audit-log.ts: the logging add-on tails it too). */
  auditLogDir: API_AUDIT_LOG.dir,
  encryptionDir: '/etc/kubernetes/encryption',
  encryptionConfig: '/etc/kubernetes/encryption/config.yaml',
  admissionDir: '/etc/kubernetes/admission',
  admissionConfig: '/etc/kubernetes/admission/config.yaml',
  containerdConfig: '/etc/containerd/config.toml',
  crictlConfig: '/etc/crictl.yaml',
  haproxyConfig: '/etc/haproxy/haproxy.cfg',
  keepalivedConfig: '/etc/keepalived/keepalived.conf',
  keepalivedCheck: '/etc/keepalived/check_apiserver.sh',
  adminKubeconfig: '/etc/kubernetes/admin.conf',
  kubeletKubeconfig: '/etc/kubernetes/kubelet.conf',
  /** Control planes: the certificate renewal script and its weekly timer (certs-renewal.ts). */
  certRenewalScript: '/usr/local/sbin/pve-k8s-certs-renew',
  certRenewalService: '/etc/systemd/system/pve-k8s-certs-renew.service',
  certRenewalTimer: '/etc/systemd/system/pve-k8s-certs-renew.timer',
  /** Control planes: the kubelet serving CSR approver and its timer (kubelet-csr-approver.ts). */
  kubeletCsrApproverScript: '/usr/local/sbin/pve-k8s-kubelet-csr-approver',
  kubeletCsrApproverService: '/etc/systemd/system/pve-k8s-kubelet-csr-approver.service',
  kubeletCsrApproverTimer: '/etc/systemd/system/pve-k8s-kubelet-csr-approver.timer',
} as const;

/**
 * Name of the node's NIC. Proxmox's generated cloud-init network config names the first NIC
 * `eth0` (matched by MAC), so Keepalived can rely on it.
 */
export const NODE_INTERFACE = 'eth0';

/** containerd's CRI socket (kubeadm nodeRegistration.criSocket, crictl). */
export const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';
