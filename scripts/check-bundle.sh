#!/usr/bin/env bash
# The bundle (lib/bundle/synth.js: what `npm run synth` runs) writes byte-identical output to the
# plain tsc build (lib/bin/synth.js) for every example cluster, every accepted fixture and lab
# grown to 300 workers. The bundle replaces two dependency files (scripts/bundle.mjs); this is
# the proof that neither changes a byte. Control: a one-byte change in one tree must be caught.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { printf '[check-bundle] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
[[ -f lib/bundle/synth.js && -f lib/bin/synth.js ]] || die "run npm run build first (lib/bundle/synth.js or lib/bin/synth.js is missing)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node scripts/lib/scale-spec.js 300 >"$WORK/scale-300.yaml"

compare() { # name, spec args...
  local name=$1; shift
  node lib/bin/synth.js "$@" --out "$WORK/$name/tsc" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err" >&2; die "$name: lib/bin/synth.js failed"; }
  node lib/bundle/synth.js "$@" --out "$WORK/$name/bundle" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err" >&2; die "$name: lib/bundle/synth.js failed"; }
  diff -r "$WORK/$name/tsc" "$WORK/$name/bundle" >"$WORK/$name.diff" || { head -40 "$WORK/$name.diff" >&2; die "$name: the bundle's output differs from the tsc build's"; }
  log "$name: identical ($(find "$WORK/$name/tsc" -type f | wc -l) files)"
}

compare clusters
for f in test/fixtures/accept/*.yaml; do compare "$(basename "$f" .yaml)" --spec "$f"; done
compare scale-300 --spec "$WORK/scale-300.yaml"

# Control: the comparison must notice one changed byte.
victim="$(find "$WORK/clusters/bundle" -name 'cdk.tf.json' | head -1)"
printf ' ' >>"$victim"
if diff -r "$WORK/clusters/tsc" "$WORK/clusters/bundle" >/dev/null; then die "control: a changed byte in $victim went unnoticed"; fi
log "control: a one-byte change is caught"
