#!/usr/bin/env bash
# npm run e2e: boots the e2e spec's cluster for real, in systemd-nspawn system containers on an
# isolated network (198.18.0.0/15 only, no uplink), each node from the exact user data synth wrote
# for it, then checks day 1 and day 2 and tears everything down (also on failure or Ctrl-C).
# See scripts/e2e/README.md for what it covers, what it does not, and the environment profile.
#
#   npm run e2e                      # everything (artefacts are cached in .cache/e2e, .cache/tools)
#   E2E_CHECKS="day1 ha" npm run e2e # a subset: day1 ha negative late-join rebuild-cp1 remove-cp certs backup upgrade
#                                    # (upgrade needs late-join: every node of the spec in the cluster)
#   E2E_KEEP=1 npm run e2e           # keep the cluster running at the end (Ctrl-C tears it down)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/e2e/lib.sh
source "${ROOT}/scripts/e2e/lib.sh"
# shellcheck source=scripts/e2e/cluster.sh
source "${ROOT}/scripts/e2e/cluster.sh"
# shellcheck source=scripts/e2e/checks.sh
source "${ROOT}/scripts/e2e/checks.sh"
# shellcheck source=scripts/e2e/day2.sh
source "${ROOT}/scripts/e2e/day2.sh"
# shellcheck source=scripts/e2e/lifecycle.sh
source "${ROOT}/scripts/e2e/lifecycle.sh"
# shellcheck source=scripts/e2e/backup.sh
source "${ROOT}/scripts/e2e/backup.sh"
# shellcheck source=scripts/e2e/upgrade.sh
source "${ROOT}/scripts/e2e/upgrade.sh"

SPEC="${E2E_SPEC:-${ROOT}/test/e2e/cluster/e2e.yaml}"
CHECKS="${E2E_CHECKS:-day1 ha negative late-join rebuild-cp1 remove-cp certs backup upgrade}"
FORMATION_BUDGET="${E2E_FORMATION_BUDGET:-600}" STEP_BUDGET="${E2E_STEP_BUDGET:-420}"
E2E_FAILURE=
wants() { [[ " ${CHECKS} " == *" $1 "* ]]; }

# All of it in a function: bash parses a script as it runs, so an edit made during a run would
# otherwise break that run.
main() {
  (( EUID == 0 )) || die "run as root (network namespaces, mounts, systemd-nspawn)"
  if wants upgrade && ! wants late-join; then die "E2E_CHECKS: upgrade needs late-join (upgrade.sh upgrades every node of the spec)"; fi
  for c in mmdebstrap systemd-nspawn apt-ftparchive dpkg-deb gpg ip curl go nsenter; do
    command -v "$c" >/dev/null || die "${c} not found: apt-get install mmdebstrap systemd-container apt-utils iproute2 curl gpg (and Go)"
  done
  # One run per machine: the namespaces (e2e-*) are machine-wide, whichever clone runs.
  exec 9>"$E2E_LOCK"
  flock -n 9 || die "another e2e run holds ${E2E_LOCK} (still tearing down?)"
  reap_stale_run   # what a killed run (SIGKILL, no teardown) left: it held the lock, so none runs now

  # ---- artefacts (cached) ------------------------------------------------------------------------
  phase() { log "== $* =="; }
  phase "artefacts"
  T_ART=$(date +%s)
  bash "${ROOT}/scripts/e2e/build-tools.sh"
  repo_key   # the mirrors' signing key (made once)
  if [[ ! -f "${ROOT}/lib/bundle/synth.js" || -n "$(find "${ROOT}"/{spec,cloud-init,infra,manifests,bin,format} -name '*.ts' -newer "${ROOT}/lib/bundle/synth.js" -print -quit)" ]]; then
    log "building the toolkit (npm run build)"; (cd "$ROOT" && npm run --silent build >/dev/null)
  fi
  rm -rf "$RUN"; mkdir -p "$RUN"; chmod 0700 "$RUN"
  on_exit "rm -f '${RUN}/secrets.json' '${RUN}/admin.conf'; rm -rf '${RUN}/seeds'"
  node "${ROOT}/scripts/e2e/spec-with-keys.mjs" "$SPEC" "${E2E_CACHE}/repo-key.asc" "${RUN}/e2e.yaml"
  CLUSTER=$(node -e 'console.log(require("js-yaml").load(require("fs").readFileSync(process.argv[1],"utf8")).name)' "${RUN}/e2e.yaml")
  node "${ROOT}/lib/bundle/synth.js" --spec "${RUN}/e2e.yaml" --out "${RUN}/synth" >&2
  node "${ROOT}/scripts/e2e/user-data.mjs" "${RUN}/synth/cdktf.out/stacks/${CLUSTER}/cdk.tf.json" "$RUN" >&2
  # shellcheck source=/dev/null
  source "${RUN}/facts.env"
  mirror_hostport=${OS_MIRROR_URL#http://}; mirror_hostport=${mirror_hostport%%/*}
  k8s_path=${K8S_REPO_URL#http://*/}; k8s_path=${k8s_path%/}
  registry_hostport=${REGISTRY_ENDPOINTS#http://}
  # The pool: what the cloud-configs install, what the test-built packages depend on, and Debian's
  # CNI plugins (packaged as kubernetes-cni by build-repos.sh).
  # shellcheck disable=SC2086 # lists
  bash "${ROOT}/scripts/e2e/build-rootfs.sh" $PACKAGES ${KUBELET_DEB_DEPENDS//,/} containernetworking-plugins
  repos=("$k8s_path" "$KUBE_VERSION" "$CRI_TOOLS_VERSION" "$TOOLS_BIN")
  mapfile -t IMAGES < <("${TOOLS_BIN}/kubeadm" config images list --config "${RUN}/kubeadm-init.yaml" 2>/dev/null)
  (( ${#IMAGES[@]} >= 6 )) || die "kubeadm config images list gave no images: $("${TOOLS_BIN}/kubeadm" config images list --config "${RUN}/kubeadm-init.yaml" 2>&1 | tail -n 3)"
  wants backup && mapfile -t -O "${#IMAGES[@]}" IMAGES < <(backup_images)
  if wants upgrade; then   # the next minor's packages and images, from the spec synthesized at it
    synth_next
    next_bin="${TOOLS_BIN}/k8s-${NEXT_VERSION}"
    # shellcheck source=/dev/null
    next_facts=$(source "${RUN}/next/facts.env"; echo "${K8S_REPO_URL#http://*/} ${KUBE_VERSION} ${CRI_TOOLS_VERSION}")
    read -r next_path next_kube next_cri <<<"$next_facts"
    repos+=("${next_path%/}" "$next_kube" "$next_cri" "$next_bin")
    mapfile -t -O "${#IMAGES[@]}" IMAGES < <("${next_bin}/kubeadm" config images list --kubernetes-version "v${NEXT_VERSION}" 2>/dev/null)
  fi
  mapfile -t IMAGES < <(printf '%s\n' "${IMAGES[@]}" | sort -u)
  bash "${ROOT}/scripts/e2e/build-repos.sh" "${repos[@]}"
  bash "${ROOT}/scripts/e2e/build-images.sh" "${IMAGES[@]}" "$HELLO_IMAGE"
  result "artefacts ready in $(since "$T_ART")s (tools, node image, mirrors, ${#IMAGES[@]}+1 images)"

  # ---- network, mirrors ----------------------------------------------------------------------------
  phase "network and mirrors"
  GATEWAY=$(node -e 'console.log(require(process.argv[1])[0].gateway)' "$NODES_JSON")
  PREFIX=$(node -e 'console.log(require(process.argv[1])[0].prefix)' "$NODES_JSON")
  [[ "${mirror_hostport%:*}" == "$GATEWAY" && "${registry_hostport%:*}" == "$GATEWAY" ]] \
    || die "the spec's mirrors (${mirror_hostport}, ${registry_hostport}) must be on its gateway ${GATEWAY}, where the harness serves them"
  sysctl_snapshot
  host_conntrack_for_kube_proxy
  net_up "$GATEWAY" "$PREFIX"
  on_exit nodes_teardown   # runs before net_down (the cleanup stack is last-in first-out)
  start_mirrors "${mirror_hostport#*:}" "${registry_hostport#*:}"

  # ---- day 1 ----------------------------------------------------------------------------------------
  mapfile -t ALL_NODES < <(node_names)
  SPARE_NODES=(); DAY1_NODES=()
  for n in "${ALL_NODES[@]}"; do if [[ "$n" == *-spare-* ]]; then SPARE_NODES+=("$n"); else DAY1_NODES+=("$n"); fi; done
  phase "day 1: booting ${DAY1_NODES[*]}"
  for n in "${DAY1_NODES[@]}"; do node_prepare "$n"; done
  T_BOOT=$(date +%s)
  for n in "${DAY1_NODES[@]}"; do node_start "$n"; done
  log "all ${#DAY1_NODES[@]} nodes started; spare nodes for later checks: ${SPARE_NODES[*]:-none}"
  fail_now() {
    log "FAILED: ${E2E_FAILURE}"
    if [[ -s "${RUN}/admin.conf" ]]; then
      log "cluster state:"; KUBECTL get nodes,pods -A -o wide 2>&1 | sed 's/^/  /' >&2 || true
    fi
    summary; exit 1
  }
  summary() {
    log "== summary =="
    local r; for r in "${RESULTS[@]}"; do printf '  %s\n' "$r" >&2; done
    [[ -n "$E2E_FAILURE" ]] && printf '  FAILED: %s\n' "$E2E_FAILURE" >&2
    return 0
  }
  wait_bootstrap "$FORMATION_BUDGET" "$STEP_BUDGET" "${DAY1_NODES[@]}" || fail_now
  T_ALL=$(date +%s)
  fetch_admin_conf
  check_nodes_ready "${DAY1_NODES[@]}" || fail_now
  result "every node's bootstrap DONE: ${DAY1_NODES[*]} ok"
  result "formation: API through the VIP $((API_UP_AT - T_BOOT))s after first boot, all ${#DAY1_NODES[@]} nodes joined (DONE) after $((T_ALL - T_BOOT))s"
  check_etcd 3 || fail_now
  check_api_vip || fail_now

  # The negative control boots while the HA check runs; the two day-2 joins boot together.
  wants negative && { negative_start || fail_now; }
  wants ha && { check_ha || fail_now; }
  wants negative && { negative_finish || fail_now; }
  joins=()
  wants late-join && joins+=(late-join)
  wants rebuild-cp1 && joins+=(rebuild-cp1)
  (( ${#joins[@]} == 0 )) || check_day2_joins "${joins[@]}" || fail_now
  wants remove-cp && { check_remove_replace_cp || fail_now; }
  wants certs && { check_cert_renewal || fail_now; }
  wants backup && { check_backup_restore || fail_now; }
  wants upgrade && { check_upgrade || fail_now; }

  result "e2e total $(since "$E2E_T0")s"
  summary
  if [[ -n "${E2E_KEEP:-}" ]]; then
    log "E2E_KEEP: cluster left running; kubectl: ip netns exec ${BR_NS} ${TOOLS_BIN}/kubectl --kubeconfig ${RUN}/admin.conf ...; Ctrl-C tears down"
    sleep infinity &
    wait $!   # a signal interrupts wait (a foreground sleep would hold the trap back)
  fi
  log "e2e PASSED"
}

main "$@"
