/**
 * The bash core every bootstrap script starts with: one log file, run-once steps with markers,
 * a failure marker naming the failing step, and bounded retries with exponential backoff.
 */
import { NODE_PATHS } from '../paths';
import { sq } from '../../format/shell';

export function shellLib(): string {
  const p = NODE_PATHS;
  return `readonly LOG_FILE=${sq(p.log)}
readonly STATE_DIR=${sq(p.stateDir)}
readonly FAILED_MARKER=${sq(p.failedMarker)}
readonly DONE_MARKER=${sq(p.doneMarker)}
readonly BOOTSTRAP_SCRIPT=${sq(p.bootstrapScript)}
export DEBIAN_FRONTEND=noninteractive

install -d -m 0700 "$STATE_DIR" "$STATE_DIR/done"
touch "$LOG_FILE"
chmod 0600 "$LOG_FILE"
# Everything (ours and the tools') goes to the log file and to cloud-init's output.
exec > >(tee -a "$LOG_FILE") 2>&1

# Logs go to stderr, so "cmd >/dev/null" never hides them (both streams reach the log file).
log() {
  printf '%s [pve-k8s] %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

# run_step NAME FUNCTION: runs FUNCTION once, under errexit. Success leaves done/NAME, so a
# rerun skips it; failure writes NAME to the failure marker and stops the bootstrap.
run_step() {
  local step_name=$1 step_func=$2 step_rc
  if [[ -f "$STATE_DIR/done/$step_name" ]]; then
    log "step $step_name: already done"
    return 0
  fi
  log "step $step_name: start"
  set +e
  (set -e; "$step_func")
  step_rc=$?
  set -e
  if [[ $step_rc -ne 0 ]]; then
    printf '%s\\n' "$step_name" >"$FAILED_MARKER"
    log "step $step_name: FAILED (exit $step_rc). Fix the cause, then rerun $BOOTSTRAP_SCRIPT"
    exit "$step_rc"
  fi
  touch "$STATE_DIR/done/$step_name"
  log "step $step_name: done"
}

# retry ATTEMPTS FIRST_DELAY COMMAND...: bounded retries, delay doubling up to 60s.
# (Locals are prefixed: bash scoping is dynamic, so COMMAND would see plain names like n.)
retry() {
  local retry_max=$1 retry_delay=$2 retry_n=1
  shift 2
  until "$@"; do
    if [[ $retry_n -ge $retry_max ]]; then
      log "giving up after $retry_n attempts: $*"
      return 1
    fi
    log "attempt $retry_n/$retry_max failed: $*; next in $retry_delay s"
    sleep "$retry_delay"
    retry_n=$((retry_n + 1))
    retry_delay=$((retry_delay * 2 > 60 ? 60 : retry_delay * 2))
  done
}

# apt_install PACKAGE...: waits for the dpkg lock (boot-time apt timers) and keeps our config files.
apt_install() {
  retry 5 10 apt-get install -y --no-install-recommends \\
    -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold "$@"
}

finish() {
  rm -f "$FAILED_MARKER"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$DONE_MARKER"
  log "bootstrap complete"
}
`;
}
