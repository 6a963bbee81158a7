/**
 * Facts the node bootstrap (cloud-init/) and the GitOps manifests (manifests/) must agree on,
 * derived from the cluster model: both import them from here, never from each other.
 */
export * from './bootstrap';
export * from './audit-log';
export * from './certs';
export * from './cilium';
export * from './gitops-root';
