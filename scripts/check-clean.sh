#!/usr/bin/env bash
# Fails when the given paths differ from what is committed (changed, deleted or untracked files):
# used after a fresh synth to prove the committed dist/ is exactly what synth produces.
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: $0 PATH..." >&2; exit 2; }
changes="$(git status --porcelain --untracked-files=all -- "$@")"
if [[ -n "$changes" ]]; then
  echo "[check-clean] $* differ from the committed tree (run npm run synth, read the diff, commit it):" >&2
  printf '%s\n' "$changes" | head -30 >&2
  git diff --stat -- "$@" | tail -5 >&2
  exit 1
fi
echo "[check-clean] $* match the committed tree"
