/**
 * dist/<name>/backup-identity.sh: the cluster's identity, the files without which no etcd snapshot
 * can be turned back into this cluster once every control plane is lost, copied off the first
 * control plane and encrypted on the operator's machine:
 *
 *   PVE_K8S_IDENTITY_PASSPHRASE_FILE=<file only you hold> bash dist/<name>/backup-identity.sh <out>
 *
 * Run it once after the first bootstrap and again after every CA or encryption-key rotation. The
 * etcd-backup CronJob stays confined to the etcd client certificate: the CA keys never reach a pod.
 * The node part is `tar` of fixed paths (a missing file is reported by name and fails); the
 * plaintext only crosses the SSH pipe into `openssl enc` (AES-256-CBC, PBKDF2 with
 * IDENTITY_KDF_ITERATIONS, the passphrase read from the file, never from the command line or the
 * environment). The output is written 0600, and refused inside a Git work tree (never in dist/).
 * PVE_K8S_NODE_EXEC replaces SSH (called as `CMD NAME IP`, the node script on stdin), as in
 * upgrade.sh. Pure: model in, bash out.
 */
import { NODE_PATHS } from '../cloud-init/paths';
import { fn, words } from '../format/shell';
import type { ClusterModel } from '../spec';

/** kubeadm's certificates folder (ClusterConfiguration certificatesDir default). */
const PKI = '/etc/kubernetes/pki';

/**
 * The files of the cluster identity: every CA (certificate and key: kubeadm re-creates every leaf
 * certificate from them), the service-account signing key pair (tokens stay valid) and the
 * encryption configuration (Secrets in etcd stay readable).
 */
export const IDENTITY_FILES: readonly string[] = [
  `${PKI}/ca.crt`,
  `${PKI}/ca.key`,
  `${PKI}/sa.key`,
  `${PKI}/sa.pub`,
  `${PKI}/front-proxy-ca.crt`,
  `${PKI}/front-proxy-ca.key`,
  `${PKI}/etcd/ca.crt`,
  `${PKI}/etcd/ca.key`,
  NODE_PATHS.encryptionConfig,
];

/** PBKDF2 iterations of `openssl enc` (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const IDENTITY_KDF_ITERATIONS = 600000;

/** The `openssl enc` options both sides use (the decrypt command in RESTORE.md adds `-d`). */
export const IDENTITY_CIPHER_ARGS = `-aes-256-cbc -salt -pbkdf2 -iter ${IDENTITY_KDF_ITERATIONS} -md sha256`;

/** The decrypt-and-list command RESTORE.md gives (and the verify check runs). */
export function identityDecryptCommand(archive: string, passphraseFile: string): string {
  return `openssl enc -d ${IDENTITY_CIPHER_ARGS} -pass file:${passphraseFile} -in ${archive}`;
}

export function renderBackupIdentityScript(model: ClusterModel): string {
  const cp = model.controlPlanes[0]!;
  const rel = IDENTITY_FILES.map((f) => f.replace(/^\//, ''));
  return [
    '#!/usr/bin/env bash',
    `# Backs up the identity of cluster ${model.name} (CAs, service-account keys, encryption configuration) from`,
    `# ${cp.name}, encrypted on this machine. Generated from the cluster spec by lifecycle/backup-identity.ts; do not edit.`,
    '# Run it after the first bootstrap and after every CA or encryption-key rotation; keep the output and',
    '# the passphrase file apart, both off the nodes and out of Git. Restoring: RESTORE.md, "Full rebuild".',
    '#',
    `#   PVE_K8S_IDENTITY_PASSPHRASE_FILE=<file> bash backup-identity.sh ${model.name}-identity.tar.gz.enc`,
    '#',
    `# PVE_K8S_SSH_USER (default ${model.ssh.user}), PVE_K8S_NODE_EXEC (a command run as \`CMD NAME IP\` that gives`,
    '# a root bash reading stdin on that node, instead of SSH).',
    'set -euo pipefail',
    '',
    `readonly NODE_NAME=${cp.name} NODE_IP=${cp.ip}`,
    `readonly SSH_USER="\${PVE_K8S_SSH_USER:-${model.ssh.user}}"`,
    fn('log', 'Progress on stderr; never a secret.', [`printf '[backup-identity] %s\\n' "$*" >&2`]),
    fn('die', 'Stops with a message.', ['log "FAILED: $*"', 'exit 1']),
    '# The part that runs as root on the node: checks every file, then writes the tar to stdout.',
    'node_script() {',
    "cat <<'NODE_SCRIPT'",
    'set -euo pipefail',
    'missing=0',
    `for f in ${words(IDENTITY_FILES)}; do`,
    '  [[ -f $f ]] || { echo "missing on $(hostname): $f" >&2; missing=1; }',
    'done',
    '(( missing == 0 )) || exit 3',
    `tar --create --gzip --numeric-owner --file - --directory / -- ${words(rel)}`,
    'NODE_SCRIPT',
    '}',
    '',
    fn('on_node', 'Runs the node script as root on the first control plane; the tar on stdout.', [
      'node_script | if [[ -n ${PVE_K8S_NODE_EXEC:-} ]]; then',
      '  "$PVE_K8S_NODE_EXEC" "$NODE_NAME" "$NODE_IP"',
      'else',
      '  ssh -o BatchMode=yes -o ConnectTimeout=10 "${SSH_USER}@${NODE_IP}" sudo bash -s',
      'fi',
    ]),
    'out="${1:-}"',
    '[[ -n $out ]] || die "usage: PVE_K8S_IDENTITY_PASSPHRASE_FILE=<file> bash backup-identity.sh <output file>"',
    'pass="${PVE_K8S_IDENTITY_PASSPHRASE_FILE:-}"',
    '[[ -n $pass && -s $pass ]] || die "PVE_K8S_IDENTITY_PASSPHRASE_FILE must name a non-empty file holding the passphrase (e.g. openssl rand -base64 32 > file; keep it off the nodes)"',
    '[[ ! -e $out ]] || die "$out exists: choose a new name (an older backup is never overwritten)"',
    'out_dir="$(cd "$(dirname "$out")" && pwd)" || die "the folder of $out does not exist"',
    'if git -C "$out_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then',
    '  die "$out_dir is inside a Git work tree: keep the identity backup out of Git (and out of dist/)"',
    'fi',
    'umask 077',
    'tmp="$(mktemp "$out_dir/.backup-identity.XXXXXX")"',
    'trap \'rm -f "$tmp"\' EXIT',
    `log "reading ${IDENTITY_FILES.length} files from \${NODE_NAME} (\${NODE_IP})"`,
    `on_node | openssl enc -e ${IDENTITY_CIPHER_ARGS} -pass "file:$pass" -out "$tmp" \\`,
    '  || die "reading the files from ${NODE_NAME} or encrypting them failed (output above)"',
    'mv "$tmp" "$out"',
    'trap - EXIT',
    `log "written $out (mode 0600, AES-256-CBC, PBKDF2 ${IDENTITY_KDF_ITERATIONS}); check it: openssl enc -d ${IDENTITY_CIPHER_ARGS} -pass file:<file> -in $out | tar -tz"`,
    '',
  ].join('\n');
}
