# shellcheck shell=bash
# The pinned upstream data (CRDs, Helm chart values and schemas) every verify script reads, from
# one place. Source it, then:   UPSTREAM="$(upstream_dir)" || exit 1
#
# The files and their sha256 are listed in scripts/upstream/files.tsv (UPSTREAM_MANIFEST). The
# folder is, in this order:
#   1. UPSTREAM_DIR, else ../shared/upstream next to the repo, when it exists: every listed file
#      must be there with its recorded checksum (a changed file fails, naming it);
#   2. otherwise .cache/upstream (UPSTREAM_CACHE), where missing files are fetched from their
#      URLs (release commits; the Cilium files from its chart package) and kept only when their
#      checksum matches. Offline, it fails naming the file and the URL it could not fetch.
# Messages go to stderr with the prefix [upstream]; on success it prints the folder on stdout.

_upstream_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

_upstream_log() { printf '[upstream] %s\n' "$*" >&2; }
_upstream_err() { printf '[upstream] ERROR: %s\n' "$*" >&2; }

# The manifest's rows: path, sha256, url, member (tab-separated, comments and blank lines left out).
_upstream_rows() { grep -v -e '^#' -e '^[[:space:]]*$' "$1"; }

_upstream_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# _upstream_check MANIFEST DIR: every listed file in DIR with its sha256 (one sha256sum run);
# prints the failures ("path: FAILED", "path: FAILED open or read") and returns 1 on any.
_upstream_check() {
  local out
  out="$(cd "$2" && _upstream_rows "$1" | awk -F'\t' '{ print $2 "  " $1 }' | LC_ALL=C sha256sum --quiet --strict -c - 2>/dev/null)" && return 0
  grep -v '^sha256sum:' <<<"$out"
  return 1
}

# upstream_dir: prints the folder holding every pinned upstream file (see above).
upstream_dir() {
  local manifest="${UPSTREAM_MANIFEST:-${_upstream_root}/scripts/upstream/files.tsv}"
  local dir="${UPSTREAM_DIR:-${_upstream_root}/../shared/upstream}"
  local cache="${UPSTREAM_CACHE:-${_upstream_root}/.cache/upstream}"
  [[ -f "$manifest" ]] || { _upstream_err "manifest not found: ${manifest}"; return 1; }
  if [[ -d "$dir" ]]; then
    local problems
    if ! problems="$(_upstream_check "$manifest" "$dir")"; then
      while IFS= read -r line; do _upstream_err "${dir}/${line}"; done <<<"$problems"
      _upstream_err "${dir} is not the pinned upstream data (${manifest#"${_upstream_root}/"} lists each file's sha256 and URL); fix it, or set UPSTREAM_DIR to a missing folder to fetch into ${cache}"
      return 1
    fi
    printf '%s\n' "$dir"
    return 0
  fi

  # No local folder: fetch what the cache lacks.
  command -v curl >/dev/null || { _upstream_err "curl not found (needed to fetch the upstream files into ${cache})"; return 1; }
  local tmp rc
  tmp="$(mktemp -d)" || return 1
  _upstream_fetch "$manifest" "$dir" "$cache" "$tmp"
  rc=$?
  rm -rf "$tmp"
  (( rc == 0 )) && printf '%s\n' "$cache"
  return "$rc"
}

# _upstream_fetch MANIFEST DIR CACHE TMP: every listed file into CACHE, checked; downloads kept in TMP.
_upstream_fetch() {
  local manifest="$1" dir="$2" cache="$3" tmp="$4" path sha url member missing=0 n=0
  [[ -d "$cache" ]] && _upstream_check "$manifest" "$cache" >/dev/null && return 0
  while IFS=$'\t' read -r path sha url member; do
    [[ -f "${cache}/${path}" && "$(_upstream_sha256 "${cache}/${path}")" == "$sha" ]] || missing=$((missing + 1))
  done < <(_upstream_rows "$manifest")
  (( missing == 0 )) && return 0
  _upstream_log "${dir} not found: fetching ${missing} pinned file(s) into ${cache}"
  while IFS=$'\t' read -r path sha url member; do
    [[ -f "${cache}/${path}" && "$(_upstream_sha256 "${cache}/${path}")" == "$sha" ]] && continue
    n=$((n + 1))
    local source="$url" download got="${tmp}/file" why
    [[ "$member" == "-" ]] || source="${url} (${member})"
    # One download per URL (the Cilium package holds three files).
    download="${tmp}/download-$(printf '%s' "$url" | sha256sum | cut -c1-16)"
    if [[ ! -f "$download" ]] && ! why="$(curl -fsSL --proto '=https,http,file' --connect-timeout 10 --max-time 120 --retry 2 -o "$download" "$url" 2>&1)"; then
      rm -f "$download"
      why="${why##*$'\n'}" # curl repeats its error once per retry
      _upstream_err "cannot fetch ${path} from ${url}: ${why:-curl failed}"
      local host="${url#*://}"
      _upstream_err "offline? put the pinned files in ../shared/upstream (or UPSTREAM_DIR), or run verify once where ${host%%/*} is reachable (the files stay in ${cache})"
      return 1
    fi
    if [[ "$member" == "-" ]]; then
      cp "$download" "$got"
    elif ! tar -xzOf "$download" "$member" >"$got" 2>/dev/null; then
      _upstream_err "${url} holds no ${member} (for ${path})"
      return 1
    fi
    if [[ "$(_upstream_sha256 "$got")" != "$sha" ]]; then
      _upstream_err "${path} from ${source} has sha256 $(_upstream_sha256 "$got"), not the pinned ${sha}: refused"
      return 1
    fi
    mkdir -p "$(dirname "${cache}/${path}")"
    mv "$got" "${cache}/${path}"
    _upstream_log "fetched ${path} (${n}/${missing})"
  done < <(_upstream_rows "$manifest")
}
