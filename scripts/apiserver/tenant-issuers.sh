# shellcheck shell=bash
# Sourced by scripts/verify-apiserver.sh (uses its KUBECTL, WORK, ROOT, log, rel, elapsed, die,
# SUMMARY, TOTAL_FAIL; runs against the started kube-apiserver with the upstream CRDs installed).
# Tenants and the platform CA (issue 13): the ValidatingAdmissionPolicies a tenant variant renders
# (manifests/addons/tenants.ts) are created for real, then probed with server-side dry-runs:
# in the tenant namespace a Certificate and a CertificateRequest naming a ClusterIssuer, and an
# Ingress with cert-manager.io/cluster-issuer, must be REFUSED; a Certificate with a namespaced
# Issuer (explicit or defaulted kind) and a plain Ingress ADMITTED; the ClusterIssuer Certificate
# ADMITTED in a namespace that is not a tenant's. Negative control: before the policies exist, the
# ClusterIssuer Certificate in the tenant namespace must be admitted (the probe can fail).
ti_dry_run() { "${KUBECTL[@]}" apply --server-side --dry-run=server --field-manager=verify-apiserver -f - 2>&1; }
ti_cert() { # ti_cert KIND NAMESPACE ISSUER_KIND|-: a Certificate or CertificateRequest
  local ref="issuerRef: {name: probe-issuer${3:+, kind: $3}}"
  [[ $3 == - ]] && ref="issuerRef: {name: probe-issuer}"
  if [[ $1 == Certificate ]]; then
    printf 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: tenant-probe, namespace: %s}\nspec:\n  secretName: tenant-probe\n  dnsNames: [probe.verify.invalid]\n  %s\n' "$2" "$ref"
  else # the request's CSR is opaque to the API server: any base64 passes its schema
    printf 'apiVersion: cert-manager.io/v1\nkind: CertificateRequest\nmetadata: {name: tenant-probe, namespace: %s}\nspec:\n  request: %s\n  %s\n' "$2" "$(printf 'probe' | base64)" "$ref"
  fi
}
ti_ingress() { # ti_ingress NAMESPACE [ANNOTATION=VALUE]
  local ann=""; [[ -n ${2:-} ]] && ann="annotations: {\"${2%%=*}\": \"${2#*=}\"}, "
  printf 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {%sname: tenant-probe, namespace: %s}\nspec:\n  rules: [{host: probe.verify.invalid}]\n' "$ann" "$1"
}
# ti_expect admit|refuse WHAT: reads the manifest on stdin; prints a line when the outcome differs.
ti_expect() {
  local want=$1 what=$2 out rc=0
  out="$(ti_dry_run)" || rc=$?
  if [[ $want == admit && $rc != 0 ]]; then echo "${what}: refused, must be admitted: $(tr '\n' ' ' <<<"$out")"; return 1; fi
  if [[ $want == refuse && $rc == 0 ]]; then echo "${what}: ADMITTED, must be refused"; return 1; fi
  if [[ $want == refuse ]] && ! grep -q 'ValidatingAdmissionPolicy' <<<"$out"; then echo "${what}: refused, but not by the policy: $(tr '\n' ' ' <<<"$out")"; return 1; fi
  [[ $want == refuse ]] && log "expected refusal OK: ${what}: $(tr '\n' ' ' <<<"$out" | cut -c1-220)"
  return 0
}
ti_report() { # ti_report PASS|FAIL LABEL DETAIL
  log "$1 tenant issuers: $2${3:+: $3}"
  SUMMARY+=("$(printf '%-4s %-40s %s' "$1" "tenant issuers: $2" "${3:0:90}")")
  [[ $1 == PASS ]] || TOTAL_FAIL=$((TOTAL_FAIL + 1))
}

# tenant_issuer_checks MANIFESTS_DIR [LABEL]: a rendering with at least one tenant.
tenant_issuer_checks() {
  local dir=$1 label=${2:-$(rel "$1")} t0 policies="${WORK}/tenant-issuer-policies.yaml" tenant other=verify-not-a-tenant bad=0 out deadline
  t0=$(date +%s)
  tenant="$(python3 - "$dir" "$policies" <<'PY'
import glob, sys, yaml
docs = []
for f in sorted(glob.glob(sys.argv[1] + "/**/*.yaml", recursive=True)):
    for d in yaml.safe_load_all(open(f)):
        if d and d.get("kind") in ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"):
            docs.append(d)
if not docs:
    sys.exit("no ValidatingAdmissionPolicy in " + sys.argv[1])
yaml.safe_dump_all(docs, open(sys.argv[2], "w"))
sel = [d for d in docs if d["kind"] == "ValidatingAdmissionPolicy"][0]["spec"]["matchConstraints"]["namespaceSelector"]
print(sel["matchExpressions"][0]["values"][0])
PY
)" || die "tenant issuers: no policies rendered in $(rel "$dir")"
  for ns in "$tenant" "$other"; do
    "${KUBECTL[@]}" get namespace "$ns" >/dev/null 2>&1 || "${KUBECTL[@]}" create namespace "$ns" >/dev/null
  done
  # Negative control: without the policies the probe that must be refused is admitted.
  if out="$(ti_cert Certificate "$tenant" ClusterIssuer | ti_expect refuse "ClusterIssuer Certificate in ${tenant}, no policy")"; then
    ti_report FAIL "negative control: no policy" "refused without the policies: the probe cannot tell"
  else
    ti_report PASS "negative control: no policy" "$out"
  fi
  out="$("${KUBECTL[@]}" apply --server-side --field-manager=verify-apiserver -f "$policies" 2>&1)" \
    || { ti_report FAIL "$label" "kube-apiserver refused the policies: $(tr '\n' ' ' <<<"$out")"; return; }
  # Policies reach the admission plugin asynchronously: wait (bounded) until the first refusal.
  deadline=$(( $(date +%s) + 30 ))
  until ti_cert Certificate "$tenant" ClusterIssuer | ti_expect refuse probe >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || break
    sleep 1
  done
  local probes=(
    "refuse|Certificate ClusterIssuer in ${tenant}|ti_cert Certificate ${tenant} ClusterIssuer"
    "refuse|CertificateRequest ClusterIssuer in ${tenant}|ti_cert CertificateRequest ${tenant} ClusterIssuer"
    "refuse|Ingress cert-manager.io/cluster-issuer in ${tenant}|ti_ingress ${tenant} cert-manager.io/cluster-issuer=platform-ca"
    "refuse|Ingress cert-manager.io/issuer-kind ClusterIssuer in ${tenant}|ti_ingress ${tenant} cert-manager.io/issuer-kind=ClusterIssuer"
    "admit|Certificate Issuer in ${tenant}|ti_cert Certificate ${tenant} Issuer"
    "admit|Certificate default kind in ${tenant}|ti_cert Certificate ${tenant} -"
    "admit|CertificateRequest Issuer in ${tenant}|ti_cert CertificateRequest ${tenant} Issuer"
    "admit|Ingress cert-manager.io/issuer in ${tenant}|ti_ingress ${tenant} cert-manager.io/issuer=own"
    "admit|Certificate ClusterIssuer in ${other}|ti_cert Certificate ${other} ClusterIssuer"
    "admit|Ingress cert-manager.io/cluster-issuer in ${other}|ti_ingress ${other} cert-manager.io/cluster-issuer=platform-ca"
  )
  local p want what cmd fails=""
  for p in "${probes[@]}"; do
    IFS='|' read -r want what cmd <<<"$p"
    # shellcheck disable=SC2086 # cmd is a function name and its words
    out="$($cmd | ti_expect "$want" "$what")" || { bad=$((bad + 1)); fails+="${out}; "; }
  done
  out="$("${KUBECTL[@]}" get validatingadmissionpolicies -o jsonpath='{range .items[*]}{.metadata.name}: {.status.typeChecking.expressionWarnings}{"\n"}{end}' 2>&1 | grep -v ': $' || true)"
  [[ -z "$out" ]] || { bad=$((bad + 1)); fails+="CEL type-check warnings: ${out}; "; }
  "${KUBECTL[@]}" delete -f "$policies" >/dev/null 2>&1 || true
  if (( bad == 0 )); then ti_report PASS "$label" "${#probes[@]} probes as required by kube-apiserver ${K8S_VERSION}"
  else ti_report FAIL "$label" "$fails"; fi
  log "tenant issuer checks in $(elapsed "$t0")"
}
