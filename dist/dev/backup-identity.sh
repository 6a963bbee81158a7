#!/usr/bin/env bash
# Backs up the identity of cluster dev (CAs, service-account keys, encryption configuration) from
# dev-cp-1, encrypted on this machine. Generated from the cluster spec by lifecycle/backup-identity.ts; do not edit.
# Run it after the first bootstrap and after every CA or encryption-key rotation; keep the output and
# the passphrase file apart, both off the nodes and out of Git. Restoring: RESTORE.md, "Full rebuild".
#
#   PVE_K8S_IDENTITY_PASSPHRASE_FILE=<file> bash backup-identity.sh dev-identity.tar.gz.enc
#
# PVE_K8S_SSH_USER (default ubuntu), PVE_K8S_NODE_EXEC (a command run as `CMD NAME IP` that gives
# a root bash reading stdin on that node, instead of SSH).
set -euo pipefail

readonly NODE_NAME=dev-cp-1 NODE_IP=10.30.0.11
readonly SSH_USER="${PVE_K8S_SSH_USER:-ubuntu}"
# Progress on stderr; never a secret.
log() {
  printf '[backup-identity] %s\n' "$*" >&2
}

# Stops with a message.
die() {
  log "FAILED: $*"
  exit 1
}

# The part that runs as root on the node: checks every file, then writes the tar to stdout.
node_script() {
cat <<'NODE_SCRIPT'
set -euo pipefail
missing=0
for f in /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/ca.key /etc/kubernetes/pki/sa.key /etc/kubernetes/pki/sa.pub /etc/kubernetes/pki/front-proxy-ca.crt /etc/kubernetes/pki/front-proxy-ca.key /etc/kubernetes/pki/etcd/ca.crt /etc/kubernetes/pki/etcd/ca.key /etc/kubernetes/encryption/config.yaml; do
  [[ -f $f ]] || { echo "missing on $(hostname): $f" >&2; missing=1; }
done
(( missing == 0 )) || exit 3
tar --create --gzip --numeric-owner --file - --directory / -- etc/kubernetes/pki/ca.crt etc/kubernetes/pki/ca.key etc/kubernetes/pki/sa.key etc/kubernetes/pki/sa.pub etc/kubernetes/pki/front-proxy-ca.crt etc/kubernetes/pki/front-proxy-ca.key etc/kubernetes/pki/etcd/ca.crt etc/kubernetes/pki/etcd/ca.key etc/kubernetes/encryption/config.yaml
NODE_SCRIPT
}

# Runs the node script as root on the first control plane; the tar on stdout.
on_node() {
  node_script | if [[ -n ${PVE_K8S_NODE_EXEC:-} ]]; then
    "$PVE_K8S_NODE_EXEC" "$NODE_NAME" "$NODE_IP"
  else
    ssh -o BatchMode=yes -o ConnectTimeout=10 "${SSH_USER}@${NODE_IP}" sudo bash -s
  fi
}

out="${1:-}"
[[ -n $out ]] || die "usage: PVE_K8S_IDENTITY_PASSPHRASE_FILE=<file> bash backup-identity.sh <output file>"
pass="${PVE_K8S_IDENTITY_PASSPHRASE_FILE:-}"
[[ -n $pass && -s $pass ]] || die "PVE_K8S_IDENTITY_PASSPHRASE_FILE must name a non-empty file holding the passphrase (e.g. openssl rand -base64 32 > file; keep it off the nodes)"
[[ ! -e $out ]] || die "$out exists: choose a new name (an older backup is never overwritten)"
out_dir="$(cd "$(dirname "$out")" && pwd)" || die "the folder of $out does not exist"
if git -C "$out_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  die "$out_dir is inside a Git work tree: keep the identity backup out of Git (and out of dist/)"
fi
umask 077
tmp="$(mktemp "$out_dir/.backup-identity.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
log "reading 9 files from ${NODE_NAME} (${NODE_IP})"
on_node | openssl enc -e -aes-256-cbc -salt -pbkdf2 -iter 600000 -md sha256 -pass "file:$pass" -out "$tmp" \
  || die "reading the files from ${NODE_NAME} or encrypting them failed (output above)"
mv "$tmp" "$out"
trap - EXIT
log "written $out (mode 0600, AES-256-CBC, PBKDF2 600000); check it: openssl enc -d -aes-256-cbc -salt -pbkdf2 -iter 600000 -md sha256 -pass file:<file> -in $out | tar -tz"
