# shellcheck shell=bash
# shellcheck disable=SC2034 # E2E_FAILURE is read by run.sh
# The backup check of the e2e test (source after day2.sh): the generated etcd-backup CronJob of
# the first control plane, applied from the synthesized dist/ and run once as a Job on the live
# cluster; then the "Restore etcd from a snapshot" steps of the generated RESTORE.md, as written,
# on every control plane (ssh and scp go through the harness: scripts/e2e/shims/), and the
# cluster must come back with what the snapshot held and without what came after it.

# backup_images: the images the generated etcd-backup CronJobs run (built into the local registry).
backup_images() { grep -ho 'image: .*' "${RUN}/synth/dist/${CLUSTER}/manifests/etcd-backup/"*.yaml | awk '{print $2}' | sort -u; }

# restore_run FILE: runs a RESTORE.md step as the operator would paste it, inside the test network.
restore_run() {
  in_br env PATH="${ROOT}/scripts/e2e/shims:${TOOLS_BIN}:${PATH}" KUBECONFIG="${RUN}/admin.conf" E2E_RUN="$RUN" bash "$1"
}

check_backup_restore() {
  local dist="${RUN}/synth/dist/${CLUSTER}" steps="${RUN}/restore-steps" job=e2e-snapshot t0 snap ts n ip
  phase "etcd backup (the generated CronJob) and RESTORE.md, on the live cluster"
  KUBECTL apply -f "${dist}/manifests/security/Namespace.etcd-backup.yaml" -f "${dist}/manifests/etcd-backup/" >/dev/null
  KUBECTL -n kube-system create configmap e2e-before-snapshot --from-literal=written="$(date -u +%FT%TZ)" >/dev/null
  t0=$(date +%s)
  KUBECTL -n etcd-backup create job --from="cronjob/etcd-backup-${FIRST_CP}" "$job" >/dev/null
  if ! KUBECTL -n etcd-backup wait --for=condition=complete "job/${job}" --timeout=300s >/dev/null; then
    KUBECTL -n etcd-backup describe pods >&2 || true
    KUBECTL -n etcd-backup logs "job/${job}" --all-containers >&2 || true
    E2E_FAILURE="the etcd-backup Job of ${FIRST_CP} did not complete"; return 1
  fi
  snap=$(find "$(node_root "$FIRST_CP")/var/lib/etcd-backup" -name 'etcd-snapshot-*.db' | sort | tail -n 1)
  [[ -s "$snap" ]] || { E2E_FAILURE="no snapshot in ${FIRST_CP}:/var/lib/etcd-backup after the Job"; return 1; }
  result "etcd snapshot by the generated CronJob (etcdctl snapshot save, status, rotate) on ${FIRST_CP}: $(basename "$snap"), $(du -k "$snap" | cut -f1) KiB, Job done in $(since "$t0")s ok"
  KUBECTL -n kube-system create configmap e2e-after-snapshot --from-literal=written="$(date -u +%FT%TZ)" >/dev/null

  # RESTORE.md, steps 1-4 verbatim (step 1's <timestamp> filled in from its own listing, as the
  # operator does), step 5's commands from its text.
  t0=$(date +%s)
  python3 "${ROOT}/scripts/etcd-restore/restore-steps.py" "${dist}/RESTORE.md" "$steps" >/dev/null
  head -n 1 "${steps}/step-1.sh" >"${steps}/step-1-ls.sh"
  ts=$(restore_run "${steps}/step-1-ls.sh" | sed -n 's#.*etcd-snapshot-\(.*\)\.db$#\1#p')
  [[ -n "$ts" ]] || { E2E_FAILURE="RESTORE.md step 1 lists no snapshot"; return 1; }
  sed -i "s#etcd-snapshot-<timestamp>\\.db#etcd-snapshot-${ts}.db#" "${steps}/step-1.sh"
  on_exit "rm -f /tmp/snapshot.db"
  for n in 1 2 3; do
    log "RESTORE.md step ${n}"
    restore_run "${steps}/step-${n}.sh" || { E2E_FAILURE="RESTORE.md step ${n} failed"; return 1; }
  done
  log "RESTORE.md step 4 (the API may take a minute to answer; the check lines are repeated until it does)"
  restore_run "${steps}/step-4.sh" || true
  local deadline=$(( $(date +%s) + 240 ))
  until vip_healthz 2 && KUBECTL get nodes >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || { E2E_FAILURE="the API did not come back within 240 s of RESTORE.md step 4"; return 1; }
    sleep 3
  done
  tail -n 2 "${steps}/step-4.sh" >"${steps}/step-4-check.sh"
  restore_run "${steps}/step-4-check.sh" >&2 || { E2E_FAILURE="RESTORE.md step 4's checks failed after the API came back"; return 1; }
  log "RESTORE.md step 5"
  # shellcheck disable=SC2016 # a Python regex, not shell
  python3 -c 'import re,sys; t=open(sys.argv[1]).read(); s=re.search(r"^5\. (.*?)$", t.split("## Restore etcd from a snapshot")[1], re.M).group(1); print("\n".join(re.findall(r"`(ssh [^`]+)`", s)))' \
    "${dist}/RESTORE.md" >"${steps}/step-5.sh"
  [[ -s "${steps}/step-5.sh" ]] || { E2E_FAILURE="RESTORE.md step 5 names no command"; return 1; }
  restore_run "${steps}/step-5.sh" || { E2E_FAILURE="RESTORE.md step 5 failed"; return 1; }
  check_etcd 3 || return 1
  for n in $(KUBECTL get nodes -o name); do
    KUBECTL wait --for=condition=Ready "$n" --timeout=180s >/dev/null || { E2E_FAILURE="${n#node/} not Ready after the restore"; return 1; }
  done
  KUBECTL -n kube-system get configmap e2e-before-snapshot >/dev/null 2>&1 || { E2E_FAILURE="restore lost e2e-before-snapshot (written before the snapshot)"; return 1; }
  ! KUBECTL -n kube-system get configmap e2e-after-snapshot >/dev/null 2>&1 || { E2E_FAILURE="e2e-after-snapshot (written after the snapshot) survived the restore"; return 1; }
  ip=$(node_field "$FIRST_CP" ip)
  result "RESTORE.md steps 1-5 as written on the 3 control planes (snapshot of ${FIRST_CP} ${ip}): API back, etcd 3/3, all nodes Ready, the object written before the snapshot is there and the one after it is gone, in $(since "$t0")s ok"
}
