# shellcheck shell=bash
# Shared by the verify-* scripts: progress lines with elapsed time, one result line per check,
# and a final verdict. Set CHECK_NAME (e.g. verify-cis) before sourcing.
T0=$(date +%s)
FAILED=0
log() { printf '[%s] %s (%ss)\n' "$CHECK_NAME" "$*" "$(( $(date +%s) - T0 ))" >&2; }
die() { printf '[%s] ERROR: %s\n' "$CHECK_NAME" "$*" >&2; echo "$CHECK_NAME: FAILED"; exit 1; }
# report PASS|FAIL NAME DETAIL: one line per check; anything but PASS counts as a failure.
report() { printf '%-4s %-34s %s\n' "$1" "$2" "$3"; [[ $1 == PASS ]] || FAILED=$((FAILED + 1)); return 0; }
# finish: the verdict line, and the exit code.
finish() {
  if [[ $FAILED -gt 0 ]]; then
    echo "$CHECK_NAME: FAILED ($FAILED check(s), $(( $(date +%s) - T0 ))s)"
    exit 1
  fi
  echo "$CHECK_NAME: all checks passed ($(( $(date +%s) - T0 ))s)"
}
