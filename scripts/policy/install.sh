#!/usr/bin/env bash
# Installs the pinned policy scanners (cached, gitignored under .cache/):
#   checkov  (PyPI, scripts/policy/requirements.txt) -> .cache/venv/bin/checkov
#   kube-score (Go module proxy, github.com/zegl/kube-score, KUBE_SCORE_VERSION) -> .cache/tools/bin/kube-score-v<version>
# kube-linter, which issue 7 names, is not served by the module proxy: see scripts/policy/README.md.
#
#   bash scripts/policy/install.sh [checkov|kube-score|all]     # default all; prints nothing else on stdout
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-v1.19.0}"
what="${1:-all}"
LOG_TAG=policy-install
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

if [[ $what == all || $what == checkov ]]; then
  VENV="$ROOT/.cache/venv"
  want="$(sed -n 's/^checkov==\(.*\)$/\1/p' "$ROOT/scripts/policy/requirements.txt")"
  [[ -n $want ]] || { log "no checkov pin in scripts/policy/requirements.txt"; exit 1; }
  if [[ -x $VENV/bin/checkov ]] && [[ "$("$VENV/bin/checkov" --version 2>/dev/null)" == "$want" ]]; then
    log "checkov $want already installed (.cache/venv)"
  else
    log "installing checkov $want into .cache/venv (pip, PyPI; ~1 min)"
    t0=$(date +%s)
    [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/policy/requirements.txt" >&2
    got="$("$VENV/bin/checkov" --version)"
    [[ $got == "$want" ]] || { log "installed checkov is $got, not $want"; exit 1; }
    log "checkov $got installed in $(( $(date +%s) - t0 ))s"
  fi
fi

if [[ $what == all || $what == kube-score ]]; then
  OUT="$ROOT/.cache/tools/bin/kube-score-$KUBE_SCORE_VERSION"
  if [[ -x $OUT ]]; then
    log "kube-score $KUBE_SCORE_VERSION already built (${OUT#"$ROOT"/})"
  else
    command -v go >/dev/null || { log "go not found (needed to build kube-score)"; exit 1; }
    log "building kube-score $KUBE_SCORE_VERSION from the Go module proxy (~1 min)"
    t0=$(date +%s)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOBIN="$tmp" \
      go install -ldflags "-s -w -X main.version=${KUBE_SCORE_VERSION#v}" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION" >&2
    mkdir -p "$(dirname "$OUT")"
    mv -f "$tmp/kube-score" "$OUT"
    log "built ${OUT#"$ROOT"/} in $(( $(date +%s) - t0 ))s"
  fi
fi
