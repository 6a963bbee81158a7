/**
 * kubeadm certificate renewal: when the control planes renew (cloud-init/certs-renewal.ts) and,
 * from the same numbers, when the platform alerts that it has not (manifests/addons/alert-rules.ts).
 */
export const CERT_RENEWAL = {
  /** Renew when the first certificate expires within this many days (PVE_K8S_RENEW_BEFORE_DAYS overrides). */
  renewBeforeDays: 60,
  /** Local time of the weekly run. */
  time: '03:30:00',
  /** Static pods restarted after a renewal, in this order (etcd first: the API server is its client). */
  staticPods: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'],
  /** Seconds a static pod may take to stop, and to be running and healthy again. */
  stopSeconds: 120,
  startSeconds: 180,
} as const;
