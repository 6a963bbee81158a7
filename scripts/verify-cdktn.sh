#!/usr/bin/env bash
# cdktn check of npm run verify: cdktf is archived (0.21.0 is its last release); its maintained fork
# cdktn (CDK Terrain) must synthesize our stacks the same. Installs cdktn and the constructs
# version it requires into .cache/cdktn (gitignored; npm install --prefix, once per version), then
# synthesizes every clusters/*.yaml twice through the same esbuild bundle of bin/cdktf-run.ts
# (scripts/lib/cdktn-synth.mjs): with cdktf from node_modules, and with `cdktf` and `constructs`
# resolved to cdktn's. Every stacks/<name>/cdk.tf.json must be byte-identical except for the
# library version cdktf writes into its "//" metadata block (which Terraform ignores); any other
# difference fails, and is printed path by path. Negative control: a cdktn output with one VM
# attribute changed must be rejected.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf '[verify-cdktn] %s\n' "$*" >&2; }
die() { printf '[verify-cdktn] ERROR: %s\n' "$*" >&2; exit 1; }

CDKTN_VERSION=0.24.0
CONSTRUCTS_VERSION=10.6.0   # cdktn 0.24.0 peer-depends on constructs >=10.6.0 <10.8.0
PREFIX="${ROOT}/.cache/cdktn"
ALLOWED='//.metadata.version'

installed() { node -p "try { require('$PREFIX/node_modules/$1/package.json').version } catch { '' }"; }
if [[ "$(installed cdktn)" != "$CDKTN_VERSION" || "$(installed constructs)" != "$CONSTRUCTS_VERSION" ]]; then
  log "installing cdktn@${CDKTN_VERSION} constructs@${CONSTRUCTS_VERSION} into .cache/cdktn (npm registry) ..."
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error \
    "cdktn@${CDKTN_VERSION}" "constructs@${CONSTRUCTS_VERSION}" >&2 \
    || die "npm install of cdktn@${CDKTN_VERSION} failed (needs the npm registry once; later runs use .cache/cdktn)"
fi
log "cdktn $(installed cdktn), constructs $(installed constructs) (cdktf $(node -p "require('cdktf/package.json').version"), constructs $(node -p "require('constructs/package.json').version"))"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-cdktn.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

t0=$(date +%s)
node scripts/lib/cdktn-synth.mjs "$WORK/cdktf" >/dev/null || die "synth with cdktf failed"
node scripts/lib/cdktn-synth.mjs "$WORK/cdktn" "$PREFIX/node_modules" >/dev/null || die "synth with cdktn failed"
if ! grep -q 'node_modules/cdktn/' "$WORK/cdktn/app.js" || grep -q 'node_modules/cdktf/' "$WORK/cdktn/app.js"; then
  die "the cdktn bundle does not use cdktn alone"
fi
log "synthesized with both in $(( $(date +%s) - t0 ))s; comparing stacks/*/cdk.tf.json (allowed to differ: ${ALLOWED})"
node scripts/lib/stack-diff.js "$WORK/cdktf/cdktf.out" "$WORK/cdktn/cdktf.out" "$ALLOWED" >&2 \
  || die "cdktn synthesizes different Terraform JSON (above: path, cdktf value -> cdktn value)"

log "negative control: one VM attribute changed in the cdktn output must be rejected"
cp -r "$WORK/cdktn/cdktf.out" "$WORK/bad"
sed -i '0,/"cores": [0-9]*/s//"cores": 99/' "$WORK/bad/stacks/lab/cdk.tf.json"
if node scripts/lib/stack-diff.js "$WORK/cdktf/cdktf.out" "$WORK/bad" "$ALLOWED" >"$WORK/bad.log" 2>&1; then
  cat "$WORK/bad.log" >&2; die "negative control accepted"
fi
log "negative control rejected: $(grep '^lab:' "$WORK/bad.log" | cut -c1-160)"
log "cdktn ${CDKTN_VERSION} synthesizes every stack identically but for ${ALLOWED}"
