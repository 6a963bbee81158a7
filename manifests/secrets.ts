/**
 * The Secrets the operator creates before the add-ons sync (nothing in Git holds a secret), and
 * SECRETS.md, which lists them with their commands. One list: the document is rendered from it
 * and the tests check it against the rendered manifests.
 */
import { GITOPS_BOOTSTRAP } from '../facts';
import { sq, words } from '../format/shell';
import type { ClusterModel } from '../spec';
import { ETCD_BACKUP_NAMESPACE, ETCD_S3_SECRET } from './addons/etcd-backup';
import { HARBOR_ADMIN_SECRET, HARBOR_NAMESPACE } from './addons/harbor';
import { GRAFANA_ADMIN_SECRET, MONITORING_NAMESPACE } from './addons/monitoring';
import { VELERO_NAMESPACE, VELERO_S3_SECRET } from './addons/velero';

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
}

const password = (file: string): string => `openssl rand -base64 24 | tr -d '\\n' > ${file}`;

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
  }
  if (model.backups.s3) {
    out.push({
      ...none, namespace: ETCD_BACKUP_NAMESPACE, name: ETCD_S3_SECRET, usedBy: `the etcd snapshot upload to s3://${model.backups.s3.bucket}`,
      files: [
        { key: 'AWS_ACCESS_KEY_ID', file: 's3-access-key-id', holds: 'the S3 access key ID (no trailing newline)' },
        { key: 'AWS_SECRET_ACCESS_KEY', file: 's3-secret-access-key', holds: 'the S3 secret access key (no trailing newline)' },
      ],
    });
    if (veleroRendered) {
      out.push({
        ...none, namespace: VELERO_NAMESPACE, name: VELERO_S3_SECRET.name, usedBy: `Velero's backups to s3://${model.backups.s3.bucket}`,
        files: [{ key: VELERO_S3_SECRET.key, file: 'credentials-velero', holds: 'an AWS credentials file: [default], aws_access_key_id=..., aws_secret_access_key=...' }],
      });
    }
  }
  const repo = repositorySecret(model);
  if (repo) out.push(repo);
  return out;
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
  if (secrets.length === 0) return [...lines, 'This cluster needs none.', ''].join('\n');
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
    lines.push(`## ${i + 1}. \`${s.namespace}/${s.name}\`: ${s.usedBy}`, '', '```sh', ...secretCommands(s), '```', '');
  });
  lines.push('Once every Secret exists:', '', '```sh', `cd && rm -rf ~/pve-k8s-secrets/${model.name}`, '```', '');
  return lines.join('\n');
}
