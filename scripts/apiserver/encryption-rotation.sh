# shellcheck shell=bash
# Sourced by scripts/verify-apiserver.sh (uses its launch_apiserver, stop_apiserver, KUBECTL, BIN,
# ETCD_PORT, WORK, ROOT, log, rel, die, elapsed, SUMMARY, TOTAL_FAIL).
#
# The Secret encryption key rotation of OPERATIONS.md ("Rotating the join secrets"), run as written
# against the real kube-apiserver and etcd (own etcd prefix): the API server starts with the day-1
# EncryptionConfiguration of a control plane's cloud-config (old key), a Secret is written, then
# the runbook's shell block runs with its own `phase` and `kubectl` lines, `phase` writing the file
# and restarting kube-apiserver as the runbook does on each node. After every phase the Secret must
# be readable; at the end etcd must hold it under the day-1 key name, encrypted with the new key
# (an API server with only the old key cannot serve it: kube-apiserver 1.30 does not become ready). Negative control: the same block without
# phases 3 and 4 (straight to the day-1 name) must leave the Secret unreadable.

ROTATION_RUN=0
ROTATION_PROBLEMS=()

# rotation_block OPERATIONS.md [DROP_PHASES]: the runbook's encryption-key shell block without its
# phase() definition (verify-apiserver defines its own), optionally without phases DROP_PHASES ("3 4").
rotation_block() {
  python3 -c '
import re, sys
text, drop = open(sys.argv[1]).read(), sys.argv[2].split()
section = text[text.index("**Encryption key.**"):]
block = section[section.index("```sh\n") + 6:]
block = block[:block.index("```")]
block = re.sub(r"(?ms)^phase\(\) \{\n.*?^\}\n", "", block, count=1)
for n in drop:
    block = re.sub(r"(?ms)^# phase %s/\d+:.*?(?=^# phase )" % n, "", block, count=1)
sys.stdout.write(block)' "$1" "${2:-}"
}

rotation_problem() { ROTATION_PROBLEMS+=("$*"); }
# The runbook's `phase`: write the file and restart the API server, then the Secret must still read.
phase() {
  PHASE=$((PHASE + 1))
  printf '%s\n' "$1" > "${WORK}/encryption-${ROTATION_RUN}-${PHASE}.yaml"
  stop_apiserver
  if ! launch_apiserver "${WORK}/admission.yaml" "/rotation-${ROTATION_RUN}" "${WORK}/encryption-${ROTATION_RUN}-${PHASE}.yaml"; then
    rotation_problem "phase call ${PHASE}: kube-apiserver did not become ready: $(grep -m1 -i 'decrypt\|encryption\|error' "$APISERVER_LOG" | cut -c1-140)"
  elif ! "${KUBECTL[@]}" get secret rotation-probe >/dev/null 2>&1; then
    rotation_problem "phase call ${PHASE}: the Secret is unreadable"
  fi
}
# raw_prefix: the first 26 bytes etcd holds for the probe Secret (k8s:enc:secretbox:v1:<name>:...).
raw_prefix() {
  "${BIN}/etcdctl" --endpoints="http://127.0.0.1:${ETCD_PORT}" get "/rotation-${ROTATION_RUN}/secrets/default/rotation-probe" --print-value-only \
    | head -c 26
}

# run_rotation BLOCK DAY1_CONFIG: ROTATION_PROBLEMS lists what went wrong (empty: the rotation worked).
run_rotation() {
  local block=$1 day1=$2 value="${WORK}/rotation-value"
  ROTATION_RUN=$((ROTATION_RUN + 1)); PHASE=0; ROTATION_PROBLEMS=()
  OLD_KEY="$(head -c 32 /dev/urandom | base64)"
  # shellcheck disable=SC2034 # read by the runbook block
  NEW_KEY="$(head -c 32 /dev/urandom | base64)"
  sed "s|\"<encryption-key>\"|\"${OLD_KEY}\"|" "$day1" > "${WORK}/encryption-${ROTATION_RUN}-day1.yaml"
  launch_apiserver "${WORK}/admission.yaml" "/rotation-${ROTATION_RUN}" "${WORK}/encryption-${ROTATION_RUN}-day1.yaml" \
    || { rotation_problem "kube-apiserver refused the day-1 file"; return; }
  printf 'rotation %s' "$ROTATION_RUN" > "$value"
  "${KUBECTL[@]}" create secret generic rotation-probe --from-file=k="$value" >/dev/null
  [[ "$(raw_prefix)" == "k8s:enc:secretbox:v1:key1:" ]] || rotation_problem "day 1: etcd does not hold the Secret under key1: $(raw_prefix | tr -cd '[:print:]')"
  # Run as the operator would: every command of the block, in order (errexit off inside `if`).
  # shellcheck disable=SC2317 # called by the sourced block: its kubectl lines reach this API server
  kubectl() { "${KUBECTL[@]}" "$@"; }
  # shellcheck disable=SC1090
  if ! source "$block"; then rotation_problem "the runbook block failed"; fi
  unset -f kubectl
  if [[ "$("${KUBECTL[@]}" get secret rotation-probe -o jsonpath='{.data.k}' 2>/dev/null | base64 -d 2>/dev/null)" != "rotation ${ROTATION_RUN}" ]]; then
    rotation_problem "after the rotation the Secret does not read back"
  fi
  [[ "$(raw_prefix)" == "k8s:enc:secretbox:v1:key1:" ]] || rotation_problem "after the rotation etcd does not hold the Secret under key1"
  stop_apiserver
  # The old key alone must not serve it any more (the Secret really is encrypted with the new key):
  # kube-apiserver 1.30 does not even become ready when it cannot decrypt a stored Secret.
  if launch_apiserver "${WORK}/admission.yaml" "/rotation-${ROTATION_RUN}" "${WORK}/encryption-${ROTATION_RUN}-day1.yaml"; then
    if "${KUBECTL[@]}" get secret rotation-probe >/dev/null 2>&1; then rotation_problem "the old key still reads the Secret"; fi
    stop_apiserver
  elif ! grep -qiE 'transform|decrypt|no matching prefix' "$APISERVER_LOG"; then
    rotation_problem "with the old key alone kube-apiserver failed for another reason than decryption: $(tail -1 "$APISERVER_LOG" | cut -c1-120)"
  fi
  unset OLD_KEY NEW_KEY
}

rotation_report() { # rotation_report PASS|FAIL LABEL DETAIL
  log "$1 encryption key rotation: $2${3:+: $3}"
  SUMMARY+=("$(printf '%-4s %-40s %s' "$1" "key rotation: $2" "${3:0:90}")")
  [[ $1 == PASS ]] || TOTAL_FAIL=$((TOTAL_FAIL + 1))
}

encryption_rotation_checks() {
  local t0 ops="${ROOT}/dist/lab/OPERATIONS.md" day1="${WORK}/encryption-day1.yaml"
  t0=$(date +%s)
  [[ -f $ops ]] || die "$(rel "$ops") missing: synthesize first"
  python3 -c '
import sys, yaml
for f in yaml.safe_load(open(sys.argv[1]))["write_files"]:
    if f["path"] == "/etc/kubernetes/encryption/config.yaml":
        open(sys.argv[2], "w").write(f["content"]); sys.exit(0)
sys.exit(1)' "${ROOT}/dist/lab/nodes/lab-cp-1.cloud-config.yaml" "$day1" || die "no EncryptionConfiguration in dist/lab/nodes/lab-cp-1"
  rotation_block "$ops" > "${WORK}/rotation.sh"
  [[ "$(grep -c '^phase ' "${WORK}/rotation.sh")" -ge 3 ]] || die "no rotation phases found in $(rel "$ops")"
  run_rotation "${WORK}/rotation.sh" "$day1"
  if (( ${#ROTATION_PROBLEMS[@]} == 0 )); then
    rotation_report PASS "$(rel "$ops")" "${PHASE} phases on kube-apiserver ${K8S_VERSION}: readable throughout, ends under key1 with the new key"
  else
    rotation_report FAIL "$(rel "$ops")" "${ROTATION_PROBLEMS[*]}"
  fi
  rotation_block "$ops" "3 4" > "${WORK}/rotation-broken.sh"
  run_rotation "${WORK}/rotation-broken.sh" "$day1"
  if (( ${#ROTATION_PROBLEMS[@]} == 0 )); then
    rotation_report FAIL "negative control: phases 3 and 4 left out" "the rotation still passed: the check cannot fail"
  else
    rotation_report PASS "negative control: phases 3 and 4 left out" "${ROTATION_PROBLEMS[0]}"
  fi
  log "encryption key rotation checks in $(elapsed "$t0")"
}
