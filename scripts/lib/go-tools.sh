# shellcheck shell=bash
# Shared helpers for the scripts that build pinned tools from tools/*/go.mod (source, don't run).
# Conventions: binaries in .cache/tools/bin, a stamp per build keyed by go.mod/go.sum, package,
# flags, Go version and platform (a rerun is instant), GOTOOLCHAIN=local, -mod=readonly, -trimpath.
# Callers set ROOT before sourcing.

# TOOLS_CACHE: another folder for the built tools (a CI cache, a scratch checkout). @default .cache/tools
CACHE="${TOOLS_CACHE:-${ROOT}/.cache/tools}"
BIN="${CACHE}/bin"
STAMPS="${CACHE}/stamps"
START=$(date +%s)  # read by the sourcing scripts
export START

LOG_TAG=tools
# shellcheck source=scripts/lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/log.sh"
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

command -v go   >/dev/null 2>&1 || die "go not found in PATH (need Go >= 1.24; OpenTofu 1.12.6 needs >= 1.26.6)"
command -v node >/dev/null 2>&1 || die "node not found in PATH"

# ver <key>: a version from tools/versions.json (the single source of tool versions).
ver() { node -p "require(process.argv[1])[process.argv[2]] || ''" "${ROOT}/tools/versions.json" "$1"; }

export GOTOOLCHAIN=local
export GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
export CGO_ENABLED=0
GOOS="$(go env GOOS)"; GOARCH="$(go env GOARCH)"
GO_VERSION="$(go env GOVERSION)"
mkdir -p "$BIN" "$STAMPS"

# check_pin <module-dir under tools/> <module-path> <version>: go.mod must pin exactly that version.
check_pin() {
  local moddir="${ROOT}/tools/$1" modpath=$2 version=$3 pinned
  [[ -f "${moddir}/go.mod" && -f "${moddir}/go.sum" ]] || die "${moddir}/go.mod or go.sum missing"
  pinned="$(cd "$moddir" && go list -m -f '{{.Version}}' "$modpath")" \
    || die "cannot read ${modpath} version from tools/$1/go.mod"
  [[ "$pinned" == "v${version}" ]] \
    || die "tools/$1/go.mod pins ${modpath} ${pinned} but tools/versions.json says v${version}"
}

# go_build <name> <module-dir under tools/> <package> <version> <out-binary> <ldflags>
go_build() {
  local name=$1 dir=$2 pkg=$3 version=$4 out=$5 ldflags=$6
  local moddir="${ROOT}/tools/${dir}" key stamp t0 tmp
  # A program of ours (package path pve-k8s/...) is keyed by its source too, not only its pins.
  key="$( { cat "${moddir}/go.mod" "${moddir}/go.sum"; echo "$pkg $GOFLAGS $CGO_ENABLED $ldflags"
            if [[ $pkg == pve-k8s/* ]]; then find "$moddir" -name '*.go' -print0 | sort -z | xargs -0 cat; fi; } | sha256sum | cut -c1-16)"
  stamp="${STAMPS}/${name}-v${version}-${GO_VERSION}-${GOOS}_${GOARCH}-${key}"
  if [[ -z "${TOOLS_FORCE:-}" && -f "$stamp" && -x "$out" ]]; then
    log "${name} v${version} up to date ($(basename "$out"))"
    return 0
  fi
  log "building ${name} v${version} with ${GO_VERSION} (${pkg}) ..."
  t0=$(date +%s)
  rm -f "${STAMPS}/${name}-v"*
  tmp="${out}.tmp.$$"
  if ! (cd "$moddir" && go build -ldflags "$ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    die "building ${name} v${version} FAILED after $(elapsed "$t0") (module tools/${dir})"
  fi
  mv -f "$tmp" "$out"
  touch "$stamp"
  log "built ${name} v${version} in $(elapsed "$t0") -> ${out#"${ROOT}"/} ($(du -m "$out" | cut -f1) MB)"
}
