# shellcheck shell=bash disable=SC2034 # AUDIT_ARGS is read by verify-apiserver.sh's launch_apiserver
# Sourced by scripts/verify-apiserver.sh (uses its launch_apiserver, stop_apiserver, AUDIT_ARGS,
# KUBECTL, WORK, ROOT, log, rel, die, elapsed, SUMMARY).
#
# The audit policy a control plane's cloud-config writes (/etc/kubernetes/audit/policy.yaml), loaded
# by the real kube-apiserver with kubeadm's audit flags: a Secret read must leave a Metadata event
# (no request or response body) in the audit log, a ClusterRole creation a RequestResponse event.
# NEGATIVE CONTROL: a malformed policy (an unknown level) must stop kube-apiserver from becoming ready.

audit_checks() {
  local t0 policy="${WORK}/audit-policy.yaml" auditlog="${WORK}/audit.log" event
  t0=$(date +%s)
  python3 -c '
import sys, yaml
for f in yaml.safe_load(open(sys.argv[1]))["write_files"]:
    if f["path"] == "/etc/kubernetes/audit/policy.yaml":
        open(sys.argv[2], "w").write(f["content"]); sys.exit(0)
sys.exit(1)' "${ROOT}/dist/lab/nodes/lab-cp-1.cloud-config.yaml" "$policy" || die "no audit policy in dist/lab/nodes/lab-cp-1"
  AUDIT_ARGS=(--audit-policy-file="$policy" --audit-log-path="$auditlog" --audit-log-maxage=1 --audit-log-maxbackup=1 --audit-log-maxsize=10)
  launch_apiserver "${WORK}/admission.yaml" /audit || { tail -20 "$APISERVER_LOG" >&2; die "kube-apiserver with the rendered audit policy did not become ready"; }
  "${KUBECTL[@]}" -n default get secret audit-probe >/dev/null 2>&1 || true
  "${KUBECTL[@]}" create clusterrole audit-probe --verb=get --resource=pods >/dev/null || die "audit: creating a ClusterRole failed"
  stop_apiserver
  event="$(grep '"resource":"secrets"' "$auditlog" | grep '"name":"audit-probe"' | grep '"verb":"get"' | head -n 1)"
  [[ -n $event ]] || die "audit: no event for the Secret read in ${auditlog}"
  [[ $event == *'"level":"Metadata"'* && $event != *'"requestObject"'* && $event != *'"responseObject"'* ]] \
    || die "audit: the Secret read is not logged at Metadata level without bodies: ${event:0:300}"
  event="$(grep '"resource":"clusterroles"' "$auditlog" | grep '"name":"audit-probe"' | grep '"verb":"create"' | head -n 1)"
  [[ $event == *'"level":"RequestResponse"'* && $event == *'"responseObject"'* ]] \
    || die "audit: the ClusterRole creation is not logged at RequestResponse: ${event:0:300}"
  log "pass audit: the Secret read logged at Metadata (no body), the RBAC change with its bodies ($(grep -c . "$auditlog") events)"
  log "NEGATIVE CONTROL audit: a malformed policy (level Everything)"
  sed 's/level: Metadata/level: Everything/' "$policy" > "${WORK}/audit-policy-bad.yaml"
  AUDIT_ARGS=(--audit-policy-file="${WORK}/audit-policy-bad.yaml" --audit-log-path="${WORK}/audit-bad.log")
  if launch_apiserver "${WORK}/admission.yaml" /audit; then
    stop_apiserver
    die "audit: kube-apiserver became ready with a malformed audit policy"
  fi
  grep -qi 'audit\|policy' "$APISERVER_LOG" || die "audit: kube-apiserver stopped, but not for the policy: $(tail -3 "$APISERVER_LOG")"
  AUDIT_ARGS=()
  log "pass audit negative control: kube-apiserver refused the malformed policy ($(elapsed "$t0"))"
  SUMMARY+=("$(printf '%-4s %-40s %s' PASS 'audit policy (Secret read, RBAC, malformed)' "$(elapsed "$t0")")")
}
