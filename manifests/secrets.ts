/**
 * The Secrets the operator creates before the add-ons sync (nothing in Git holds a secret), and
 * SECRETS.md, which lists them with their commands. One list: the document is rendered from it
 * and the tests check it against the rendered manifests.
 */
import { GITOPS_BOOTSTRAP } from '../facts';
import { sq, words } from '../format/shell';
import type { ClusterModel } from '../spec';
import { ETCD_BACKUP_NAMESPACE, ETCD_S3_SECRET } from './addons/etcd-backup';
import { sopsAgeSecret, sopsSecretsSection } from './sops';
import { HARBOR_ADMIN_SECRET, HARBOR_CREDENTIALS, HARBOR_NAMESPACE } from './addons/harbor';
import { GRAFANA_ADMIN_SECRET, MONITORING_NAMESPACE } from './addons/monitoring';
import { VELERO_NAMESPACE, VELERO_REPO_SECRET, VELERO_S3_SECRET } from './addons/velero';

/** One key whose value is secret: read from a file (`--from-file`), never given on the command line. */
export interface SecretFileKey {
  readonly key: string;
  /** File in the operator's working folder. */
  readonly file: string;
  /** Commands that write the file (a generated password, public data from the spec), or undefined: the operator writes it. */
  readonly generate?: string;
  /** What the file holds, for the operator. */
  readonly holds: string;
}

export interface RequiredSecret {
  readonly namespace: string;
  readonly name: string;
  /** What reads it. */
  readonly usedBy: string;
  readonly files: readonly SecretFileKey[];
  /** Keys whose values are not secret (a user name, a URL): `--from-literal`. */
  readonly literals: readonly (readonly [string, string])[];
  readonly labels: Readonly<Record<string, string>>;
  /** What the operator must know before creating or changing it (paragraphs). @default none */
  readonly notes?: readonly string[];
}

/** A random value of `bytes` bytes, base64 (4 characters per 3 bytes) or hex (2 per byte), without a newline. */
const random = (file: string, bytes = 24, encoding: 'base64' | 'hex' = 'base64'): string => `openssl rand -${encoding} ${bytes} | tr -d '\\n' > ${file}`;
const password = (file: string): string => random(file);

/** Argo CD finds a repository's credentials by this label and the Secret's url. */
export const ARGOCD_REPOSITORY_LABEL = { 'argocd.argoproj.io/secret-type': 'repository' } as const;

/**
 * Every Secret the cluster's add-ons and GitOps root read and nothing creates, in the order to
 * create them: the add-ons' first, the repository credentials last (with a private repository
 * nothing syncs before it exists, so the add-ons then find their Secrets in place).
 */
export function requiredSecrets(model: ClusterModel, veleroRendered: boolean): RequiredSecret[] {
  const none = { literals: [], labels: {} } as const;
  const out: RequiredSecret[] = [];
  if (model.monitoring.enabled) {
    const g = GRAFANA_ADMIN_SECRET;
    out.push({
      ...none, namespace: MONITORING_NAMESPACE, name: g.name, usedBy: 'Grafana\'s admin login',
      literals: [[g.userKey, 'admin']],
      files: [{ key: g.passwordKey, file: 'grafana-admin-password', generate: password('grafana-admin-password'), holds: 'a generated password' }],
    });
  }
  if (model.harbor.enabled) {
    const h = HARBOR_ADMIN_SECRET;
    out.push({
      ...none, namespace: HARBOR_NAMESPACE, name: h.name, usedBy: 'Harbor\'s admin password',
      files: [{ key: h.key, file: 'harbor-admin-password', generate: password('harbor-admin-password'), holds: 'a generated password' }],
    });
    out.push(harborCredentials());
  }
  if (model.backups.s3) {
    out.push({
      ...none, namespace: ETCD_BACKUP_NAMESPACE, name: ETCD_S3_SECRET, usedBy: `the etcd snapshot upload to s3://${model.backups.s3.bucket}`,
      files: [
        { key: 'AWS_ACCESS_KEY_ID', file: 's3-access-key-id', holds: 'the S3 access key ID (no trailing newline)' },
        { key: 'AWS_SECRET_ACCESS_KEY', file: 's3-secret-access-key', holds: 'the S3 secret access key (no trailing newline)' },
      ],
      notes: [
        'The snapshots share the bucket with Velero. So that someone holding these credentials (any control plane',
        'runs the upload) cannot delete or overwrite the history: create the bucket with object lock (S3 Object',
        `Lock or your store's equivalent) and a default retention in compliance mode at least as long as you keep`,
        `snapshots (e.g. 30 days), a lifecycle rule that expires \`etcd/${model.name}/\` objects after it, and give these`,
        `credentials s3:PutObject on \`${model.backups.s3.bucket}/etcd/${model.name}/*\` only (no list, no delete).`,
      ],
    });
    if (veleroRendered) {
      const r = VELERO_REPO_SECRET;
      out.push({
        ...none, namespace: VELERO_NAMESPACE, name: r.name, usedBy: 'the password of Velero\'s kopia repositories (volume backups)',
        files: [{ key: r.key, file: 'velero-repository-password', generate: random('velero-repository-password', 32), holds: 'a generated password' }],
        notes: [
          'Create it before Velero starts: Velero creates a missing one with its built-in password, published in its',
          'source, which anyone who can read the bucket could then use to read and forge the volume backups. The',
          'Velero server mounts it, so it waits for this Secret. Never change it once a backup ran: each kopia',
          'repository keeps the password it was created with. Keep a copy off the cluster (password manager): a',
          'restore into a rebuilt cluster needs it.',
          `A cluster whose Velero started before this Secret was listed has Velero's built-in password: check with`,
          `\`kubectl -n velero get secret ${r.name} -o jsonpath='{.data.${r.key}}' | base64 -d | wc -c\``,
          '(15 characters: the built-in one). Then delete that Secret, the BackupRepository objects and the',
          `\`velero/${model.name}/kopia/\` prefix in the bucket (the existing volume backups become unreadable), create`,
          'this one and restart Velero (`kubectl -n velero rollout restart deployment velero`).',
        ],
      });
      out.push({
        ...none, namespace: VELERO_NAMESPACE, name: VELERO_S3_SECRET.name, usedBy: `Velero's backups to s3://${model.backups.s3.bucket}`,
        files: [{ key: VELERO_S3_SECRET.key, file: 'credentials-velero', holds: 'an AWS credentials file: [default], aws_access_key_id=..., aws_secret_access_key=...' }],
        notes: [
          'Velero\'s resource backups hold every backed-up Secret in clear JSON (only volume data goes through the',
          `encrypted kopia repository). Velero writes them with server-side encryption (\`serverSideEncryption: ${model.backups.s3.serverSideEncryption}\`,`,
          'SSE-S3; the store must support it, MinIO with a KMS configured, or Velero\'s uploads fail): that protects them',
          'at rest on the storage, not from a reader: anyone with these credentials (or others that may read the',
          'bucket) gets every Secret in clear. Treat the bucket and these credentials like cluster-admin: versioning',
          'on, these credentials for this bucket only, read access for nobody else.',
        ],
      });
    }
  }
  out.push(...gitopsTrustSecrets(model));
  const age = sopsAgeSecret(model);
  if (age) out.push(age);
  const repo = repositorySecret(model);
  if (repo) out.push(repo);
  return out;
}

/**
 * Argo CD's OIDC client secret (addons.gitops.argocd.oidc) and, with Flux, the public keys the root
 * GitRepository verifies commits with (addons.gitops.commitSigning).
 */
function gitopsTrustSecrets(model: ClusterModel): RequiredSecret[] {
  const out: RequiredSecret[] = [];
  const oidc = model.gitops.argocd?.oidc;
  if (oidc) {
    out.push({
      namespace: GITOPS_BOOTSTRAP.argocd.namespace, name: oidc.clientSecretRef, usedBy: `Argo CD's single sign-on (client ${oidc.clientId} at ${oidc.issuer})`,
      literals: [], labels: { 'app.kubernetes.io/part-of': 'argocd' },
      files: [{ key: 'clientSecret', file: 'argocd-oidc-client-secret', holds: 'the client secret the OIDC provider issued for Argo CD (no trailing newline)' }],
      notes: [
        'Argo CD reads `$' + oidc.clientSecretRef + ':clientSecret` (its argocd-cm oidc.config) only from a Secret with the label',
        'below. With single sign-on the local admin is disabled: until this Secret exists and the provider answers,',
        'nobody signs in to the UI (kubectl still works). Sign-in gives role:readonly; the groups of',
        '`addons.gitops.argocd.oidc.adminGroups` get role:admin.',
      ],
    });
  }
  const signing = model.gitops.commitSigning;
  if (signing && model.gitops.bootstrap === 'flux') {
    out.push({
      namespace: GITOPS_BOOTSTRAP.flux.namespace, name: signing.publicKeysSecret, usedBy: 'Flux\'s root GitRepository (verify: HEAD): the keys whose signed commits sync',
      literals: [], labels: {},
      files: signing.keyIds.map((id) => ({ key: `${id}.asc`, file: `${id}.asc`, generate: `gpg --export --armor ${id} > ${id}.asc`, holds: `the armored public key ${id}` })),
      notes: [
        'Public keys, not secrets; Flux reads them from a Secret. Until it exists the root GitRepository is not',
        'ready and nothing syncs; a commit at the revision signed by no listed key stops the sync the same way.',
      ],
    });
  }
  return out;
}

/** Every Harbor credential besides the admin password: generated, never the chart's defaults. */
function harborCredentials(): RequiredSecret {
  const { name, keys, registryUser } = HARBOR_CREDENTIALS;
  const file = (key: string, f: string, generate: string, holds: string): SecretFileKey => ({ key, file: f, generate, holds });
  return {
    namespace: HARBOR_NAMESPACE, name, usedBy: 'Harbor\'s keys and internal passwords', literals: [], labels: {},
    files: [
      // The chart's 16- and 32-character keys: base64 of 12 and 24 random bytes.
      file(keys.secretKey, 'harbor-secret-key', random('harbor-secret-key', 12), 'the 16-character key Harbor encrypts stored credentials with'),
      file(keys.core, 'harbor-core-secret', random('harbor-core-secret', 12), 'the 16-character secret between Harbor\'s components'),
      file(keys.xsrf, 'harbor-csrf-key', random('harbor-csrf-key', 24), 'the 32-character CSRF key'),
      file(keys.jobservice, 'harbor-jobservice-secret', random('harbor-jobservice-secret', 12), 'the 16-character job service secret'),
      file(keys.registryHttp, 'harbor-registry-http-secret', random('harbor-registry-http-secret', 12), 'the 16-character registry HTTP secret'),
      file(keys.registryPassword, 'harbor-registry-password', random('harbor-registry-password', 24, 'hex'), 'the registry password of core and the job service'),
      file(keys.registryHtpasswd, 'harbor-registry-htpasswd',
        `htpasswd -niB ${registryUser} < harbor-registry-password | tr -d '\\n' > harbor-registry-htpasswd`,
        `its bcrypt htpasswd line for ${registryUser} (htpasswd: apache2-utils or httpd-tools)`),
      file(keys.database, 'harbor-database-password', random('harbor-database-password', 24, 'hex'), 'the internal database\'s password'),
      file(keys.tokenKey, 'harbor-token.key',
        'openssl req -x509 -newkey rsa:4096 -nodes -sha256 -days 3650 -subj /CN=harbor-token-ca -keyout harbor-token.key -out harbor-token.crt 2>/dev/null',
        'the token service\'s signing key'),
      file(keys.tokenCert, 'harbor-token.crt', '# ./harbor-token.crt: written by the command above', 'its self-signed certificate'),
    ],
    notes: [
      'A Harbor installed before this Secret was listed runs with the chart\'s defaults: its database was',
      'initialized with the chart\'s password and its stored credentials (replication endpoints, OIDC client',
      'secret) are encrypted with the chart\'s key. Before you push the `dist/` that brings this Secret (the database',
      'pod still runs the old values), generate the files below and set the database password:',
      '`printf "ALTER USER postgres PASSWORD \'%s\';\\n" "$(cat harbor-database-password)" | kubectl -n harbor exec -i harbor-database-0 -- psql -U postgres`',
      '(printf is a shell builtin: the password shows in no process list); then create the Secret, push, and enter',
      'the stored credentials again in Harbor.',
    ],
  };
}

/** The credentials Secret of a private GitOps repository, in the engine's namespace. */
function repositorySecret(model: ClusterModel): RequiredSecret | undefined {
  const { root, bootstrap: engine } = model.gitops;
  const c = root?.credentials;
  if (!root || !c || !engine) return undefined;
  const namespace = GITOPS_BOOTSTRAP[engine].namespace;
  const usedBy = `${engine === 'flux' ? 'Flux\'s root GitRepository (secretRef)' : 'Argo CD (matched by its label and url)'}: fetching ${root.repoUrl}`;
  const key = { key: engine === 'flux' ? 'identity' : 'sshPrivateKey', file: 'deploy-key', holds: 'the private key of a read-only deploy key registered on the Git server (ssh-keygen -t ed25519 -N "" -f deploy-key)' };
  const token = [
    { key: 'username', file: 'git-username', holds: 'the Git user name (no trailing newline)' },
    { key: 'password', file: 'git-token', holds: 'a read-only access token of that user (no trailing newline)' },
  ];
  if (engine === 'flux') {
    return {
      namespace, name: c.secretName, usedBy, literals: [], labels: {},
      files: c.type === 'ssh'
        ? [key, { key: 'known_hosts', file: 'known_hosts', generate: ['cat > known_hosts <<\'EOF\'', c.knownHosts!.trimEnd(), 'EOF'].join('\n'), holds: 'addons.gitops.credentials.knownHosts' }]
        : token,
    };
  }
  return {
    namespace, name: c.secretName, usedBy, labels: ARGOCD_REPOSITORY_LABEL,
    literals: [['type', 'git'], ['url', root.repoUrl]],
    files: c.type === 'ssh' ? [key] : token,
  };
}

/** The shell commands that create one Secret (its namespace first: the platform labels it later). */
export function secretCommands(s: RequiredSecret): string[] {
  const ns = `-n ${s.namespace}`;
  return [
    `kubectl get namespace ${s.namespace} >/dev/null 2>&1 || kubectl create namespace ${s.namespace}`,
    ...s.files.map((f) => (f.generate ? f.generate : `# write ./${f.file}: ${f.holds}`)),
    `kubectl ${ns} create secret generic ${s.name} \\`,
    ...[...s.literals.map(([k, v]) => `--from-literal=${k}=${v}`), ...s.files.map((f) => `--from-file=${f.key}=./${f.file}`)]
      .map((arg, i, all) => `  ${words([arg])}${i < all.length - 1 ? ' \\' : ''}`),
    ...Object.entries(s.labels).map(([k, v]) => `kubectl ${ns} label secret ${s.name} ${sq(`${k}=${v}`)}`),
  ];
}

export function secretsDocument(model: ClusterModel, secrets: readonly RequiredSecret[]): string {
  const root = model.gitops.root;
  const engine = model.gitops.bootstrap;
  const privateRepo = secrets.some((s) => s.namespace === (engine && GITOPS_BOOTSTRAP[engine].namespace) && s.name === root?.credentials?.secretName);
  const when = !engine || !root
    ? ['No GitOps engine syncs this cluster from a repository (addons.gitops): create these Secrets before you apply `dist/' + model.name + '/manifests` yourself.']
    : privateRepo
      ? [
        `The first control plane installs ${engine === 'flux' ? 'Flux' : 'Argo CD'} and the root at the end of its bootstrap, but the private`,
        `repository opens only with the last Secret below: create the add-ons' Secrets first, then the repository's,`,
        'and the sync starts with everything in place. Any order works (the engine and the add-ons retry), this one',
        'avoids failing pods.',
      ]
      : [
        `The first control plane installs ${engine === 'flux' ? 'Flux' : 'Argo CD'} and the root at the end of its bootstrap, and the add-ons start`,
        'syncing on their own right away: create these Secrets as soon as the API answers. An add-on whose Secret is',
        'missing retries until it exists.',
      ];
  const lines = [
    `# Secrets to create: cluster \`${model.name}\``,
    '',
    '<!-- Generated by manifests/secrets.ts from the cluster spec. Do not edit. -->',
    '',
    'Nothing in Git holds a secret: the add-ons reference Secrets you create with kubectl and the admin kubeconfig',
    `(\`terraform output kubeconfig_command\` in \`cdktf.out/stacks/${model.name}\`). Create them again when you rebuild the cluster.`,
    '',
    ...when,
    '',
  ];
  if (secrets.length === 0) return [...lines, 'This cluster needs none.', '', ...sopsSecretsSection(model)].join('\n');
  lines.push(
    '| # | namespace | Secret | keys | used by |',
    '|---|---|---|---|---|',
    ...secrets.map((s, i) => `| ${i + 1} | ${s.namespace} | ${s.name} | ${[...s.literals.map(([k]) => k), ...s.files.map((f) => f.key)].join(', ')} | ${s.usedBy} |`),
    '',
    'Work in a private folder outside the Git checkout. Every secret value goes into a file and reaches kubectl',
    'with `--from-file` (never `--from-literal`: the value would stay in the shell history and show in the process',
    'list); only names and URLs are literals. Delete the files once the Secrets exist (keep the passwords in your',
    'password manager; `kubectl get secret` shows them again).',
    '',
    '```sh',
    `mkdir -p ~/pve-k8s-secrets/${model.name} && cd ~/pve-k8s-secrets/${model.name} && umask 077`,
    '```',
    '',
  );
  secrets.forEach((s, i) => {
    lines.push(`## ${i + 1}. \`${s.namespace}/${s.name}\`: ${s.usedBy}`, '', ...(s.notes ? [...s.notes, ''] : []), '```sh', ...secretCommands(s), '```', '');
  });
  lines.push('Once every Secret exists:', '', '```sh', `cd && rm -rf ~/pve-k8s-secrets/${model.name}`, '```', '', ...sopsSecretsSection(model));
  return lines.join('\n');
}
