# shellcheck shell=bash
# Shared by the e2e scripts (source, don't run): paths, progress logging, timers, and one cleanup
# stack run on EXIT/INT/TERM so an interrupted or failed run leaves nothing behind.
# Callers set ROOT before sourcing.

E2E_CACHE="${E2E_CACHE:-${ROOT}/.cache/e2e}"   # warm between runs (gitignored)
TOOLS_BIN="${TOOLS_BIN:-${ROOT}/.cache/tools/bin}"
E2E_LOCK="${E2E_LOCK:-/run/lock/pve-k8s-e2e.lock}"   # machine-wide: the e2e-* namespaces are
E2E_T0=${E2E_T0:-$(date +%s)}
export E2E_T0
mkdir -p "$E2E_CACHE"

# Progress on stderr: "[e2e +12s] message".
log()  { printf '[e2e +%ss] %s\n' "$(( $(date +%s) - E2E_T0 ))" "$*" >&2; }
warn() { log "WARNING: $*"; }
die()  { log "ERROR: $*"; exit 1; }
since() { echo "$(( $(date +%s) - $1 ))"; }

# Cleanup stack: on_exit CMD... pushes a command; the trap runs them last-in first-out, once,
# whatever the exit path. A failing cleanup command is reported and the others still run.
declare -a E2E_CLEANUP=()
on_exit() { E2E_CLEANUP+=("$*"); }
run_cleanup() {
  local rc=$? i
  trap - EXIT
  trap '' INT TERM   # the teardown always completes (each step is bounded)
  for (( i=${#E2E_CLEANUP[@]}-1; i>=0; i-- )); do
    eval "${E2E_CLEANUP[i]}" || warn "cleanup step failed: ${E2E_CLEANUP[i]}"
  done
  E2E_CLEANUP=()
  return "$rc"
}
trap 'run_cleanup' EXIT
trap 'log "interrupted"; exit 130' INT TERM

# stamp_ok NAME KEY / stamp_set NAME KEY: a cached artefact is reused while its key is unchanged.
stamp_ok()  { [[ -z "${E2E_FORCE:-}" && -f "${E2E_CACHE}/stamps/$1" && "$(cat "${E2E_CACHE}/stamps/$1")" == "$2" ]]; }
stamp_set() { mkdir -p "${E2E_CACHE}/stamps"; printf '%s\n' "$2" >"${E2E_CACHE}/stamps/$1"; }
# hash_of FILE|STRING...: a short content key.
hash_of() { local a; for a in "$@"; do if [[ -f "$a" ]]; then cat "$a"; else printf '%s\n' "$a"; fi; done | sha256sum | cut -c1-16; }

# Dependencies of the test-built kubelet package (as pkgs.k8s.io's, kubernetes-cni aside).
KUBELET_DEB_DEPENDS="iptables, iproute2, socat, util-linux, mount, ethtool, ebtables, conntrack"
export KUBELET_DEB_DEPENDS

# The registry path of the test workload's image (built by build-images.sh, pulled via the mirror).
HELLO_IMAGE=registry.k8s.io/pve-k8s-e2e/hello:1
export HELLO_IMAGE TOOLS_BIN

# repo_key: the throwaway key the package mirrors are signed with, made once; its public half is
# .cache/e2e/repo-key.asc (put in the harness's work copy of the spec).
repo_key() {
  export GNUPGHOME="${E2E_CACHE}/gnupg"
  [[ -s "${E2E_CACHE}/repo-key.asc" ]] && return 0
  log "making the throwaway signing key of the package mirrors"
  rm -rf "$GNUPGHOME"; install -d -m 0700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key 'pve-k8s e2e mirrors (throwaway) <e2e@pve-k8s.test>' ed25519 sign never
  gpg --batch --armor --export >"${E2E_CACHE}/repo-key.asc.tmp"
  mv "${E2E_CACHE}/repo-key.asc.tmp" "${E2E_CACHE}/repo-key.asc"
}
