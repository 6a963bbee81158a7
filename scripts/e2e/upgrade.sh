# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_FAILURE is read by run.sh
# The upgrade check of the e2e test (source after day2.sh): the e2e spec with kubernetes.version
# set to the next minor (tools/e2e/kubernetes-next/go.mod pins which), synthesized like a user's
# edit, and its generated dist/<name>/upgrade.sh run against the live cluster, with the hello
# Deployment (2 replicas, PodDisruptionBudget) and the API through the VIP probed throughout.

# next_version: the upgrade target the harness built binaries, packages and images for.
next_version() { (cd "${ROOT}/tools/e2e/kubernetes-next" && go list -m -f '{{.Version}}' k8s.io/kubernetes) | sed 's/^v//'; }

# synth_next: RUN/e2e-next.yaml (the work spec at the next version) synthesized into RUN/synth-next,
# through synth's own upgrade-path check (it reads the day-1 versions.json), and its facts
# (package path and versions) in RUN/next/facts.env.
synth_next() {
  NEXT_VERSION=$(next_version)
  node -e 'const y=require("js-yaml"),fs=require("fs"); const d=y.load(fs.readFileSync(process.argv[1],"utf8"));
    d.kubernetes={...(d.kubernetes||{}),version:process.argv[3]}; fs.writeFileSync(process.argv[2],y.dump(d))' \
    "${RUN}/e2e.yaml" "${RUN}/e2e-next.yaml" "$NEXT_VERSION"
  mkdir -p "${RUN}/synth-next/dist/${CLUSTER}"
  cp "${RUN}/synth/dist/${CLUSTER}/versions.json" "${RUN}/synth-next/dist/${CLUSTER}/"
  node "${ROOT}/lib/bundle/synth.js" --spec "${RUN}/e2e-next.yaml" --out "${RUN}/synth-next" >/dev/null
  node "${ROOT}/scripts/e2e/user-data.mjs" "${RUN}/synth-next/cdktf.out/stacks/${CLUSTER}/cdk.tf.json" "${RUN}/next" >/dev/null
  UPGRADE_SCRIPT="${RUN}/synth-next/dist/${CLUSTER}/upgrade.sh"
  [[ -s "$UPGRADE_SCRIPT" ]] || die "synth wrote no ${UPGRADE_SCRIPT#"${RUN}"/}"
}

# node_uids: "name=uid ..." of every Node object (a recreated node gets a new UID).
node_uids() { KUBECTL get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.uid}{" "}{end}'; }
# container_pids: "name=pid ..." of every running node container (a rebooted node gets a new one).
container_pids() { local d; for d in "${RUN}"/nodes/*/; do printf '%s=%s ' "$(basename "$d")" "$(cat "${d}pid" 2>/dev/null)"; done; }

check_upgrade() {
  local probe_log="${RUN}/upgrade-probe.log" stop_file="${RUN}/upgrade-probe.stop" t0 t_start rc=0
  local uids_before pids_before via='' n v api_failed api_total api_outage svc_failed svc_total svc_outage
  phase "upgrade: Kubernetes ${KUBE_VERSION%-*} -> ${NEXT_VERSION} with the generated upgrade.sh"
  KUBECTL -n e2e get deployment hello >/dev/null 2>&1 || hello_manifest | KUBECTL apply -f - >/dev/null
  KUBECTL -n e2e rollout status deployment/hello --timeout=180s >/dev/null || { E2E_FAILURE="hello Deployment not ready before the upgrade"; return 1; }
  uids_before=$(node_uids); pids_before=$(container_pids)
  for n in "${DAY1_NODES[@]}"; do [[ "$(node_field "$n" role)" == worker ]] && { via=$(node_field "$n" ip); break; }; done
  [[ -n "${via:-}" ]] || { E2E_FAILURE="the upgrade check needs a worker booted on day 1"; return 1; }
  rm -f "$probe_log" "$stop_file"
  ip netns exec "$BR_NS" python3 "${ROOT}/scripts/e2e/probe.py" "$probe_log" "$stop_file" 0.5 \
    "api=https://${API_ENDPOINT}/healthz" "svc=http://${via}:30080/" &
  local probe_pid=$!
  on_exit "touch '${stop_file}'; kill ${probe_pid} 2>/dev/null || true"
  t_start=$(date +%s.%N); t0=$(date +%s)
  in_br env PATH="${TOOLS_BIN}:${PATH}" KUBECONFIG="${RUN}/admin.conf" E2E_RUN="$RUN" \
    PVE_K8S_NODE_EXEC="${ROOT}/scripts/e2e/node-exec.sh" bash "$UPGRADE_SCRIPT" >"${RUN}/upgrade.log" 2>&1 || rc=$?
  touch "$stop_file"; wait "$probe_pid" 2>/dev/null || true
  grep -E '^\[upgrade' "${RUN}/upgrade.log" | sed 's/^/  /' >&2 || true
  if (( rc != 0 )); then
    tail -n 40 "${RUN}/upgrade.log" | sed 's/^/  | /' >&2
    E2E_FAILURE="upgrade.sh exited ${rc} (log: ${RUN}/upgrade.log)"; return 1
  fi
  local took; took=$(since "$t0")
  read -r api_failed api_total api_outage < <(outage "$probe_log" api "$t_start")
  read -r svc_failed svc_total svc_outage < <(outage "$probe_log" svc "$t_start")
  for n in $(KUBECTL get nodes -o name); do
    v=$(KUBECTL get "$n" -o jsonpath='{.status.nodeInfo.kubeletVersion}')
    [[ "$v" == "v${NEXT_VERSION}" ]] || { E2E_FAILURE="${n#node/} reports ${v} after the upgrade (want v${NEXT_VERSION})"; return 1; }
  done
  v=$(KUBECTL version -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).serverVersion.gitVersion))')
  [[ "$v" == "v${NEXT_VERSION}" ]] || { E2E_FAILURE="API server reports ${v} after the upgrade"; return 1; }
  check_etcd 3 || return 1
  [[ "$(node_uids)" == "$uids_before" ]] || { E2E_FAILURE="Node objects recreated by the upgrade: before ${uids_before}, after $(node_uids)"; return 1; }
  [[ "$(container_pids)" == "$pids_before" ]] || { E2E_FAILURE="node containers restarted during the upgrade: before ${pids_before}, after $(container_pids)"; return 1; }
  [[ "$api_outage" != unrecovered && "$svc_outage" != unrecovered ]] || { E2E_FAILURE="after the upgrade the API (${api_outage}) or hello (${svc_outage}) does not answer"; return 1; }
  result "upgrade ${KUBE_VERSION%-*} -> ${NEXT_VERSION}: $(KUBECTL get nodes -o name | wc -l) nodes in ${took}s, one at a time; every node v${NEXT_VERSION}, API v${NEXT_VERSION}, etcd 3/3, no node recreated or rebooted ok"
  result "during the upgrade: API through the VIP ${api_failed} of ${api_total} requests failed (longest gap ${api_outage}s); hello (2 replicas, PDB) via ${via}:30080 ${svc_failed} of ${svc_total} failed (longest gap ${svc_outage}s)"
}
