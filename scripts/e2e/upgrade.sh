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
  local t0 rc=0 uids_before pids_before n v
  phase "upgrade: Kubernetes ${KUBE_VERSION%-*} -> ${NEXT_VERSION} with the generated upgrade.sh"
  probe_start upgrade || return 1
  watch_serving "${RUN}/upgrade-watch.log" &
  local watch_pid=$!
  on_exit "kill ${watch_pid} 2>/dev/null || true"
  uids_before=$(node_uids); pids_before=$(container_pids)
  t0=$(date +%s)
  run_generated "$UPGRADE_SCRIPT" || rc=$?
  kill "$watch_pid" 2>/dev/null || true
  if (( rc != 0 )); then
    probe_stop --count-only || true
    E2E_FAILURE="upgrade.sh failed (log: ${RUN}/upgrade.log)"; return 1
  fi
  local took; took=$(since "$t0")
  # hello's failures are counted, not required to be 0: upgrade.sh drains each node in turn.
  probe_stop --count-only || return 1
  [[ "$PROBE_FIGURES" == *"hello via ${PROBE_VIA}:30080 0 of"* ]] || serving_diagnostics "${RUN}/upgrade-watch.log"
  for n in $(KUBECTL get nodes -o name); do
    v=$(KUBECTL get "$n" -o jsonpath='{.status.nodeInfo.kubeletVersion}')
    [[ "$v" == "v${NEXT_VERSION}" ]] || { E2E_FAILURE="${n#node/} reports ${v} after the upgrade (want v${NEXT_VERSION})"; return 1; }
  done
  v=$(server_version)
  [[ "$v" == "v${NEXT_VERSION}" ]] || { E2E_FAILURE="API server reports ${v} after the upgrade"; return 1; }
  check_etcd 3 || return 1
  [[ "$(node_uids)" == "$uids_before" ]] || { E2E_FAILURE="Node objects recreated by the upgrade: before ${uids_before}, after $(node_uids)"; return 1; }
  [[ "$(container_pids)" == "$pids_before" ]] || { E2E_FAILURE="node containers restarted during the upgrade: before ${pids_before}, after $(container_pids)"; return 1; }
  result "upgrade ${KUBE_VERSION%-*} -> ${NEXT_VERSION}: $(KUBECTL get nodes -o name | wc -l) nodes in ${took}s, one at a time; every node v${NEXT_VERSION}, API v${NEXT_VERSION}, etcd 3/3, no node recreated or rebooted ok"
  result "during the upgrade (hello: 2 replicas, PDB): ${PROBE_FIGURES}"
}
