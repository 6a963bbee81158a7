# shellcheck shell=bash
# Logging for scripts/: source this after setting LOG_TAG (the name in brackets).
#   LOG_TAG=verify-manifests; source "${ROOT}/scripts/lib/log.sh"
#   log MSG...   ->  [verify-manifests] MSG           on stderr
#   die MSG...   ->  [verify-manifests] ERROR: MSG    on stderr, then exit 1
# (scripts/lib/check-report.sh has its own: timings and a FAILED line for verify.sh's summary.)
log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }
