/** Files the kube-apiserver reads besides kubeadm's: audit policy, encryption at rest, admission. */
import { toYaml } from '../format/yaml';
import type { ClusterModel } from '../spec';
import { type BootstrapSecrets, yamlSecret } from './secrets';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** The control plane's own components (kubeadm's client certificate names): their reads are high-volume watches. */
const SYSTEM_COMPONENT_USERS = ['system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-proxy'] as const;

/**
 * Audit policy: no noise (health probes, events, the API server's own and node heartbeats),
 * no reads by the control plane's own components, only metadata for objects that may carry secrets,
 * request and response bodies for RBAC changes, request bodies for other changes, metadata for the rest.
 */
export function renderAuditPolicy(): string {
  const policy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics'] },
      { level: 'None', users: ['system:apiserver'] },
      { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
      { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }], verbs: ['get', 'update', 'watch'] },
      { level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'list', 'watch'] },
      { level: 'None', users: [...SYSTEM_COMPONENT_USERS], verbs: ['get', 'list', 'watch'] },
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
          { group: 'authorization.k8s.io', resources: ['subjectaccessreviews', 'selfsubjectaccessreviews'] },
        ],
      },
      // Who was granted what: RBAC changes with the object as stored.
      { level: 'RequestResponse', resources: [{ group: 'rbac.authorization.k8s.io' }], verbs: WRITE_VERBS },
      { level: 'Request', verbs: WRITE_VERBS },
      { level: 'Metadata' },
    ],
  };
  return toYaml(policy);
}

/** The name of the day-1 key: every secretbox value in etcd carries it (`k8s:enc:secretbox:v1:key1:`). */
export const ENCRYPTION_KEY_NAME = 'key1';

/** One secretbox key of an EncryptionConfiguration: the first one encrypts, all of them decrypt. */
export interface EncryptionKey {
  readonly name: string;
  /** base64 of 32 bytes, or a marker / shell variable the caller replaces. */
  readonly secret: string;
}

/** EncryptionConfiguration: Secrets encrypted with secretbox (XSalsa20-Poly1305); identity reads old plaintext. */
export function renderEncryptionConfig(secrets: BootstrapSecrets): string {
  return renderEncryptionConfigKeys([{ name: ENCRYPTION_KEY_NAME, secret: secrets.encryptionKey }]);
}

/** The same file with several keys (the key rotation of OPERATIONS.md writes one per phase). */
export function renderEncryptionConfigKeys(keys: readonly EncryptionKey[]): string {
  const slot = (i: number) => `__PVE_K8S_SECRET_ENCRYPTION_KEY_${i}__`;
  const config = {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: ['secrets'],
        providers: [{ secretbox: { keys: keys.map((k, i) => ({ name: k.name, secret: slot(i) })) } }, { identity: {} }],
      },
    ],
  };
  return keys.reduce((text, k, i) => text.replace(slot(i), yamlSecret(k.secret)), toYaml(config));
}

/**
 * The cluster-wide Pod Security default, for namespaces without pod-security.kubernetes.io labels
 * (every platform and tenant namespace has its own): enforce baseline, audit and warn restricted.
 */
export const POD_SECURITY_DEFAULTS = { enforce: 'baseline', audit: 'restricted', warn: 'restricted' } as const;

/**
 * What the node bootstrap takes from the platform's manifests, where it is decided
 * (manifests/pod-security.ts `manifestFacts`). The callers that render both (bin/dist.ts,
 * infra/stack.ts) pass it in: cloud-init never imports manifests/.
 */
export interface ManifestFacts {
  /** Sorted platform namespaces whose Pod Security level is privileged, as the add-ons declare them. */
  readonly privilegedNamespaces: readonly string[];
}

/**
 * Namespaces exempt from Pod Security: kube-system (static pods, CoreDNS, Cilium: host network and
 * paths) and the platform namespaces the add-ons declare privileged.
 */
export function podSecurityExemptNamespaces(manifests: ManifestFacts): string[] {
  return [...new Set(['kube-system', ...manifests.privilegedNamespaces])].sort();
}

/** kube-apiserver's AdmissionConfiguration: the PodSecurity plugin's cluster defaults and exemptions. */
export function renderAdmissionConfig(model: ClusterModel, manifests: ManifestFacts): string {
  const version = `v${model.kubernetes.minor.minor}`;
  const d = POD_SECURITY_DEFAULTS;
  return toYaml({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AdmissionConfiguration',
    plugins: [
      {
        name: 'PodSecurity',
        configuration: {
          apiVersion: 'pod-security.admission.config.k8s.io/v1',
          kind: 'PodSecurityConfiguration',
          defaults: { enforce: d.enforce, 'enforce-version': version, audit: d.audit, 'audit-version': version, warn: d.warn, 'warn-version': version },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: podSecurityExemptNamespaces(manifests) },
        },
      },
    ],
  });
}
