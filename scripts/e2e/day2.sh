# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_FAILURE is read by run.sh
# Day-2 checks of the e2e test (source after checks.sh): VIP failover with a workload behind a
# PodDisruptionBudget, the negative control, a late join into a month-old cluster, and the
# first control plane rebuilt from its own user data.

NEGATIVE_STEP_BUDGET="${E2E_NEGATIVE_STEP_BUDGET:-90}"
WRONG_VIP="${E2E_WRONG_VIP:-198.18.0.99}"
HA_STOP="${E2E_HA_STOP:-kill}"   # kill: the VIP holder dies at once (power loss: its whole cgroup tree SIGKILLed, netns gone); clean: a clean shutdown

hello_manifest() {
  cat <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: e2e}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello, namespace: e2e}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers:
        - name: hello
          image: ${HELLO_IMAGE}
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2}
          securityContext: {runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: hello, namespace: e2e}
spec: {minAvailable: 1, selector: {matchLabels: {app: hello}}}
---
apiVersion: v1
kind: Service
metadata: {name: hello, namespace: e2e}
spec: {type: NodePort, selector: {app: hello}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}
YAML
}

# outage LOG NAME SINCE: "failed total longest_outage_s" for NAME's probes after SINCE (unix time).
outage() {
  awk -v name="$2" -v since="$3" '
    $2 == name && $1 >= since { total++
      if ($3 == "fail") { failed++; if (start == "") start = $1 }
      else if (start != "") { if ($1 - start > longest) longest = $1 - start; start = "" } }
    END { if (start != "") longest = "unrecovered"; printf "%d %d %s\n", failed, total, (longest == "" ? 0 : longest) }' "$1"
}

check_ha() {
  local holder worker t_stop t0 probe_log="${RUN}/probe.log" stop_file="${RUN}/probe.stop" pdb
  phase "HA: VIP failover with a workload behind a PodDisruptionBudget"
  hello_manifest | KUBECTL apply -f - >/dev/null
  KUBECTL -n e2e rollout status deployment/hello --timeout=180s >/dev/null \
    || { KUBECTL -n e2e get pods -o wide >&2; KUBECTL -n e2e describe pods >&2 || true; E2E_FAILURE="hello Deployment did not roll out"; return 1; }
  pdb=$(KUBECTL -n e2e get pdb hello -o jsonpath='{.status.currentHealthy}/{.status.desiredHealthy} healthy, {.status.disruptionsAllowed} disruption allowed')
  worker=$(node_field "$(KUBECTL -n e2e get pods -l app=hello -o jsonpath='{.items[0].spec.nodeName}')" ip)
  holder=$(vip_holder) || { E2E_FAILURE="no control plane holds the VIP"; return 1; }
  log "VIP ${API_ENDPOINT%:*} is on ${holder}; hello (2 replicas, PDB ${pdb}) serves on ${worker}:30080"
  rm -f "$probe_log" "$stop_file"
  ip netns exec "$BR_NS" python3 "${ROOT}/scripts/e2e/probe.py" "$probe_log" "$stop_file" 0.25 \
    "api=https://${API_ENDPOINT}/healthz" "svc=http://${worker}:30080/" &
  local probe_pid=$!
  on_exit "touch '${stop_file}'; kill ${probe_pid} 2>/dev/null || true"
  sleep 3
  t_stop=$(date +%s.%N)
  if [[ "$HA_STOP" == kill ]]; then
    log "killing ${holder} (holds the VIP): SIGKILL to every process of the node, no shutdown"
    node_kill "$holder"
  else
    log "stopping ${holder} (holds the VIP)"
    node_stop "$holder"
  fi
  t0=$(date +%s)
  until vip_healthz 1 && KUBECTL get nodes >/dev/null 2>&1; do
    (( $(date +%s) - t0 > 60 )) && break
    sleep 0.5
  done
  sleep 5
  touch "$stop_file"; wait "$probe_pid" 2>/dev/null || true
  read -r api_failed api_total api_outage < <(outage "$probe_log" api "$t_stop")
  read -r svc_failed svc_total _ < <(outage "$probe_log" svc "$t_stop")
  [[ "$api_outage" != unrecovered ]] || { E2E_FAILURE="API through the VIP did not recover after ${holder} stopped"; return 1; }
  local how=killed; [[ "$HA_STOP" == kill ]] || how="stopped cleanly"
  result "VIP failover (${holder} ${how}): API through the VIP unanswered for ${api_outage}s, ${api_failed} of ${api_total} requests failed; new holder $(vip_holder || echo none) ok"
  (( svc_failed == 0 )) || { E2E_FAILURE="hello Service failed ${svc_failed} of ${svc_total} requests during the failover"; return 1; }
  result "workload during failover: hello Service answered ${svc_total} of ${svc_total} requests (PDB ${pdb}) ok"

  log "restarting ${holder} (same disk)"
  t0=$(date +%s)
  node_start "$holder"
  wait_ready_since "$holder" "$t0" || return 1
  check_etcd 3 || return 1
  result "${holder} back after restart: Ready and etcd 3/3 in $(since "$t0")s"
}

# The negative control: a deliberately broken copy of a spare node's user data (a wrong VIP in
# its kubeadm config) must make the harness fail, naming the node and the step. It boots while
# the HA check runs (negative_start) and is judged afterwards (negative_finish).
negative_start() {
  local n=${SPARE_NODES[0]:-} broken="${RUN}/broken-user-data"
  [[ -n "$n" ]] || { E2E_FAILURE="negative control needs a spare node in the spec"; return 1; }
  log "negative control: booting ${n} with a wrong VIP (${WRONG_VIP}) in its kubeadm config"
  sed -E "s#(apiServerEndpoint: )${API_ENDPOINT%:*}:#\\1${WRONG_VIP}:#" "${RUN}/seeds/${n}/user-data" >"$broken"
  chmod 0600 "$broken"
  [[ $(diff "${RUN}/seeds/${n}/user-data" "$broken" | grep -c '^>') == 1 ]] \
    || { E2E_FAILURE="negative control: no apiServerEndpoint to break in ${n}'s user data"; return 1; }
  node_prepare "$n" "$broken"
  node_start "$n"
}

negative_finish() {
  local n=${SPARE_NODES[0]} msg
  phase "negative control: ${n} must fail, named with its step"
  if wait_bootstrap 900 "$NEGATIVE_STEP_BUDGET" "$n"; then
    E2E_FAILURE="negative control: ${n} finished its bootstrap with a wrong VIP"; return 1
  fi
  msg=$E2E_FAILURE; E2E_FAILURE=
  if [[ "$msg" != *"$n"* || "$msg" != *kubeadm-join* ]]; then
    E2E_FAILURE="negative control: the failure does not name ${n} and step kubeadm-join: ${msg}"; return 1
  fi
  result "negative control: broken cloud-config detected as \"${msg}\" ok"
  node_destroy "$n"
  KUBECTL delete node "$n" --ignore-not-found >/dev/null
}

# age_cluster DAYS: removes what would have expired DAYS from now: bootstrap tokens whose
# expiration is before then, and the uploaded control-plane certificates (kubeadm-certs) when
# the token that owns them is one of those.
age_cluster() {
  local days=$1 horizon secret exp removed=()
  horizon=$(( $(date +%s) + days * 86400 ))
  while read -r secret exp; do
    [[ -n "$exp" ]] || continue
    if (( $(date -d "$(base64 -d <<<"$exp")" +%s) < horizon )); then
      KUBECTL -n kube-system delete secret "$secret" >/dev/null; removed+=("$secret")
    fi
  done < <(KUBECTL -n kube-system get secrets --field-selector type=bootstrap.kubernetes.io/token \
            -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.data.expiration}{"\n"}{end}')
  local owner
  owner=$(KUBECTL -n kube-system get secret kubeadm-certs -o jsonpath='{.metadata.ownerReferences[0].name}' 2>/dev/null || true)
  if [[ -n "$owner" && " ${removed[*]} " == *" ${owner} "* ]] || \
     { [[ -n "$owner" ]] && ! KUBECTL -n kube-system get secret "$owner" >/dev/null 2>&1; }; then
    KUBECTL -n kube-system delete secret kubeadm-certs >/dev/null; removed+=(kubeadm-certs)
  fi
  result "cluster aged ${days} days: removed ${removed[*]:-nothing} ($(KUBECTL -n kube-system get secrets --field-selector type=bootstrap.kubernetes.io/token -o name | wc -l) bootstrap token(s) left)"
}

# Day-2 joins, booted together: the spare worker into a cluster made to look a month old (late
# join) and the first control plane destroyed with its disk and booted fresh from the same user
# data (rebuild). Each can also run alone (E2E_CHECKS).
check_day2_joins() {   # check_day2_joins late-join|rebuild-cp1...
  local n t0 nodes=() log_file finished
  [[ " $* " == *" late-join "* ]] && { [[ -n "${SPARE_NODES[0]:-}" ]] || { E2E_FAILURE="late join needs a spare node in the spec"; return 1; }; }
  phase "day-2 joins: $*"
  if [[ " $* " == *" late-join "* ]]; then
    age_cluster 30
    nodes+=("${SPARE_NODES[0]}")
  fi
  if [[ " $* " == *" rebuild-cp1 "* ]]; then
    log "destroying ${FIRST_CP} (container and disk)"
    node_destroy "$FIRST_CP"
    unset "DONE_AT[$FIRST_CP]"
    nodes+=("$FIRST_CP")
  fi
  for n in "${nodes[@]}"; do node_prepare "$n"; done
  t0=$(date +%s)
  for n in "${nodes[@]}"; do node_start "$n"; done
  log "booted ${nodes[*]} from their synthesized user data"
  wait_bootstrap 900 "$STEP_BUDGET" "${nodes[@]}" || return 1
  check_nodes_ready "${nodes[@]}" || return 1
  if [[ " $* " == *" late-join "* ]]; then
    n=${SPARE_NODES[0]}; finished=${DONE_AT[$n]}
    result "late join: ${n} joined the month-old cluster from its synthesized cloud-config in $((finished - t0))s, no manual step ok"
  fi
  if [[ " $* " == *" rebuild-cp1 "* ]]; then
    n=$FIRST_CP
    log_file="$(node_root "$n")/var/log/pve-k8s-bootstrap.log"
    if grep -q '\[init\] Using Kubernetes version' "$log_file" || [[ "$(cat "$(node_root "$n")/var/lib/pve-k8s/bootstrap-mode" 2>/dev/null)" != join ]]; then
      E2E_FAILURE="${n} did not join the existing cluster (bootstrap-mode $(cat "$(node_root "$n")/var/lib/pve-k8s/bootstrap-mode" 2>/dev/null || echo missing); a second kubeadm init?)"; return 1
    fi
    check_etcd 3 || return 1
    finished=${DONE_AT[$n]}
    result "first control plane rebuilt: ${n} joined the existing cluster in $((finished - t0))s (bootstrap-mode join, no second kubeadm init), etcd 3/3 ok"
  fi
}
