/**
 * The bash core every bootstrap script starts with: one log file, run-once steps with markers,
 * a failure marker naming the failing step, and bounded retries with exponential backoff.
 */
import { NODE_PATHS } from '../paths';
import { sq } from './shell';

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

log() {
  printf '%s [pve-k8s] %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

# run_step NAME FUNCTION: runs FUNCTION once, under errexit. Success leaves done/NAME, so a
# rerun skips it; failure writes NAME to the failure marker and stops the bootstrap.
run_step() {
  local name=$1 func=$2 rc
  if [[ -f "$STATE_DIR/done/$name" ]]; then
    log "step $name: already done"
    return 0
  fi
  log "step $name: start"
  set +e
  (set -e; "$func")
  rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    printf '%s\\n' "$name" >"$FAILED_MARKER"
    log "step $name: FAILED (exit $rc). Fix the cause, then rerun $BOOTSTRAP_SCRIPT"
    exit "$rc"
  fi
  touch "$STATE_DIR/done/$name"
  log "step $name: done"
}

# retry ATTEMPTS FIRST_DELAY COMMAND...: bounded retries, delay doubling up to 60s.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if [[ $n -ge $attempts ]]; then
      log "giving up after $n attempts: $*"
      return 1
    fi
    log "attempt $n/$attempts failed: $*; next in $delay s"
    sleep "$delay"
    n=$((n + 1))
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
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
