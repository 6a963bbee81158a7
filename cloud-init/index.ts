/**
 * Node bootstrap: pure renderers from the cluster model to each node's #cloud-config
 * (control planes, workers, dedicated load balancers) and the files inside it.
 */
export { type BootstrapSecrets, PLACEHOLDER_SECRETS, SECRET_MARKERS, fillSecrets } from './secrets';
export { renderNodeCloudConfig, renderNodeTemplate, nodeFiles, cloudConfigDocument, type NodeFile } from './cloud-config';
export { renderReviewCopies, type ReviewCopy } from './review';
export {
  renderKubeadmConfig, renderKubeadmInitConfig, renderKubeadmPatches, clusterConfiguration, kubeletConfiguration, isFirstControlPlane, isV1beta4,
} from './kubeadm';
export {
  ENCRYPTION_KEY_NAME, type ManifestFacts, POD_SECURITY_DEFAULTS, podSecurityExemptNamespaces, renderAdmissionConfig, renderAuditPolicy, renderEncryptionConfig, renderEncryptionConfigKeys, type EncryptionKey,
} from './apiserver-files';
export { CERT_RENEWAL, certRenewalWeekday, renderCertRenewalScript, renderCertRenewalService, renderCertRenewalTimer } from './certs-renewal';
export {
  KUBELET_CSR_APPROVER, renderKubeletCsrApproverScript, renderKubeletCsrApproverService, renderKubeletCsrApproverTimer,
} from './kubelet-csr-approver';
export { renderContainerdConfig, renderCrictlConfig, renderRegistryMirrors } from './containerd';
export {
  renderHaproxyConfig, renderKeepalivedConfig, renderKeepalivedCheckScript, runsLoadBalancer,
  keepalivedPriority, KEEPALIVED_CHECK_WEIGHT,
} from './load-balancer';
export {
  renderSysctl, renderModulesLoad, renderAutoUpgrades, renderUnattendedUpgrades, renderKubernetesAptSource, renderContainerdAptPreferences,
  kubernetesAptRepo, kubernetesPackageVersion, criToolsPackageVersion, basePackages, runsKubernetes, HELD_PACKAGES,
} from './os';
export { renderArgoCdBootstrapValues, renderCiliumValues, renderGitopsRoot } from './addons';
export { renderBootstrapScript, bootstrapSteps, bootstrapRole } from './scripts/bootstrap';
export {
  controlPlaneMetrics, CONTROL_PLANE_METRICS_PORTS, etcdMetricsUrls, KUBELET_SERVING_CERTS, BOOTSTRAP_TOKEN_TTL, CLUSTER_PROBE, ETCD_CLIENT_PORT, ETCD_PEER_PORT, GITOPS_BOOTSTRAP,
  CILIUM_RELEASE, apiServerCertSans, type ControlPlaneMetrics, type MetricsEndpoint,
} from '../facts';
export { NODE_PATHS, NODE_INTERFACE, CRI_SOCKET } from './paths';

