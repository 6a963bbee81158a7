# shellcheck shell=bash
# Sourced by scripts/verify-apiserver.sh (uses its launch_apiserver, stop_apiserver, KUBECTL, WORK,
# ROOT, log, rel, SUMMARY, TOTAL_FAIL).
# The AdmissionConfiguration each control plane's cloud-config writes (dist/<cluster>/nodes), given
# to the real kube-apiserver (each in its own etcd prefix): it must start, refuse a privileged Pod
# in an unlabelled namespace (enforce baseline), admit a baseline Pod there with a restricted
# warning, and admit a privileged Pod in every exempt namespace. Negative controls: the same
# probes must fail against kubeadm's default (privileged), and a malformed file must stop
# kube-apiserver from starting.
PSA_RUN=0
pod() { # pod NAMESPACE privileged|plain: a Pod manifest
  local sc=""; [[ $2 == privileged ]] && sc="securityContext: {privileged: true}"
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: psa-probe, namespace: %s}\nspec:\n  containers:\n    - name: c\n      image: registry.k8s.io/pause:3.9\n      %s\n' "$1" "$sc"
}
dry_run() { "${KUBECTL[@]}" apply --server-side --dry-run=server --field-manager=verify-apiserver -f - 2>&1; }
# psa_probes FILE: prints one line per unexpected outcome; returns their count (0: all as required).
psa_probes() {
  local file=$1 bad=0 out ns
  PSA_RUN=$((PSA_RUN + 1))
  launch_apiserver "$file" "/psa-${PSA_RUN}" || { echo "kube-apiserver did not start with $(rel "$file"): $(tail -3 "$APISERVER_LOG" | tr '\n' ' ')"; return 1; }
  "${KUBECTL[@]}" create namespace psa-unlabelled >/dev/null
  if out="$(pod psa-unlabelled privileged | dry_run)" || ! grep -q 'violates PodSecurity "baseline:' <<<"$out"; then
    echo "a privileged Pod in an unlabelled namespace was not refused by enforce=baseline: $(tr '\n' ' ' <<<"$out")"; bad=$((bad + 1))
  fi
  if ! out="$(pod psa-unlabelled plain | dry_run)" || ! grep -q 'would violate PodSecurity "restricted:' <<<"$out"; then
    echo "a baseline Pod in an unlabelled namespace was not admitted with a restricted warning: $(tr '\n' ' ' <<<"$out")"; bad=$((bad + 1))
  fi
  for ns in $(python3 -c 'import sys, yaml; print(*yaml.safe_load(open(sys.argv[1]))["plugins"][0]["configuration"]["exemptions"]["namespaces"])' "$file" 2>/dev/null || echo kube-system); do
    "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1 || "${KUBECTL[@]}" create namespace "$ns" >/dev/null
    if ! out="$(pod "$ns" privileged | dry_run)" || grep -q 'PodSecurity' <<<"$out"; then
      echo "a privileged Pod in the exempt namespace ${ns} was refused or warned about: $(tr '\n' ' ' <<<"$out")"; bad=$((bad + 1))
    fi
  done
  stop_apiserver
  return "$bad"
}
psa_report() { # psa_report PASS|FAIL LABEL DETAIL
  log "$1 pod security: $2${3:+: $3}"
  SUMMARY+=("$(printf '%-4s %-40s %s' "$1" "pod security: $2" "${3:0:90}")")
  [[ $1 == PASS ]] || TOTAL_FAIL=$((TOTAL_FAIL + 1))
}
# admission_config NODES_DIR OUT: the AdmissionConfiguration a control plane's cloud-config writes.
admission_config() {
  python3 -c '
import sys, yaml
out, configs = sys.argv[1], sys.argv[2:]
for c in configs:
    for f in yaml.safe_load(open(c)).get("write_files", []):
        if f["path"] == "/etc/kubernetes/admission/config.yaml":
            open(out, "w").write(f["content"])
            sys.exit(0)
sys.exit(1)' "$2" "$1"/*.cloud-config.yaml
}

# pod_security_checks: every dist/*/nodes AdmissionConfiguration, then the negative controls.
pod_security_checks() {
  local t0 nodes file="" out
  t0=$(date +%s)
  shopt -s nullglob
  for nodes in "${ROOT}"/dist/*/nodes; do
    file="${WORK}/admission-$(basename "$(dirname "$nodes")").yaml"
    admission_config "$nodes" "$file" || die "no AdmissionConfiguration in $(rel "$nodes")"
    if out="$(psa_probes "$file")"; then psa_report PASS "$(rel "$nodes")" "defaults and exemptions enforced by kube-apiserver ${K8S_VERSION}"
    else psa_report FAIL "$(rel "$nodes")" "$out"; fi
  done
  shopt -u nullglob
  [[ -n $file ]] || die "no dist/*/nodes: synthesize first"
  if out="$(psa_probes "${WORK}/admission.yaml")"; then psa_report FAIL "negative control: kubeadm's privileged default" "the probes passed: they cannot fail"
  else psa_report PASS "negative control: kubeadm's privileged default" "$(head -1 <<<"$out")"; fi
  sed 's/enforce: baseline/enforce: strict/' "$file" > "${WORK}/admission-broken.yaml"
  grep -q 'enforce: strict' "${WORK}/admission-broken.yaml" || die "could not write the malformed AdmissionConfiguration"
  if launch_apiserver "${WORK}/admission-broken.yaml" /psa-broken; then
    stop_apiserver; psa_report FAIL "negative control: malformed file" "kube-apiserver started with enforce: strict"
  else
    psa_report PASS "negative control: malformed file" "kube-apiserver refused it: $(grep -m1 'strict' "$APISERVER_LOG" | cut -c1-160)"
  fi
  log "pod security checks in $(elapsed "$t0")"
}
