#!/usr/bin/env bash
# Verifies the node bootstrap (cloud-init/) with the real tools.
#
#   bash scripts/verify-cloud-init.sh
#
# 1. Makes sure cloud-init, shellcheck, haproxy and keepalived are installed
#    (apt-get install -y ... when one is missing; fails if that does not work).
# 2. Compiles the project (npx tsc -p . -> lib/); only errors in cloud-init/ and
#    what it imports fail (scripts/cloud-init/tsconfig.json).
# 3. Renders every node of every clusters/*.yaml and of the e2e spec (Debian 12,
#    cni none, local mirrors), plus variants of the HA spec (Kubernetes 1.31 + Flux,
#    1.32 without workers + gateway-api, dedicated load balancers, Debian 12, every
#    mirror), with dummy but format-valid secrets into a temp dir
#    (scripts/cloud-init/render-all.js) and extracts each cloud-config's files.
# 4. Checks: `cloud-init schema --config-file` on every cloud-config,
#    `shellcheck` and `bash -n` on every embedded bash script, `haproxy -c -f`
#    on every haproxy.cfg, `keepalived -t -f` on every keepalived.conf, and
#    `apt-cache policy` with every Debian 12 node's containerd apt preferences (this host's apt
#    and bookworm archive: the candidate must be in the pinned series),
#    `kubeadm config validate` on every kubeadm config when a kubeadm of that
#    exact version exists in .cache/tools/bin (kubeadm-v<version> or kubeadm),
#    built from the Go module proxy by scripts/cloud-init/build-kubeadm.sh
#    (~3 min per version on 2 cores; by default verify builds
#    missing ones here; =0 makes a missing one a failure instead).
# 5. Negative controls: each check is fed one deliberately broken input and
#    must reject it, so a check that silently passes everything is caught.
#
# Prints one PASS/FAIL line per check; exits non-zero if any check fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_TAG=verify-cloud-init
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

# --- 1. tools ---------------------------------------------------------------
declare -A PKG_OF=([cloud-init]=cloud-init [shellcheck]=shellcheck [haproxy]=haproxy [keepalived]=keepalived)
missing=()
for tool in cloud-init shellcheck haproxy keepalived; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${PKG_OF[$tool]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing missing tools: ${missing[*]} (apt-get)"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing[*]} yourself"
  SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" || die "apt-get install ${missing[*]} failed"
  for tool in cloud-init shellcheck haproxy keepalived; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool still missing after apt-get install"
  done
fi
log "tools: $(cloud-init --version 2>&1 | awk '{print $NF}' | head -1) cloud-init, shellcheck $(shellcheck --version | awk '/^version:/{print $2}'), $(haproxy -v | head -1 | awk '{print $1, $3}'), $(keepalived --version 2>&1 | head -1 | awk '{print $1, $2}')"

# --- 2. compile ---------------------------------------------------------------
# The whole project first (what `npm run build` does). Other parts of the tree may be mid-change;
# their errors are reported loudly, but only errors in cloud-init/ and what it imports
# (the scoped compile below, same compiler options) fail this check.
log "compiling (npx tsc -p .)"
if ! tsc_out="$(cd "$ROOT" && npx tsc -p . 2>&1)"; then
  log "WARNING: the project-wide compile has errors (emitted lib/ anyway):"
  printf '%s\n' "$tsc_out" | sed 's/^/    /' >&2
fi
log "compiling cloud-init/ and its imports (npx tsc -p scripts/cloud-init/tsconfig.json)"
(cd "$ROOT" && npx tsc -p scripts/cloud-init/tsconfig.json) || die "TypeScript compilation of cloud-init/ failed"

# --- 3. render ---------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-cloud-init.XXXXXX")"
chmod 0755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
shopt -s nullglob
specs=("$ROOT"/clusters/*.yaml)
shopt -u nullglob
[[ ${#specs[@]} -gt 0 ]] || die "no clusters/*.yaml"
specs+=("$ROOT/test/e2e/cluster/e2e.yaml")
log "rendering ${specs[*]#"$ROOT"/}"
(cd "$ROOT" && node scripts/cloud-init/render-all.js "$WORK/render" "${specs[@]}") || die "rendering failed"
MANIFEST="$WORK/render/manifest.json"
list() { node -e 'const m=require(process.argv[1]); for (const x of m[process.argv[2]]) console.log(typeof x === "string" ? x : x.file + "\t" + x.version)' "$MANIFEST" "$1"; }
mapfile -t CLOUD_CONFIGS < <(list cloudConfigs)
mapfile -t SCRIPTS < <(list scripts)
mapfile -t HAPROXY < <(list haproxy)
mapfile -t KEEPALIVED < <(list keepalived)
mapfile -t KUBEADM < <(list kubeadm)
mapfile -t APT_PREFS < <(list aptPreferences)

# --- checks (each takes one file; non-zero = rejected, diagnostics on stdout) --
check_schema() { cloud-init schema --config-file "$1" 2>&1; }
check_shellcheck() { shellcheck --shell=bash "$1" 2>&1; }
check_bash_n() { bash -n "$1" 2>&1; }
check_haproxy() { haproxy -c -f "$1" 2>&1; }
# keepalived -t checks the track script exists and is safe to run (script security), and that
# the interface exists: point the script at the extracted copy, and use this host's first NIC
# when it has no eth0 (only for the test).
check_keepalived() {
  local conf=$1 dir test iface
  dir="$(dirname "$conf")"
  test="$dir/keepalived.test.conf"
  sed "s#/etc/keepalived/check_apiserver.sh#$dir/check_apiserver.sh#" "$conf" >"$test"
  if [[ ! -e /sys/class/net/eth0 ]]; then
    for iface in /sys/class/net/*; do
      iface="$(basename "$iface")"
      [[ $iface != lo ]] && break
    done
    [[ -n "$iface" && $iface != lo ]] && sed -i "s/\beth0\b/$iface/g" "$test"
  fi
  keepalived --config-test -f "$test" 2>&1
}
KUBEADM_BIN_DIR="$ROOT/.cache/tools/bin"
# apt preferences, read by this host's real apt against its own Debian 12 archive (the e2e pool's
# source): with the file as the only preferences part, containerd's candidate must be in the
# series the file pins ("Pin: version <series>.*"). Ubuntu's files need an Ubuntu archive.
check_apt_pin() {
  local f=$1 dir series out cand
  dir="$(mktemp -d "$WORK/apt-prefs.XXXXXX")"
  cp "$f" "$dir/"
  series="$(sed -n 's/^Pin: version \([0-9][0-9.]*\)\.\*$/\1/p' "$f" | head -1)"
  out="$(apt-cache -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$dir" policy containerd 2>&1)"
  cand="$(awk '/Candidate:/ {print $2}' <<<"$out")"
  printf '%s\n' "$out"
  [[ -n $series && $cand == "$series".* ]] || { echo "not valid: containerd candidate ${cand:-none} is outside the pinned series ${series:-none}"; return 1; }
}
check_kubeadm() { "$2" config validate --config "$1" 2>&1; }

FAILED=0
report() { # report PASS|FAIL name detail
  printf '%-4s %-24s %s\n' "$1" "$2" "$3"
  [[ $1 == FAIL ]] && FAILED=$((FAILED + 1))
  return 0
}

# run_check NAME FUNCTION FILE...: every file must pass.
run_check() {
  local name=$1 func=$2 bad=0 out f
  shift 2
  [[ $# -gt 0 ]] || { report FAIL "$name" "no inputs rendered"; return; }
  for f in "$@"; do
    if ! out="$("$func" "$f")"; then
      bad=$((bad + 1))
      log "$name rejected ${f#"$WORK"/render/}:"
      printf '%s\n' "$out" | sed 's/^/    /' >&2
    fi
  done
  if [[ $bad -eq 0 ]]; then report PASS "$name" "$# file(s)"; else report FAIL "$name" "$bad of $# file(s) rejected"; fi
}

# expect_reject NAME FUNCTION FILE: the broken FILE must be rejected.
expect_reject() {
  local name=$1 func=$2 f=$3 out
  if out="$("$func" "$f")"; then
    report FAIL "$name" "accepted a deliberately broken input ($(basename "$f"))"
  else
    report PASS "$name" "rejects a broken input: $(printf '%s' "$out" | grep -iE 'errors?:.|syntax error|alert|invalid|not valid|SC[0-9]{4}|range' | head -1 | sed 's/^ *//' | cut -c1-100)"
  fi
}

echo "== node bootstrap checks (${#CLOUD_CONFIGS[@]} nodes) =="
run_check "cloud-init schema" check_schema "${CLOUD_CONFIGS[@]}"
run_check "shellcheck" check_shellcheck "${SCRIPTS[@]}"
run_check "bash -n" check_bash_n "${SCRIPTS[@]}"
run_check "haproxy -c" check_haproxy "${HAPROXY[@]}"
run_check "keepalived -t" check_keepalived "${KEEPALIVED[@]}"
DEBIAN_PREFS=() UBUNTU_PREFS=()
for entry in "${APT_PREFS[@]}"; do
  case ${entry#*$'\t'} in debian-12) DEBIAN_PREFS+=("${entry%%$'\t'*}") ;; ubuntu-24.04) UBUNTU_PREFS+=("${entry%%$'\t'*}") ;; esac
done
if ! grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release; then
  report FAIL "apt containerd pin" "needs a Debian 12 (bookworm) host: its apt and archive are the consumer of the debian-12 files"
else
  if ! apt-cache policy containerd 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    log "no containerd in this host's apt lists: apt-get update"
    SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
  fi
  run_check "apt containerd pin" check_apt_pin "${DEBIAN_PREFS[@]}"
fi

# kubeadm config validate, per Kubernetes version, with a kubeadm of exactly that version.
declare -A KUBEADM_FILES=()
for entry in "${KUBEADM[@]}"; do
  KUBEADM_FILES[${entry#*$'\t'}]+="${entry%%$'\t'*}"$'\n'
done
for version in $(printf '%s\n' "${!KUBEADM_FILES[@]}" | sort -V); do
  bin=""
  for candidate in "$KUBEADM_BIN_DIR/kubeadm-v$version" "$KUBEADM_BIN_DIR/kubeadm"; do
    if [[ -x $candidate ]] && "$candidate" version -o short 2>/dev/null | grep -qx "v$version"; then bin=$candidate; break; fi
  done
  mapfile -t files < <(printf '%s' "${KUBEADM_FILES[$version]}")
  # A missing kubeadm is built (never skipped): VERIFY_CLOUD_INIT_BUILD_KUBEADM=0 turns a missing
  # one into a failure instead, for a quick local run without the ~3 min build per version.
  if [[ -z $bin && ${VERIFY_CLOUD_INIT_BUILD_KUBEADM:-1} == 1 ]]; then
    log "building kubeadm v$version"
    bash "$ROOT/scripts/cloud-init/build-kubeadm.sh" "$version" >&2 || die "building kubeadm v$version failed"
    bin="$KUBEADM_BIN_DIR/kubeadm-v$version"
  fi
  if [[ -z $bin ]]; then
    printf '%-4s %-24s %s\n' "FAIL" "kubeadm validate $version" \
      "no kubeadm v$version (${#files[@]} config(s) unchecked): bash scripts/cloud-init/build-kubeadm.sh $version"
    FAILED=$((FAILED + 1))
    continue
  fi
  KUBEADM_BIN=$bin
  check_kubeadm_bin() { check_kubeadm "$1" "$KUBEADM_BIN"; }
  run_check "kubeadm validate $version" check_kubeadm_bin "${files[@]}"
done

# --- 5. negative controls -------------------------------------------------------
BROKEN="$WORK/broken"
mkdir -p "$BROKEN"
echo "== negative controls (each check must reject a broken input) =="
# cloud-config: a write_files entry without its required path.
printf '#cloud-config\nwrite_files:\n  - content: hello\n    permissions: "0644"\n' >"$BROKEN/cloud-config.yaml"
expect_reject "cloud-init schema" check_schema "$BROKEN/cloud-config.yaml"
# For shellcheck: an unquoted variable in rm -rf.
# shellcheck disable=SC2016 # the $ signs are the broken script's, not ours
printf '#!/bin/bash\ndir=$1\nrm -rf $dir/*\n' >"$BROKEN/unquoted.sh"
expect_reject "shellcheck" check_shellcheck "$BROKEN/unquoted.sh"
# bash -n: a syntax error inside a real bootstrap script.
sed '0,/^run_step /s//if then run_step /' "${SCRIPTS[0]}" >"$BROKEN/syntax-error.sh"
expect_reject "bash -n" check_bash_n "$BROKEN/syntax-error.sh"
# haproxy: an unknown balance algorithm in a real haproxy.cfg.
sed 's/balance roundrobin/balance nosuchalgorithm/' "${HAPROXY[0]}" >"$BROKEN/haproxy.cfg"
expect_reject "haproxy -c" check_haproxy "$BROKEN/haproxy.cfg"
# keepalived: a VRRP router id out of range in a real keepalived.conf (next to its check script).
kdir="$BROKEN/keepalived"
mkdir -p "$kdir"
cp "$(dirname "${KEEPALIVED[0]}")/check_apiserver.sh" "$kdir/"
sed 's/virtual_router_id [0-9]*/virtual_router_id 300/' "${KEEPALIVED[0]}" >"$kdir/keepalived.conf"
expect_reject "keepalived -t" check_keepalived "$kdir/keepalived.conf"
# apt preferences: an Ubuntu node's file (another series) must leave bookworm's containerd no candidate.
[[ ${#UBUNTU_PREFS[@]} -gt 0 ]] || report FAIL "apt containerd pin" "negative control: no ubuntu-24.04 preferences rendered"
[[ ${#UBUNTU_PREFS[@]} -gt 0 ]] && expect_reject "apt containerd pin" check_apt_pin "${UBUNTU_PREFS[0]}"
if [[ -n ${KUBEADM_BIN:-} ]]; then
  sed 's/^kind: ClusterConfiguration/kind: ClusterConfiguration\nnotAField: 1/; s/podSubnet: .*/podSubnet: not-a-cidr/' \
    "$(printf '%s' "${KUBEADM_FILES[$("$KUBEADM_BIN" version -o short | sed 's/^v//')]}" | xargs grep -l '^kind: ClusterConfiguration' | head -1)" \
    >"$BROKEN/kubeadm.yaml"
  expect_reject "kubeadm validate" check_kubeadm_bin "$BROKEN/kubeadm.yaml"
fi

if [[ $FAILED -gt 0 ]]; then
  echo "verify-cloud-init: FAILED ($FAILED check(s))"
  exit 1
fi
echo "verify-cloud-init: all checks passed"
