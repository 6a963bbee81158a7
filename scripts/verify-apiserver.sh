#!/usr/bin/env bash
# Real-consumer check of the generated GitOps manifests (issue 7, item 1):
# a throw-away etcd + kube-apiserver (versions from tools/versions.json, built by
# scripts/k8s-tools.sh) on 127.0.0.1, with Pod Security admission, the pinned upstream
# CRDs (scripts/lib/upstream.sh: ../shared/upstream, or fetched into .cache/upstream), and every manifest submitted with
# `kubectl apply --server-side --dry-run=server` in Argo CD sync-wave order.
# Before that (default mode only), the cluster-wide Pod Security default: each dist/*/nodes
# control plane's AdmissionConfiguration is loaded by the real kube-apiserver and probed, with
# two negative controls (kubeadm's privileged default must fail the probes; a malformed file must
# stop kube-apiserver). Then OPERATIONS.md's Secret encryption key rotation, run as written
# (scripts/apiserver/encryption-rotation.sh), with its negative control. Last (default mode), the
# tenant variant's ValidatingAdmissionPolicies are created for real and probed: tenants may not
# issue from a ClusterIssuer (scripts/apiserver/tenant-issuers.sh), with its negative control.
#
#   bash scripts/verify-apiserver.sh                 # every dist/*/manifests, plus fresh renders of
#                                                    # clusters/*.yaml with the gateway-api ingress option
#   bash scripts/verify-apiserver.sh DIR|FILE ...    # given manifest dirs/files
#
# Each DIR gets a clean API server state (the previous run's Namespaces and CRDs
# are deleted and finalized, and checked to be gone), so namespaces from one
# cluster never satisfy another. Before that, a self-test run submits
# the fixtures in scripts/apiserver/testdata/selftest: the deliberately broken
# ones (unknown Deployment field, privileged Pod and privileged Deployment in a
# restricted namespace, unknown field in a cert-manager Certificate) MUST be
# rejected, the good ones accepted; otherwise the harness itself fails.
#
# Namespace and CustomResourceDefinition objects are created for real (the
# namespaced dry-runs need them); everything else is a server-side dry-run, so
# webhook configurations etc. never take effect.
#
# Env:
#   UPSTREAM_DIR=...                      default <repo>/../shared/upstream; when missing, the pinned
#                                         files are fetched into .cache/upstream (scripts/lib/upstream.sh)
#   VERIFY_APISERVER_PSA_WARNINGS=fail    "would violate PodSecurity" warnings (workloads
#                                         whose Pods would be refused) count as rejections;
#                                         =warn only prints them
#   VERIFY_APISERVER_SELFTEST=0           skip the self-test run
#   VERIFY_APISERVER_READY_TIMEOUT=60     seconds to wait for etcd / kube-apiserver
#   VERIFY_APISERVER_KEEP=1               keep the temp dir (logs, certs) for debugging
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${ROOT}/.cache/tools/bin"
HERE="${ROOT}/scripts/apiserver"
PSA_WARNINGS="${VERIFY_APISERVER_PSA_WARNINGS:-fail}"
READY_TIMEOUT="${VERIFY_APISERVER_READY_TIMEOUT:-60}"
START=$(date +%s)

LOG_TAG=apiserver
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
rel() { local p="$1"; p="${p#"${ROOT}"/}"; echo "$p"; }

# ---------------------------------------------------------------- inputs
# shellcheck source=scripts/lib/upstream.sh
source "${ROOT}/scripts/lib/upstream.sh"
UPSTREAM_DIR="$(upstream_dir)" || die "no pinned upstream CRDs (see above)"
shopt -s nullglob
CRD_FILES=("${UPSTREAM_DIR}"/*/*/crds/*.yaml)
shopt -u nullglob
(( ${#CRD_FILES[@]} > 0 )) || die "no CRDs under ${UPSTREAM_DIR}/*/*/crds/*.yaml"

TARGETS=()
VARIANTS=0
if (( $# > 0 )); then
  for a in "$@"; do
    [[ -e "$a" ]] || die "no such manifest directory or file: $a"
    TARGETS+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")")
  done
else
  shopt -s nullglob
  TARGETS=("${ROOT}"/dist/*/manifests)
  shopt -u nullglob
  (( ${#TARGETS[@]} > 0 )) || die "no dist/*/manifests found: synthesize the manifests first, or pass a directory"
  VARIANTS=1 # the committed reference clusters use nginx: also apply the Gateway API option
fi
[[ "$PSA_WARNINGS" == fail || "$PSA_WARNINGS" == warn ]] || die "VERIFY_APISERVER_PSA_WARNINGS must be fail or warn"
for c in openssl curl python3; do command -v "$c" >/dev/null 2>&1 || die "$c not found in PATH"; done
python3 -c 'import yaml' 2>/dev/null || die "python3 PyYAML missing (apt-get install python3-yaml)"

# ---------------------------------------------------------------- binaries
K8S_TOOLS="kube-apiserver kubectl etcd etcdctl" bash "${ROOT}/scripts/k8s-tools.sh"
K8S_VERSION="$(node -p "require('${ROOT}/tools/versions.json').kubernetes")"

# ---------------------------------------------------------------- temp dir + cleanup
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-apiserver.XXXXXX")"
ETCD_PID=""; APISERVER_PID=""
stop_pid() { # stop_pid <pid>: TERM, wait up to 10 s, then KILL
  local pid=$1 i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pid "$APISERVER_PID"; stop_pid "$ETCD_PID"
  if [[ -n "${VERIFY_APISERVER_KEEP:-}" ]]; then log "kept ${WORK}"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- ports, PKI, configs
read -r ETCD_PORT PEER_PORT API_PORT < <(python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
EOF
)
PKI="${WORK}/pki"; mkdir -p "$PKI"
t0=$(date +%s)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=verify-apiserver-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "${PKI}/ca.key" -out "${PKI}/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "${PKI}/apiserver.key" -out "${PKI}/apiserver.csr" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' > "${PKI}/apiserver.ext"
openssl x509 -req -in "${PKI}/apiserver.csr" -CA "${PKI}/ca.crt" -CAkey "${PKI}/ca.key" -CAcreateserial \
  -days 1 -extfile "${PKI}/apiserver.ext" -out "${PKI}/apiserver.crt" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/sa.key" 2>/dev/null
openssl pkey -in "${PKI}/sa.key" -pubout -out "${PKI}/sa.pub" 2>/dev/null
TOKEN="$(openssl rand -hex 24)"
printf '%s,verify-admin,verify-admin,"system:masters"\n' "$TOKEN" > "${PKI}/tokens.csv"
chmod 600 "${PKI}"/*.key "${PKI}/tokens.csv"

cat > "${WORK}/admission.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      # Cluster default is privileged (as kubeadm's); the namespaces' own
      # pod-security.kubernetes.io/* labels decide enforcement.
      defaults:
        enforce: privileged
        enforce-version: latest
        audit: privileged
        audit-version: latest
        warn: privileged
        warn-version: latest
      exemptions: {usernames: [], runtimeClasses: [], namespaces: []}
EOF
export KUBECONFIG="${WORK}/kubeconfig"
cat > "$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: verify
    cluster: {server: "https://127.0.0.1:${API_PORT}", certificate-authority: "${PKI}/ca.crt"}
users:
  - name: verify-admin
    user: {token: "${TOKEN}"}
contexts:
  - name: verify
    context: {cluster: verify, user: verify-admin}
current-context: verify
EOF
KUBECTL=("${BIN}/kubectl" --cache-dir "${WORK}/kube-cache" --request-timeout=60s)

# Upstream CRDs. cert-manager's deploy/crds/*.yaml are Helm-templated sources:
# the {{ ... }} on comment lines are harmless YAML comments; the two label
# templates are filled in with what the chart renders for release "cert-manager".
CRDS="${WORK}/upstream-crds"; mkdir -p "$CRDS"
for f in "${CRD_FILES[@]}"; do
  project="$(basename "$(dirname "$(dirname "$(dirname "$f")")")")"
  out="${CRDS}/${project}__$(basename "$f")"
  sed -e 's/{{ template "cert-manager.name" \. }}/cert-manager/g' \
      -e 's/{{ \.Release\.Name }}/cert-manager/g' "$f" > "$out"
  if grep -v '^[[:space:]]*#' "$out" | grep -q '{{'; then
    die "unhandled Helm template in $(rel "$f"): $(grep -v '^[[:space:]]*#' "$out" | grep -m1 '{{')"
  fi
done
log "pki, configs and ${#CRD_FILES[@]} upstream CRDs prepared in $(elapsed "$t0") (etcd :${ETCD_PORT}, kube-apiserver :${API_PORT})"

# ---------------------------------------------------------------- etcd
wait_until() { # wait_until <what> <pid> <cmd...>: bounded poll, fails if the process died
  local what=$1 pid=$2; shift 2
  local deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || return 1
    (( $(date +%s) < deadline )) || { log "${what} not ready after ${READY_TIMEOUT}s"; return 1; }
    sleep 0.5
  done
}
t0=$(date +%s)
"${BIN}/etcd" --name verify --data-dir "${WORK}/etcd" \
  --listen-client-urls "http://127.0.0.1:${ETCD_PORT}" --advertise-client-urls "http://127.0.0.1:${ETCD_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${PEER_PORT}" --initial-advertise-peer-urls "http://127.0.0.1:${PEER_PORT}" \
  --initial-cluster "verify=http://127.0.0.1:${PEER_PORT}" --unsafe-no-fsync --log-level warn \
  >"${WORK}/etcd.log" 2>&1 &
ETCD_PID=$!
wait_until etcd "$ETCD_PID" curl -sf "http://127.0.0.1:${ETCD_PORT}/health" \
  || { tail -20 "${WORK}/etcd.log" >&2; die "etcd did not become healthy"; }
log "etcd $("${BIN}/etcd" --version | awk '/etcd Version/{print $3}') healthy in $(elapsed "$t0")"

# ---------------------------------------------------------------- kube-apiserver
RUN=0
AUDIT_ARGS=() # audit flags of the next launch (scripts/apiserver/audit.sh)
# launch_apiserver [ADMISSION_FILE [ETCD_PREFIX [ENCRYPTION_CONFIG]]]: starts kube-apiserver and
# waits until it is ready; returns 1 (log in APISERVER_LOG) when it exits or does not become ready.
launch_apiserver() {
  local admission="${1:-${WORK}/admission.yaml}" prefix="${2:-/registry}" encryption=()
  [[ -z "${3:-}" ]] || encryption=(--encryption-provider-config="$3")
  APISERVER_LOG="${WORK}/kube-apiserver.log"
  "${BIN}/kube-apiserver" \
    --bind-address=127.0.0.1 --secure-port="${API_PORT}" --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --etcd-servers="http://127.0.0.1:${ETCD_PORT}" --etcd-prefix="$prefix" \
    --tls-cert-file="${PKI}/apiserver.crt" --tls-private-key-file="${PKI}/apiserver.key" \
    --token-auth-file="${PKI}/tokens.csv" --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="${PKI}/sa.pub" --service-account-signing-key-file="${PKI}/sa.key" \
    --service-cluster-ip-range=10.96.0.0/12 --allow-privileged=true \
    --enable-admission-plugins=PodSecurity --disable-admission-plugins=ServiceAccount \
    --admission-control-config-file="$admission" "${encryption[@]}" "${AUDIT_ARGS[@]}" \
    --profiling=false >"$APISERVER_LOG" 2>&1 &
  APISERVER_PID=$!
  wait_until kube-apiserver "$APISERVER_PID" curl -sf --cacert "${PKI}/ca.crt" \
    -H "Authorization: Bearer ${TOKEN}" "https://127.0.0.1:${API_PORT}/readyz" \
    || { stop_apiserver; return 1; }
}
stop_apiserver() { stop_pid "$APISERVER_PID"; APISERVER_PID=""; }
start_apiserver() {
  local t0; t0=$(date +%s)
  launch_apiserver || { tail -30 "$APISERVER_LOG" >&2; die "kube-apiserver did not become ready (log above)"; }
  log "kube-apiserver $("${BIN}/kube-apiserver" --version | awk '{print $2}') ready in $(elapsed "$t0")"
}
install_upstream_crds() {
  local t0 out; t0=$(date +%s)
  out="$("${KUBECTL[@]}" apply --server-side --field-manager=verify-apiserver -f "$CRDS" 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "installing the upstream CRDs failed"; }
  "${KUBECTL[@]}" wait --for=condition=Established --timeout=60s crd --all >/dev/null \
    || die "upstream CRDs not Established within 60s"
  log "installed $(grep -c . <<<"$out") upstream CRDs, all Established, in $(elapsed "$t0")"
}

# reset: give the next run a clean slate without restarting (re-installing the
# 8.6 MB of upstream CRDs costs ~20 s). Only Namespaces and CRDs were created for
# real; there is no namespace controller, so each namespace is deleted and then
# finalized by hand (spec.finalizers=[]), which removes it at once (it is empty:
# everything else was a dry-run). Built-in namespaces are only stripped of what
# this harness applied. Dist CRDs are deleted and the upstream set re-applied.
reset_state() {
  local t0 ns crd left; t0=$(date +%s)
  for ns in "${RUN_NAMESPACES[@]}"; do
    case "$ns" in
      default|kube-system|kube-public|kube-node-lease)
        printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$ns" \
          | "${KUBECTL[@]}" apply --server-side --field-manager=verify-apiserver -f - >/dev/null
        continue ;;
    esac
    "${KUBECTL[@]}" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
    "${KUBECTL[@]}" get namespace "$ns" -o json 2>/dev/null \
      | python3 -c 'import json,sys; o=json.load(sys.stdin); o["spec"]["finalizers"]=[]; json.dump(o,sys.stdout)' \
      | "${KUBECTL[@]}" replace --raw "/api/v1/namespaces/${ns}/finalize" -f - >/dev/null 2>&1 || true
  done
  for crd in "${RUN_CRDS[@]}"; do
    "${KUBECTL[@]}" delete --timeout=60s "$crd" >/dev/null 2>&1 || die "reset: cannot delete ${crd}"
  done
  local deadline=$(( $(date +%s) + READY_TIMEOUT ))
  while :; do
    left=""
    for ns in "${RUN_NAMESPACES[@]}"; do
      case "$ns" in default|kube-system|kube-public|kube-node-lease) continue ;; esac
      "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1 && left+=" $ns"
    done
    [[ -z "$left" ]] && break
    (( $(date +%s) < deadline )) || die "reset: namespaces still present after ${READY_TIMEOUT}s:${left}"
    sleep 0.5
  done
  (( ${#RUN_CRDS[@]} == 0 )) || install_upstream_crds
  log "reset: removed ${#RUN_NAMESPACES[@]} namespaces and ${#RUN_CRDS[@]} CRDs of the previous run in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- one run
TOTAL_FAIL=0
SUMMARY=()
# check <label> <path...>: returns the number of unexpected outcomes in FAILS
RUN_NAMESPACES=(); RUN_CRDS=()
check() {
  local label=$1; shift
  local t0; t0=$(date +%s)
  (( RUN == 0 )) || reset_state
  RUN=$((RUN + 1)); RUN_NAMESPACES=(); RUN_CRDS=()
  local plan="${WORK}/plan-${RUN}.tsv" docs="${WORK}/docs-${RUN}"
  python3 "${HERE}/plan.py" "$docs" "$@" > "$plan" || die "cannot read manifests of ${label}"
  local n; n=$(grep -c . "$plan" || true)
  log "${label}: ${n} objects, sync waves: $(cut -f2 "$plan" | uniq | paste -sd' ' -)"
  FAILS=0; local ok=0 expected=0 rejected=0 warned=0
  local seq _wave setup expect emsg kind obj src docfile out rc status msg crds=() setup_failed=" "
  # Phase A: Namespaces and CRDs for real, in sync order.
  while IFS=$'\t' read -r seq _wave setup expect emsg kind obj src docfile; do
    [[ "$setup" == 1 && "$expect" == accept ]] || continue
    if ! out="$("${KUBECTL[@]}" apply --server-side --field-manager=verify-apiserver -f "$docfile" 2>&1)"; then
      log "REJECTED $(rel "${src}") (${kind} ${obj}): $(tr '\n' ' ' <<<"$out")"
      FAILS=$((FAILS + 1)); rejected=$((rejected + 1)); setup_failed+="${seq} "
    fi
    if [[ "$kind" == Namespace ]]; then RUN_NAMESPACES+=("$obj"); fi
    if [[ "$kind" == CustomResourceDefinition ]]; then crds+=("crd/${obj}"); RUN_CRDS+=("crd/${obj}"); fi
  done < "$plan"
  if (( ${#crds[@]} > 0 )); then
    "${KUBECTL[@]}" wait --for=condition=Established --timeout=60s "${crds[@]}" >/dev/null 2>&1 \
      || { log "REJECTED: CRDs of ${label} not Established within 60s: ${crds[*]}"; FAILS=$((FAILS + 1)); }
  fi
  # Phase B: every other object as a server-side dry-run, in sync order.
  while IFS=$'\t' read -r seq _wave setup expect emsg kind obj src docfile; do
    if [[ "$kind" == INVALID ]]; then
      log "REJECTED $(rel "${src}"): ${emsg}"; FAILS=$((FAILS + 1)); rejected=$((rejected + 1)); continue
    fi
    if [[ "$setup" == 1 && "$expect" == accept ]]; then
      [[ "$setup_failed" == *" ${seq} "* ]] || ok=$((ok + 1))
      continue
    fi
    rc=0
    out="$("${KUBECTL[@]}" apply --server-side --dry-run=server --field-manager=verify-apiserver \
      -f "$docfile" 2>&1)" || rc=$?
    msg="$( { grep -v -e 'serverside-applied (server dry run)' <<<"$out" || true; } | tr '\n' ' ' | sed 's/  */ /g; s/ $//')"
    status=accepted
    if (( rc != 0 )); then
      status=rejected
    elif grep -q 'would violate PodSecurity' <<<"$out"; then
      if [[ "$PSA_WARNINGS" == fail ]]; then status=rejected; else
        log "WARN $(rel "${src}") (${kind} ${obj}): ${msg}"; warned=$((warned + 1)); fi
    elif grep -q '^Warning:' <<<"$out"; then
      log "WARN $(rel "${src}") (${kind} ${obj}): ${msg}"; warned=$((warned + 1))
    fi
    if [[ "$expect" == reject ]]; then
      if [[ "$status" == rejected && ( "$emsg" == - || "$msg" == *"$emsg"* ) ]]; then
        log "expected rejection OK: $(rel "${src}") (${kind} ${obj}): ${msg}"; expected=$((expected + 1))
      elif [[ "$status" == rejected ]]; then
        log "FAIL $(rel "${src}") (${kind} ${obj}): rejected, but without '${emsg}': ${msg}"; FAILS=$((FAILS + 1))
      else
        log "FAIL $(rel "${src}") (${kind} ${obj}): the broken manifest was ACCEPTED (the harness cannot fail)"; FAILS=$((FAILS + 1))
      fi
    elif [[ "$status" == rejected ]]; then
      log "REJECTED $(rel "${src}") (${kind} ${obj}): ${msg}"; FAILS=$((FAILS + 1)); rejected=$((rejected + 1))
    else
      ok=$((ok + 1))
    fi
  done < "$plan"
  local verdict=PASS; (( FAILS == 0 )) || verdict=FAIL
  log "${verdict} ${label}: ${ok} accepted, ${rejected} rejected, ${expected} expected rejections, ${warned} warnings, in $(elapsed "$t0")"
  SUMMARY+=("$(printf '%-4s %-40s %4s objects %3s rejected %3s expected-rejections %4s' \
    "$verdict" "$label" "$n" "$rejected" "$expected" "$(elapsed "$t0")")")
  TOTAL_FAIL=$((TOTAL_FAIL + FAILS))
}

# ---------------------------------------------------------------- cluster Pod Security default
# shellcheck source=scripts/apiserver/pod-security.sh
source "${HERE}/pod-security.sh"
(( $# > 0 )) || pod_security_checks
# ---------------------------------------------------------------- encryption key rotation
# shellcheck source=scripts/apiserver/encryption-rotation.sh
source "${HERE}/encryption-rotation.sh"
(( $# > 0 )) || encryption_rotation_checks
# ---------------------------------------------------------------- audit policy
# shellcheck source=scripts/apiserver/audit.sh
source "${HERE}/audit.sh"
(( $# > 0 )) || audit_checks
# ---------------------------------------------------------------- tenants and the platform CA
# shellcheck source=scripts/apiserver/tenant-issuers.sh
source "${HERE}/tenant-issuers.sh"

start_apiserver
install_upstream_crds
if [[ "${VERIFY_APISERVER_SELFTEST:-1}" != 0 ]]; then
  check "self-test (scripts/apiserver/testdata/selftest)" "${HERE}/testdata/selftest"
  # The self-test must have exercised every broken fixture.
  want=$(grep -l 'verify.pve-k8s.io/expect: reject' "${HERE}"/testdata/selftest/*.yaml | wc -l)
  got=$(grep -c $'\treject\t' "${WORK}/plan-${RUN}.tsv" || true)
  (( got == want && want >= 2 )) || die "self-test planned ${got} broken fixtures, expected ${want}"
  (( FAILS == 0 )) || die "self-test failed: the harness does not reject what it must (or rejects good input); not checking manifests"
fi
if (( VARIANTS )); then
  log "rendering clusters/*.yaml with addons.ingress.controller gateway-api (scripts/manifests/render-variants.js)"
  (cd "$ROOT" && npx tsc -p scripts/manifests/tsconfig.json) || die "TypeScript build of manifests/ failed"
  node "${ROOT}/scripts/manifests/render-variants.js" "${WORK}/variants" >&2 || die "rendering the variants failed"
  shopt -s nullglob
  gateway=("${WORK}"/variants/gateway/*/manifests)
  shopt -u nullglob
  (( ${#gateway[@]} > 0 )) || die "no gateway-api variant rendered"
  TARGETS+=("${gateway[@]}")
fi
for t in "${TARGETS[@]}"; do
  label="$(rel "$t")"; label="${label/#"${WORK}"\/variants/<gateway-api variant>}"
  check "$label" "$t"
done
if (( VARIANTS )); then # the options variant has a tenant (scripts/manifests/render-variants.js)
  shopt -s nullglob
  options=("${WORK}"/variants/options/*/manifests)
  shopt -u nullglob
  (( ${#options[@]} > 0 )) || die "no options (tenant) variant rendered"
  tenant_issuer_checks "${options[0]}" "<tenant variant>${options[0]#"${WORK}"/variants}"
fi

log "summary (kube-apiserver ${K8S_VERSION}, Pod Security warnings: ${PSA_WARNINGS}):"
for s in "${SUMMARY[@]}"; do log "  $s"; done
if (( TOTAL_FAIL > 0 )); then
  log "FAIL: ${TOTAL_FAIL} rejection(s) or unexpected outcome(s) ($(elapsed "$START") total)"
  exit 1
fi
log "ok: every manifest accepted by kube-apiserver ${K8S_VERSION} ($(elapsed "$START") total)"
