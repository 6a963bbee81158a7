/**
 * kube-apiserver's audit log on every control plane: where kubeadm points it (cloud-init/kubeadm.ts
 * `audit-log-*` flags and its hostPath extraVolume) and what the logging add-on's audit shipper tails
 * (manifests/addons/logging-audit.ts). One definition, so the two cannot drift apart.
 */
const AUDIT_LOG_DIR = '/var/log/kubernetes/audit';
const AUDIT_LOG_FILE = 'audit.log';

export const API_AUDIT_LOG = {
  /** Host folder kube-apiserver writes into (mounted into its static pod; root-owned, 0755). */
  dir: AUDIT_LOG_DIR,
  /** The file kube-apiserver appends to (root, 0600). */
  file: AUDIT_LOG_FILE,
  /** `--audit-log-path`. */
  path: `${AUDIT_LOG_DIR}/${AUDIT_LOG_FILE}`,
  /**
   * Rotation (`--audit-log-maxsize` MB, `--audit-log-maxbackup` files, `--audit-log-maxage` days):
   * at maxSizeMb kube-apiserver renames the file to `audit-<UTC timestamp>.log` in the same folder
   * and starts a new `audit.log`; the renamed copies hold lines already shipped, so the shipper
   * tails `path` alone.
   */
  maxSizeMb: 100,
  maxBackups: 10,
  maxAgeDays: 30,
} as const;
