/**
 * kubeadm configuration: InitConfiguration + ClusterConfiguration + KubeletConfiguration for
 * the first control plane, JoinConfiguration for the others. The API version follows the
 * Kubernetes minor (v1beta3 for 1.30, v1beta4 from 1.31: extraArgs become name/value lists,
 * timeouts move into `timeouts`).
 */
import { toYaml } from '../format/yaml';
import type { ClusterModel, NodeModel } from '../spec';
import { API_AUDIT_LOG, apiServerCertSans, BOOTSTRAP_TOKEN_TTL, etcdMetricsUrls, KUBELET_SERVING_CERTS } from '../facts';
import { runsLoadBalancer } from './load-balancer';
import { CRI_SOCKET, NODE_PATHS } from './paths';
import { type BootstrapSecrets, yamlSecret } from './secrets';

type Args = Readonly<Record<string, string>>;
type Doc = Record<string, unknown>;

/** True when the minor uses kubeadm.k8s.io/v1beta4. */
export function isV1beta4(model: ClusterModel): boolean {
  return model.kubernetes.minor.kubeadmApiVersion === 'kubeadm.k8s.io/v1beta4';
}

/** extraArgs in the minor's shape: a map (v1beta3) or a list of name/value pairs (v1beta4). */
export function extraArgs(model: ClusterModel, args: Args): unknown {
  return isV1beta4(model) ? Object.entries(args).map(([name, value]) => ({ name, value })) : { ...args };
}

/**
 * TLS cipher suites for kube-apiserver and the kubelet (CIS 1.2.29 / 4.2.12): ECDHE with AEAD
 * only, the intersection of both benchmark lists. TLS 1.3 suites are not configurable (always on).
 */
export const TLS_CIPHER_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
] as const;

/** Per-pod PID limit on every kubelet (CIS 4.2.13): stops a fork bomb from exhausting the node. */
export const POD_PIDS_LIMIT = 4096;

/** Discovery/join timeout. */
const DISCOVERY_TIMEOUT = '10m0s';

/** Secret placeholders swapped for double-quoted secrets after dumping (see yamlSecret). */
const SECRET_SLOT = { token: '__PVE_K8S_SECRET_TOKEN__', certKey: '__PVE_K8S_SECRET_CERT_KEY__' } as const;

function nodeRegistration(model: ClusterModel, node: NodeModel): Doc {
  const reg: Doc = {
    name: node.name,
    criSocket: CRI_SOCKET,
    imagePullPolicy: 'IfNotPresent',
    kubeletExtraArgs: extraArgs(model, { 'node-ip': node.ip }),
  };
  // No workers: control planes carry no taint, so workloads can run on them.
  if (node.role === 'control-plane' && model.workers.length === 0) reg.taints = [];
  // Co-located HAProxy listens on VIP:apiPort before kubeadm runs, so kubeadm's preflight check,
  // which binds the API port on every address, fails ("Port 6443 is in use") although the API
  // server itself binds only the node IP (kubeadm patch). Found by the e2e test (npm run e2e).
  if (node.role === 'control-plane' && runsLoadBalancer(model, node)) reg.ignorePreflightErrors = [`Port-${model.network.apiServerPort}`];
  if (Object.keys(node.labels).length > 0) {
    // Node labels are applied by the kubelet at registration (not node-role.* labels).
    reg.kubeletExtraArgs = extraArgs(model, {
      'node-ip': node.ip,
      'node-labels': Object.entries(node.labels).map(([k, v]) => `${k}=${v}`).join(','),
    });
  }
  return reg;
}

function localApiEndpoint(model: ClusterModel, node: NodeModel): Doc {
  return { advertiseAddress: node.ip, bindPort: model.network.apiServerPort };
}

/**
 * kube-apiserver's enabled admission plugins. With tenants, AlwaysPullImages (CIS 1.2.11): a
 * tenant's pod cannot start from a private image another tenant's credentials pulled onto the node.
 * Without tenants it stays off: every pod start would depend on the registry.
 */
export function admissionPlugins(model: ClusterModel): string[] {
  return [
    'NodeRestriction', 'NamespaceLifecycle', 'ServiceAccount', 'DenyServiceExternalIPs', 'PodSecurity',
    ...(model.tenants.length > 0 ? ['AlwaysPullImages'] : []),
  ];
}

export function clusterConfiguration(model: ClusterModel): Doc {
  const v4 = isV1beta4(model);
  const p = NODE_PATHS;
  const apiServer: Doc = {
    certSANs: apiServerCertSans(model),
    extraArgs: extraArgs(model, {
      'audit-log-path': API_AUDIT_LOG.path,
      'audit-policy-file': p.auditPolicy,
      'audit-log-maxage': String(API_AUDIT_LOG.maxAgeDays),
      'audit-log-maxbackup': String(API_AUDIT_LOG.maxBackups),
      'audit-log-maxsize': String(API_AUDIT_LOG.maxSizeMb),
      'encryption-provider-config': p.encryptionConfig,
      // Pod Security default and exemptions for unlabelled namespaces (renderAdmissionConfig).
      'admission-control-config-file': p.admissionConfig,
      profiling: 'false',
      // CIS 1.2.3 DenyServiceExternalIPs; kubeadm's default is NodeRestriction alone (CIS 1.2.14);
      // NamespaceLifecycle, ServiceAccount and PodSecurity are on by default, listed so scanners see them.
      // CIS 1.2.11 AlwaysPullImages when the spec declares tenants (admissionPlugins).
      'enable-admission-plugins': admissionPlugins(model).join(','),
      'service-account-lookup': 'true',
      // CIS 1.2.29 and 1.2.30: strong ciphers only; projected tokens keep their real expiry.
      'tls-cipher-suites': TLS_CIPHER_SUITES.join(','),
      'service-account-extend-token-expiration': 'false',
      // CIS 1.2.5: kubelets serve certificates from the cluster CA (KUBELET_SERVING_CERTS).
      'kubelet-certificate-authority': KUBELET_SERVING_CERTS.apiServerKubeletCa,
    }),
    extraVolumes: [
      { name: 'audit-policy', hostPath: p.auditPolicyDir, mountPath: p.auditPolicyDir, readOnly: true, pathType: 'DirectoryOrCreate' },
      { name: 'audit-log', hostPath: p.auditLogDir, mountPath: p.auditLogDir, readOnly: false, pathType: 'DirectoryOrCreate' },
      { name: 'encryption', hostPath: p.encryptionDir, mountPath: p.encryptionDir, readOnly: true, pathType: 'DirectoryOrCreate' },
      { name: 'admission', hostPath: p.admissionDir, mountPath: p.admissionDir, readOnly: true, pathType: 'DirectoryOrCreate' },
    ],
  };
  if (!v4) apiServer.timeoutForControlPlane = '10m0s';
  return {
    apiVersion: model.kubernetes.minor.kubeadmApiVersion,
    kind: 'ClusterConfiguration',
    clusterName: model.name,
    kubernetesVersion: `v${model.kubernetes.version}`,
    controlPlaneEndpoint: model.network.controlPlaneEndpoint,
    networking: {
      dnsDomain: model.kubernetes.clusterDomain,
      podSubnet: model.network.podCidr,
      serviceSubnet: model.network.serviceCidr,
    },
    apiServer,
    // CIS 1.3.1: garbage-collect terminated pods well before the default 12500.
    controllerManager: { extraArgs: extraArgs(model, { 'bind-address': '0.0.0.0', profiling: 'false', 'terminated-pod-gc-threshold': '1000' }) },
    scheduler: { extraArgs: extraArgs(model, { 'bind-address': '0.0.0.0', profiling: 'false' }) },
    // etcd's metrics listener is per node (renderKubeadmPatches); kubeadm's default here is
    // 127.0.0.1:2381, which its etcd probes use.
    etcd: { local: { dataDir: '/var/lib/etcd' } },
  };
}

export function kubeletConfiguration(): Doc {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    readOnlyPort: 0,
    rotateCertificates: true,
    serverTLSBootstrap: KUBELET_SERVING_CERTS.serverTLSBootstrap,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
    authorization: { mode: 'Webhook' },
    containerLogMaxSize: '10Mi',
    containerLogMaxFiles: 5,
    // CIS 4.2.5 (the kubelet's default, explicit), 4.2.12, 4.2.13, 4.2.14.
    streamingConnectionIdleTimeout: '4h0m0s',
    tlsCipherSuites: [...TLS_CIPHER_SUITES],
    podPidsLimit: POD_PIDS_LIMIT,
    seccompDefault: true,
  };
}

function initConfiguration(model: ClusterModel, node: NodeModel): Doc {
  const doc: Doc = {
    apiVersion: model.kubernetes.minor.kubeadmApiVersion,
    kind: 'InitConfiguration',
    bootstrapTokens: [
      {
        token: SECRET_SLOT.token,
        description: 'pve-k8s node bootstrap token',
        ttl: BOOTSTRAP_TOKEN_TTL,
        groups: ['system:bootstrappers:kubeadm:default-node-token'],
        usages: ['signing', 'authentication'],
      },
    ],
    certificateKey: SECRET_SLOT.certKey,
    localAPIEndpoint: localApiEndpoint(model, node),
    nodeRegistration: nodeRegistration(model, node),
    // Cilium (kubeProxyReplacement) replaces kube-proxy; with addons.cni none kube-proxy runs.
    ...(model.cni === 'cilium' ? { skipPhases: ['addon/kube-proxy'] } : {}),
    patches: { directory: NODE_PATHS.kubeadmPatches },
  };
  if (isV1beta4(model)) doc.timeouts = { controlPlaneComponentHealthCheck: '10m0s' };
  return doc;
}

function joinConfiguration(model: ClusterModel, node: NodeModel): Doc {
  const v4 = isV1beta4(model);
  const discovery: Doc = {
    bootstrapToken: {
      apiServerEndpoint: model.network.controlPlaneEndpoint,
      token: SECRET_SLOT.token,
      // The CA is created by `kubeadm init` on the first control plane, after the VMs are
      // defined, so its hash cannot be pinned here. The token stays the shared secret.
      unsafeSkipCAVerification: true,
    },
  };
  if (!v4) discovery.timeout = DISCOVERY_TIMEOUT;
  const doc: Doc = {
    apiVersion: model.kubernetes.minor.kubeadmApiVersion,
    kind: 'JoinConfiguration',
    discovery,
    nodeRegistration: nodeRegistration(model, node),
  };
  if (node.role === 'control-plane') {
    doc.controlPlane = { localAPIEndpoint: localApiEndpoint(model, node), certificateKey: SECRET_SLOT.certKey };
    doc.patches = { directory: NODE_PATHS.kubeadmPatches };
  }
  if (v4) doc.timeouts = { discovery: DISCOVERY_TIMEOUT, controlPlaneComponentHealthCheck: '10m0s' };
  return doc;
}

/** True for the control plane that runs `kubeadm init`. */
export function isFirstControlPlane(model: ClusterModel, node: NodeModel): boolean {
  return node.role === 'control-plane' && model.controlPlanes[0]?.name === node.name;
}

function dumpDocs(docs: readonly Doc[]): string {
  return docs.map((d) => toYaml(d)).join('---\n');
}

function withSecrets(text: string, secrets: BootstrapSecrets): string {
  return text.replaceAll(SECRET_SLOT.token, yamlSecret(secrets.bootstrapToken)).replaceAll(SECRET_SLOT.certKey, yamlSecret(secrets.certificateKey));
}

/**
 * The node's JoinConfiguration (`NODE_PATHS.kubeadmConfig`): every control plane and worker has
 * one, the first control plane too (it joins when it finds an existing cluster, see
 * kube-steps.ts). Throws for load balancers.
 */
export function renderKubeadmConfig(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets): string {
  if (node.role === 'load-balancer') throw new Error(`${node.name}: load balancers do not run kubeadm`);
  return withSecrets(dumpDocs([joinConfiguration(model, node)]), secrets);
}

/**
 * The first control plane's Init+Cluster+Kubelet documents (`NODE_PATHS.kubeadmInitConfig`),
 * used only when no cluster exists yet. Throws for every other node.
 */
export function renderKubeadmInitConfig(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets): string {
  if (!isFirstControlPlane(model, node)) throw new Error(`${node.name}: only the first control plane may run kubeadm init`);
  return withSecrets(dumpDocs([initConfiguration(model, node), clusterConfiguration(model), kubeletConfiguration()]), secrets);
}

/**
 * The first control plane's Init+Cluster+Kubelet documents for a full rebuild (RESTORE.md): the
 * day-1 documents without the bootstrap token and certificate key (kubeadm generates fresh ones,
 * the operator's join commands fetch them). No secret, so it can be printed in a runbook.
 */
export function renderKubeadmRebuildConfig(model: ClusterModel): string {
  const node = model.controlPlanes[0]!;
  const init = { ...initConfiguration(model, node) };
  delete init.bootstrapTokens;
  delete init.certificateKey;
  return dumpDocs([init, clusterConfiguration(model), kubeletConfiguration()]);
}

/**
 * kubeadm patches for a control plane, keyed by file name, per node so they cannot live in the
 * shared ClusterConfiguration: kube-apiserver binds the node IP, leaving VIP:apiPort to HAProxy;
 * etcd serves metrics on loopback and the node IP (appended: etcd takes a repeated flag's last value,
 * so this also wins over a cluster's stored 0.0.0.0 from an older pve-k8s when a node joins it).
 */
export function renderKubeadmPatches(model: ClusterModel, node: NodeModel): Record<string, string> {
  if (node.role !== 'control-plane') return {};
  const append = (value: string) => toYaml([{ op: 'add', path: '/spec/containers/0/command/-', value }]);
  return {
    'kube-apiserver0+json.yaml': append(`--bind-address=${node.ip}`),
    'etcd0+json.yaml': append(`--listen-metrics-urls=${etcdMetricsUrls(node.ip)}`),
  };
}
