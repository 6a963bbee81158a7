#!/usr/bin/env bash
# The cluster-identity backup (issue 13, disaster recovery), run for real:
#
#   bash scripts/verify-identity-backup.sh            # dist/lab
#   VERIFY_IDENTITY_DIST=dist/dev bash scripts/verify-identity-backup.sh
#
# Runs the generated dist/<cluster>/backup-identity.sh verbatim with PVE_K8S_NODE_EXEC set to a stub
# node: a temp dir standing in for the first control plane's root (its /usr bind-mounted read-only in
# a private mount namespace, then chroot), holding random stand-ins of every identity file. Checks:
# the script targets the first control plane named in RESTORE.md; the output is 0600; decrypting it
# with the command RESTORE.md gives yields every file byte for byte and nothing else; no identity
# byte and not the passphrase appear in the script's output. NEGATIVE CONTROLS: a wrong passphrase
# fails to decrypt; a node missing a file (etcd/ca.key) fails the backup, names the file and leaves
# no output; an output path inside a Git work tree is refused.
# shellcheck disable=SC2016 # single quotes go to inner shells
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${VERIFY_IDENTITY_DIST:-$ROOT/dist/lab}"
[[ $DIST == /* ]] || DIST="$ROOT/$DIST"
log() { printf '[identity-backup] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; log "RESULT: FAIL ($*)"; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (mount namespace and chroot for the stub node)"
for t in openssl tar unshare chroot git; do command -v "$t" >/dev/null || die "$t not found"; done
SCRIPT="$DIST/backup-identity.sh"
[[ -f $SCRIPT && -f $DIST/RESTORE.md ]] || die "$SCRIPT or RESTORE.md not found (npm run synth)"

T="$(mktemp -d /tmp/verify-identity.XXXXXX)"
trap 'rm -rf "$T"' EXIT
export T
FAKE="$T/root"
mkdir -p "$FAKE/usr" "$FAKE/etc" "$T/out"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$FAKE/$l"; done

# The identity files, read from the script itself (one list, lifecycle/backup-identity.ts).
mapfile -t FILES < <(sed -n 's/^for f in \(.*\); do$/\1/p' "$SCRIPT" | tr ' ' '\n')
[[ ${#FILES[@]} -ge 9 ]] || die "cannot read the identity file list from $SCRIPT"
for f in "${FILES[@]}"; do
  mkdir -p "$FAKE$(dirname "$f")"
  openssl rand -base64 48 >"$FAKE$f"
done
chmod 600 "$FAKE"/etc/kubernetes/pki/*.key
openssl rand -base64 32 >"$T/pass"
openssl rand -base64 32 >"$T/wrong-pass"

cat >"$T/node-exec" <<'EOF'
#!/bin/bash
# PVE_K8S_NODE_EXEC stub: CMD NAME IP; the node script on stdin runs as root in the fake root.
echo "$1 $2" >>"$T/exec-calls"
exec unshare --mount --propagation private bash -c 'mount --rbind -o ro /usr "$1/usr" && exec chroot "$1" /usr/bin/bash -s' _ "$T/root"
EOF
chmod +x "$T/node-exec"
run_backup() { PVE_K8S_NODE_EXEC="$T/node-exec" PVE_K8S_IDENTITY_PASSPHRASE_FILE="$T/pass" bash "$SCRIPT" "$1" >"$T/log" 2>&1; }

first_cp="$(sed -n 's/^- Control planes: //p' "$DIST/RESTORE.md" | grep -oE '^[a-z0-9-]+ \([0-9.]+\)' | tr -d '()')"
[[ -n $first_cp ]] || die "cannot read the first control plane from RESTORE.md"

log "backup of ${#FILES[@]} files from the stub ${first_cp% *}"
run_backup "$T/out/identity.enc" || { cat "$T/log" >&2; die "backup-identity.sh failed"; }
[[ "$(cat "$T/exec-calls")" == "$first_cp" ]] || die "the script ran on '$(cat "$T/exec-calls")', not the first control plane '$first_cp'"
[[ "$(stat -c %a "$T/out/identity.enc")" == 600 ]] || die "the backup is mode $(stat -c %a "$T/out/identity.enc"), not 0600"
[[ -z "$(find "$T/out" -name '.backup-identity.*')" ]] || die "a temp file is left next to the backup"
grep -qF -f "$T/pass" "$T/log" && die "the passphrase appears in the script's output"
for f in "${FILES[@]}"; do grep -qF -f "$FAKE$f" "$T/log" && die "the content of $f appears in the script's output"; done

# Decrypt with RESTORE.md's own command (the text between backticks on its "openssl enc -d" line).
decrypt="$(grep -oE 'openssl enc -d [^`|]*' "$DIST/RESTORE.md" | head -1 | sed 's/[[:space:]]*$//')"
[[ $decrypt == *'-pass file:'* && $decrypt == *' -in '* ]] || die "RESTORE.md has no openssl decrypt command"
decrypt_to() { # decrypt_to PASSFILE DIR
  local cmd=${decrypt/-pass file:* -in */-pass file:$1 -in $T/out/identity.enc}
  mkdir -p "$2" && bash -c "$cmd" 2>"$T/decrypt.err" | tar -xz -C "$2" 2>>"$T/decrypt.err"
}
decrypt_to "$T/pass" "$T/restored" || { cat "$T/decrypt.err" >&2; die "decrypting with RESTORE.md's command failed"; }
for f in "${FILES[@]}"; do cmp -s "$FAKE$f" "$T/restored$f" || die "$f differs after the round trip"; done
[[ "$(find "$T/restored" -type f | wc -l)" -eq ${#FILES[@]} ]] || die "the archive holds files besides the identity"
log "pass: ${#FILES[@]} files restored byte for byte, output 0600, no secret in the output"

log "NEGATIVE CONTROL: a wrong passphrase"
if decrypt_to "$T/wrong-pass" "$T/wrong"; then die "a wrong passphrase decrypted the backup"; fi
log "pass: refused ($(head -c 120 "$T/decrypt.err" | tr '\n' ' '))"

log "NEGATIVE CONTROL: the node lacks etcd/ca.key"
mv "$FAKE/etc/kubernetes/pki/etcd/ca.key" "$T/ca.key.aside"
if run_backup "$T/out/missing.enc"; then die "a backup without etcd/ca.key succeeded"; fi
grep -q 'missing on .*: /etc/kubernetes/pki/etcd/ca.key' "$T/log" || { cat "$T/log" >&2; die "the missing file is not named"; }
[[ ! -e $T/out/missing.enc && -z "$(find "$T/out" -name '.backup-identity.*')" ]] || die "a failed backup left a file"
mv "$T/ca.key.aside" "$FAKE/etc/kubernetes/pki/etcd/ca.key"
log "pass: failed and named the file, nothing written"

log "NEGATIVE CONTROL: an output inside a Git work tree"
git init -q "$T/repo"
if run_backup "$T/repo/identity.enc"; then die "a backup inside a Git work tree was written"; fi
grep -q 'inside a Git work tree' "$T/log" || die "the Git refusal is not explained"
[[ ! -e $T/repo/identity.enc ]] || die "the refused backup exists"
log "pass: refused"
log "RESULT: PASS"
