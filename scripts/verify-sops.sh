#!/usr/bin/env bash
# SOPS-encrypted Secrets in apps/<cluster>/ (addons.gitops.sops), with the pinned sops and age-keygen
# (TOOLS=sops scripts/tools.sh) and kubectl (scripts/k8s-tools.sh), offline:
#   1. a fresh age key; every clusters/*.yaml rendered as Flux + SOPS for its public key
#      (scripts/sops/render.js) into a scratch Git repository (dist/<name>/, apps/<name>/)
#   2. agreement (scripts/sops/check.js): every decrypting Kustomization names a Secret that
#      SECRETS.md lists; .sops.yaml exists and its rule covers the folder Flux decrypts
#   3. the decrypting Kustomizations validate against the upstream Flux CRD (scripts/manifests/verify.py)
#   4. SECRETS.md's sops example, run as written: the Secret lands in apps/<name>/ encrypted for the
#      key (data only; kind and metadata readable; the value nowhere in clear)
#   5. sops --decrypt with the private key gives the value back (what Flux's kustomize-controller does
#      with the same key, through the same SOPS library)
# Negative controls, each must be refused: a Kustomization decrypting with a Secret SECRETS.md does
# not list; decryption.provider "age" (not in the CRD); decrypting with another age key; encrypting a
# file under dist/ with the rule.
#
#   bash scripts/verify-sops.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
CHECK_NAME=verify-sops
# shellcheck source=scripts/lib/check-report.sh
source "$ROOT/scripts/lib/check-report.sh"
UPSTREAM="${UPSTREAM_DIR:-${ROOT}/../shared/upstream}"
[[ -f "$UPSTREAM/SOURCES.md" ]] || die "upstream data not found at ${UPSTREAM} (set UPSTREAM_DIR): the Flux CRD is needed"
python3 -c 'import jsonschema, referencing, yaml, kubernetes_validate' 2>/dev/null \
  || python3 -m pip install --quiet jsonschema pyyaml kubernetes-validate >&2 || die "pip install failed"

log "tools: sops and age-keygen (scripts/tools.sh), kubectl (scripts/k8s-tools.sh)"
TOOLS=sops bash scripts/tools.sh || die "building sops/age-keygen failed"
K8S_TOOLS=kubectl bash scripts/k8s-tools.sh || die "building kubectl failed"
export PATH="${TOOLS_CACHE:-$ROOT/.cache/tools}/bin:$PATH" SOPS_DISABLE_VERSION_CHECK=1
npx tsc -p scripts/manifests/tsconfig.json || die "TypeScript build of manifests/ failed"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-sops.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# No key from the operator's own setup may take part: sops looks in $HOME/.config, $HOME/.ssh and SOPS_AGE_*.
export HOME="$WORK/home"
unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_KEY_CMD SOPS_AGE_SSH_PRIVATE_KEY_FILE SOPS_AGE_SSH_PRIVATE_KEY_CMD XDG_CONFIG_HOME SOPS_CONFIG
REPO="$WORK/repo"
mkdir -p "$HOME" "$REPO"
age-keygen -o "$WORK/age.agekey" 2>/dev/null || die "age-keygen failed"
RECIPIENT="$(age-keygen -y "$WORK/age.agekey")"
mapfile -t NAMES < <(node scripts/sops/render.js "$REPO" "$RECIPIENT")
[[ ${#NAMES[@]} -gt 0 ]] || die "rendered no cluster"
git -C "$REPO" init -q || die "git init failed"
log "rendered ${NAMES[*]} as Flux + SOPS for a fresh key (${RECIPIENT:0:16}...)"

# expect_fail NAME PATTERN CMD...: a negative control; CMD must fail, saying PATTERN.
expect_fail() {
  local name=$1 pattern=$2 out; shift 2
  if out="$("$@" 2>&1)"; then report FAIL "$name" "accepted"; return; fi
  if grep -qE "$pattern" <<<"$out"; then report PASS "$name" "refused: $(grep -m1 -E "$pattern" <<<"$out" | cut -c1-110)"
  else report FAIL "$name" "failed without saying /$pattern/: $(tail -1 <<<"$out" | cut -c1-110)"; fi
}

dists=(); for n in "${NAMES[@]}"; do dists+=("$REPO/dist/$n"); done
if out="$(node scripts/sops/check.js "${dists[@]}")"; then
  report PASS "decryption Secret listed" "${#dists[@]} cluster(s): Kustomization apps -> a Secret of SECRETS.md; .sops.yaml covers its folder"
else
  report FAIL "decryption Secret listed" "$out"
fi
NEG="$WORK/neg/dist/${NAMES[0]}"
mkdir -p "$(dirname "$NEG")" && cp -r "$REPO/dist/${NAMES[0]}" "$NEG"
sed -i 's/^\(      name: \)sops-age$/\1not-in-secrets-md/' "$NEG/manifests/gitops/Kustomization.flux-system.apps.yaml"
expect_fail "negative: unlisted decryption Secret" 'which SECRETS.md does not list' node scripts/sops/check.js "$NEG"

# The Flux CRD: the decrypting Kustomizations, and a copy with a provider the CRD does not allow.
for n in "${NAMES[@]}"; do
  mkdir -p "$WORK/crd/ok/$n/manifests" "$WORK/crd/bad/$n/manifests"
  cp "$REPO/dist/$n/manifests/gitops/Kustomization.flux-system.apps.yaml" "$WORK/crd/ok/$n/manifests/"
  sed 's/^\(    provider: \)sops$/\1age/' "$WORK/crd/ok/$n/manifests/Kustomization.flux-system.apps.yaml" >"$WORK/crd/bad/$n/manifests/apps.yaml"
done
if out="$(python3 scripts/manifests/verify.py "$UPSTREAM" "$WORK"/crd/ok/* 2>&1)"; then
  report PASS "Kustomization vs Flux CRD" "$(grep -c 'objects valid' <<<"$out") cluster(s): decryption {provider: sops, secretRef} valid (kustomize.toolkit.fluxcd.io/v1)"
else
  report FAIL "Kustomization vs Flux CRD" "$(grep FAIL <<<"$out" | head -3)"
fi
expect_fail "negative: provider age vs CRD" "CRD schema.*'age'|'age'.*CRD schema|provider" python3 scripts/manifests/verify.py "$UPSTREAM" "$WORK"/crd/bad/*

age-keygen -o "$WORK/other.agekey" 2>/dev/null || die "age-keygen failed"
# encrypt_under_dist NAME: the cluster's rule applied to a generated file (must find no rule).
encrypt_under_dist() {
  printf 'kind: Secret\n' | (cd "$REPO" && SOPS_CONFIG="dist/$1/.sops.yaml" sops --encrypt --filename-override "dist/$1/manifests/x.yaml" /dev/stdin)
}
for n in "${NAMES[@]}"; do
  secret_file="apps/$n/my-app-db.secret.yaml"
  value="$(openssl rand -hex 16)"
  mkdir -p "$HOME/pve-k8s-secrets/$n" && printf '%s' "$value" >"$HOME/pve-k8s-secrets/$n/db-password"
  # The example block of SECRETS.md's section on Secrets in Git, run as written from the repository root.
  block="$(awk '/^## Secrets of your applications in Git/{s=1} s&&/^```sh$/{b=1;next} b&&/^```$/{exit} b' "$REPO/dist/$n/SECRETS.md")"
  [[ $block == *"sops --encrypt"* ]] || { report FAIL "$n: SECRETS.md example" "no sops example found"; continue; }
  if ! out="$(cd "$REPO" && bash -euo pipefail -c "$block" 2>&1)"; then
    report FAIL "$n: SECRETS.md example" "$(tail -2 <<<"$out")"; continue
  fi
  if out="$(node -e '
    const [file, value, recipient] = process.argv.slice(1);
    const text = require("node:fs").readFileSync(file, "utf8");
    const s = require("js-yaml").load(text);
    const bad = [];
    if (s.kind !== "Secret" || s.metadata?.name !== "my-app-db" || s.metadata?.namespace !== "my-app") bad.push("kind/metadata not readable");
    if (!/^ENC\[AES256_GCM,/.test(s.data?.password ?? "")) bad.push("data.password not encrypted");
    if (!(s.sops?.age ?? []).some((a) => a.recipient === recipient)) bad.push("not encrypted for the spec key");
    if (text.includes(value) || text.includes(Buffer.from(value).toString("base64"))) bad.push("the value is in the file in clear");
    console.log(bad.join("; ") || "kind/metadata readable, data.password ENC[AES256_GCM,...], age recipient = the spec key, value nowhere in clear");
    process.exit(bad.length ? 1 : 0);' "$REPO/$secret_file" "$value" "$RECIPIENT" 2>&1)"; then
    report PASS "$n: SECRETS.md example encrypts" "$secret_file: $out"
  else
    report FAIL "$n: SECRETS.md example encrypts" "$out"
  fi
  got="$( (cd "$REPO" && SOPS_AGE_KEY_FILE="$WORK/age.agekey" sops --decrypt "$secret_file") \
    | node -e 'const s = require("js-yaml").load(require("node:fs").readFileSync(0, "utf8")); process.stdout.write(Buffer.from(s.data.password, "base64").toString())' 2>&1)"
  if [[ $got == "$value" ]]; then report PASS "$n: decrypts with the key" "sops --decrypt gives the value back"
  else report FAIL "$n: decrypts with the key" "got: ${got:0:100}"; fi
  expect_fail "$n: negative: another key" 'Failed to get the data key|no master key was able to decrypt' \
    env -C "$REPO" SOPS_AGE_KEY_FILE="$WORK/other.agekey" sops --decrypt "$secret_file"
  expect_fail "$n: negative: a file under dist/" 'no matching creation rules' \
    encrypt_under_dist "$n"
done
finish
