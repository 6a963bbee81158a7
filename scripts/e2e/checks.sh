# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_FAILURE, DONE_AT and RESULTS are read by run.sh
# The e2e checks (source after lib.sh and cluster.sh). Each prints one "CHECK ... ok|FAILED" line
# with its measured figure; figures are also collected in RESULTS for the summary.

declare -a RESULTS=()
result() { RESULTS+=("$*"); log "CHECK $*"; }
KUBECTL() { in_br "${TOOLS_BIN}/kubectl" --kubeconfig "${RUN}/admin.conf" --request-timeout=10s "$@"; }
vip_healthz() { in_br curl -sk --max-time "${1:-2}" -o /dev/null -w '%{http_code}' "https://${API_ENDPOINT}/healthz" 2>/dev/null | grep -q '^200$'; }

# bootstrap_state NAME: DONE, FAILED:<step>, RUNNING:<step>, or WAITING (no bootstrap log yet).
bootstrap_state() {
  local root; root=$(node_root "$1")
  if [[ -f "${root}/var/lib/pve-k8s/DONE" ]]; then echo DONE
  elif [[ -f "${root}/var/lib/pve-k8s/FAILED" ]]; then echo "FAILED:$(cat "${root}/var/lib/pve-k8s/FAILED")"
  elif [[ -f "${root}/var/log/pve-k8s-bootstrap.log" ]]; then
    echo "RUNNING:$(grep -o 'step [a-z0-9-]*: start' "${root}/var/log/pve-k8s-bootstrap.log" | tail -n1 | awk '{print $2}' | tr -d :)"
  else echo WAITING; fi
}

# node_report NAME: what an operator would look at first (README of cloud-init/, "Debugging").
node_report() {
  local name=$1 root; root=$(node_root "$1")
  log "---- ${name}: $(bootstrap_state "$name") ----"
  if [[ -f "${root}/var/log/pve-k8s-bootstrap.log" ]]; then
    log "${name}: last 25 lines of /var/log/pve-k8s-bootstrap.log:"; tail -n 25 "${root}/var/log/pve-k8s-bootstrap.log" | sed "s/^/  ${name}| /" >&2
  elif [[ -f "${root}/var/log/cloud-init-output.log" ]]; then
    log "${name}: no bootstrap log; last 25 lines of /var/log/cloud-init-output.log:"; tail -n 25 "${root}/var/log/cloud-init-output.log" | sed "s/^/  ${name}| /" >&2
  else
    log "${name}: no cloud-init output; last 15 lines of the container console:"; tail -n 15 "${RUN}/nodes/${name}/console.log" 2>/dev/null | sed "s/^/  ${name}| /" >&2
  fi
}

# wait_bootstrap BUDGET STEP_BUDGET NODE...: waits until every NODE's bootstrap is DONE. Fails
# naming the node and the step when a node writes its FAILED marker, when one step runs longer
# than STEP_BUDGET seconds, when a container exits, or when BUDGET runs out. Records when the API
# first answered through the VIP (API_UP_AT) and when each node finished (DONE_AT[node]).
declare -A DONE_AT=()
API_UP_AT=
wait_bootstrap() {
  local budget=$1 step_budget=$2; shift 2
  local start now n state last_progress=0 pending line
  declare -A step_seen=() step_since=()
  start=$(date +%s)
  while :; do
    now=$(date +%s); pending=0; line=
    [[ -z "$API_UP_AT" ]] && vip_healthz 1 && { API_UP_AT=$now; log "API answers through the VIP ${API_ENDPOINT}"; }
    for n in "$@"; do
      state=$(bootstrap_state "$n")
      case "$state" in
        DONE) [[ -n "${DONE_AT[$n]:-}" ]] || { DONE_AT[$n]=$now; log "${n}: bootstrap DONE"; } ;;
        FAILED:*) node_report "$n"; E2E_FAILURE="${n}: bootstrap step ${state#FAILED:} FAILED (marker /var/lib/pve-k8s/FAILED)"; return 1 ;;
        *)
          pending=$((pending + 1))
          node_running "$n" || { node_report "$n"; E2E_FAILURE="${n}: the container exited during bootstrap (${state})"; return 1; }
          if [[ "${step_seen[$n]:-}" != "$state" ]]; then step_seen[$n]=$state; step_since[$n]=$now; fi
          if (( now - step_since[$n] > step_budget )); then
            node_report "$n"
            E2E_FAILURE="${n}: bootstrap stuck in step ${state#RUNNING:} for more than ${step_budget}s"; return 1
          fi
          line+=" ${n#"${CLUSTER}-"}=${state#RUNNING:}($((now - step_since[$n]))s)" ;;
      esac
    done
    (( pending == 0 )) && return 0
    if (( now - start > budget )); then
      for n in "$@"; do [[ -n "${DONE_AT[$n]:-}" ]] || node_report "$n"; done
      E2E_FAILURE="bootstrap not finished after ${budget}s:${line}"; return 1
    fi
    (( now - last_progress >= 15 )) && { log "waiting:${line}"; last_progress=$now; }
    sleep 2
  done
}

fetch_admin_conf() {
  install -m 0600 "$(node_root "$FIRST_CP")/etc/kubernetes/admin.conf" "${RUN}/admin.conf"
  grep -q "server: https://${API_ENDPOINT}" "${RUN}/admin.conf" || die "admin.conf does not point at the VIP ${API_ENDPOINT}"
}

check_nodes_ready() {   # check_nodes_ready NODE...
  local t0 n; t0=$(date +%s)
  for n in "$@"; do
    KUBECTL wait --for=condition=Ready "node/${n}" --timeout=180s >/dev/null \
      || { KUBECTL get nodes -o wide >&2 || true; E2E_FAILURE="node ${n} not Ready"; return 1; }
  done
  result "nodes Ready: $* ok ($(since "$t0")s after their bootstrap)"
}

# wait_ready_since NODE SINCE: the node's kubelet reported Ready after SINCE (unix time), so a
# Ready status left over from before a restart does not count (bounded: 300 s).
wait_ready_since() {
  local n=$1 since=$2 beat status
  for _ in $(seq 150); do
    read -r status beat < <(KUBECTL get node "$n" -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}{.status}{" "}{.lastHeartbeatTime}{end}' 2>/dev/null) || true
    [[ "${status:-}" == True && -n "${beat:-}" ]] && (( $(date -d "$beat" +%s) >= since )) && return 0
    sleep 2
  done
  E2E_FAILURE="node ${n} did not report Ready after its restart"; return 1
}

# etcdctl via the etcd static pod of a running control plane: the first that answers (a pod's
# status can still say Running for a node that has just died).
etcdctl() {
  local pod
  for pod in $(KUBECTL -n kube-system get pods -l component=etcd --field-selector=status.phase=Running -o name); do
    KUBECTL -n kube-system exec "${pod#pod/}" --request-timeout=10s -- etcdctl --endpoints=https://127.0.0.1:2379 \
      --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt \
      --key=/etc/kubernetes/pki/etcd/server.key --command-timeout=5s "$@" && return 0
  done
  return 1
}

check_etcd() {   # check_etcd WANT: WANT members, all healthy (retried for 60 s)
  local want=$1 members healthy
  for _ in $(seq 30); do
    members=$(etcdctl member list 2>/dev/null | grep -c ', started, ' || true)
    healthy=$(etcdctl endpoint health --cluster 2>&1 | grep -c 'is healthy' || true)
    (( members == want && healthy == want )) && { result "etcd: ${members} members started, ${healthy} healthy ok"; return 0; }
    sleep 2
  done
  etcdctl member list -w table >&2 || true
  E2E_FAILURE="etcd: ${members} members started, ${healthy} healthy (want ${want})"; return 1
}

# server_version: the API server's gitVersion (e.g. v1.30.3), through the VIP.
server_version() {
  KUBECTL version -o json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).serverVersion.gitVersion))'
}

check_api_vip() {
  local v
  vip_healthz 5 || { E2E_FAILURE="API does not answer through the VIP ${API_ENDPOINT}"; return 1; }
  v=$(server_version)
  result "API through the VIP ${API_ENDPOINT}: /healthz 200, server ${v} ok"
}

# vip_holder: the control plane whose eth0 holds the VIP.
vip_holder() {
  local n
  for n in $(node_names); do
    ip netns list | grep -qw "$(node_ns "$n")" || continue
    ip -n "$(node_ns "$n")" -4 addr show dev eth0 | grep -q " ${API_ENDPOINT%:*}/" && { echo "$n"; return 0; }
  done
  return 1
}
