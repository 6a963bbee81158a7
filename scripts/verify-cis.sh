#!/usr/bin/env bash
# CIS hardening, checked on what kubeadm really renders (issue 7, item 5).
#
#   bash scripts/verify-cis.sh
#
# 1. Renders the first control plane of every clusters/*.yaml with the cloud-init renderers and
#    dummy, format-valid secrets (scripts/cloud-init/render-all.js, as verify-cloud-init does) and
#    lays its write_files out as a root filesystem: /etc/pve-k8s/kubeadm-init.yaml, the per-node
#    kubeadm patches in /etc/pve-k8s/kubeadm-patches, the audit policy, the encryption config.
# 2. Runs kubeadm of the cluster's exact version (.cache/tools/bin/kubeadm-v<version>, built from
#    the Go module proxy by scripts/cloud-init/build-kubeadm.sh when missing) with --rootfs, so it
#    chroots into that tree and reads the config and patches at their node paths, inside a UTS
#    namespace whose hostname is the node's (as on the VM):
#      init phase certs all / kubeconfig all / control-plane all / etcd local   (write files only)
#      init phase kubelet-start --dry-run   (writes config.yaml and kubeadm-flags.env to a dry-run
#                                            dir; never starts a kubelet, and the chroot has no init system)
# 3. Checks the CIS Kubernetes Benchmark v1.11 items of scripts/cis/cis-1.11.yaml (1.1.x file
#    modes, 1.2.x API server, 1.3.x controller-manager, 1.4.x scheduler, 2.x etcd, 4.2.x kubelet)
#    with scripts/cis/check.py, and runs checkov's Kubernetes checks (incl. the CKV_K8S_68+
#    component-flag checks) on the static pod manifests. Accepted deviations and skips are read
#    from verify-skips.yaml (cis: and checkov: scan static-pods).
#    With tenants (render-all.js's variant with a tenant): 1.2.11 passes with its skip removed.
# 4. Negative controls: the same pipeline must fail for a kubeadm config with profiling on and
#    for one with etcd's metrics on 0.0.0.0 (the project's item pve-k8s.etcd-metrics), without
#    --kubelet-certificate-authority (1.2.5) and with serverTLSBootstrap false (4.2.9), a reference
#    cluster (no tenants) without the 1.2.11 skip must fail 1.2.11, and a skips
#    file accepting an item that passes must be reported stale.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
SKIPS="$ROOT/verify-skips.yaml"
TABLE="$ROOT/scripts/cis/cis-1.11.yaml"
CHECK_NAME=verify-cis
# shellcheck source=scripts/lib/check-report.sh
source "$ROOT/scripts/lib/check-report.sh"

[[ $(id -u) -eq 0 ]] || die "needs root (kubeadm --rootfs chroots; unshare --uts sets the node's hostname)"
command -v unshare >/dev/null || die "unshare (util-linux) not found"
bash scripts/policy/install.sh checkov || die "installing checkov failed"
PY="$ROOT/.cache/venv/bin/python"
CHECKOV="$ROOT/.cache/venv/bin/checkov"
log "tools: checkov $("$CHECKOV" --version), $(unshare --version | head -1)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-cis.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "compiling cloud-init/ (npx tsc -p scripts/cloud-init/tsconfig.json)"
npx tsc -p scripts/cloud-init/tsconfig.json >&2 || die "TypeScript compilation of cloud-init/ failed"
shopt -s nullglob
specs=("$ROOT"/clusters/*.yaml)
shopt -u nullglob
[[ ${#specs[@]} -gt 0 ]] || die "no clusters/*.yaml"
node scripts/cloud-init/render-all.js "$WORK/render" "${specs[@]}" >&2 || die "rendering failed"
# The first control plane (the one with the InitConfiguration) of each reference cluster.
mapfile -t TARGETS < <(node -e '
  const path = require("path"), fs = require("fs");
  const [manifest, ...specs] = process.argv.slice(1);
  const names = new Set(specs.map((s) => require(path.resolve("lib/spec")).loadSpecFile(s).model.name));
  for (const k of require(manifest).kubeadm) {
    const [cluster, node] = path.relative(path.dirname(manifest), k.file).split(path.sep);
    if (names.has(cluster) && /^kind: InitConfiguration$/m.test(fs.readFileSync(k.file, "utf8")))
      console.log([cluster, node, k.version, path.join(path.dirname(manifest), cluster, node, "files")].join("\t"));
  }' "$WORK/render/manifest.json" "${specs[@]}")
[[ ${#TARGETS[@]} -gt 0 ]] || die "no first control plane found in the render"

kubeadm_for() { # version -> path of a kubeadm of exactly that version (built when missing)
  local v=$1 bin="$ROOT/.cache/tools/bin/kubeadm-v$1"
  if ! { [[ -x $bin ]] && "$bin" version -o short 2>/dev/null | grep -qx "v$v"; }; then
    log "building kubeadm v$v (scripts/cloud-init/build-kubeadm.sh, ~3 min)"
    bash scripts/cloud-init/build-kubeadm.sh "$v" >&2 || return 1
  fi
  echo "$bin"
}

# render_root KUBEADM NODE ROOTFS: kubeadm writes the control plane and kubelet config into ROOTFS.
render_root() {
  local kubeadm=$1 node=$2 root=$3 phase out
  for phase in "certs all" "kubeconfig all" "control-plane all" "etcd local" "kubelet-start --dry-run"; do
    # shellcheck disable=SC2086,SC2016 # the phase is words; $1/$@ belong to the inner sh
    if ! out="$(unshare --uts sh -c 'hostname "$1" && shift && exec "$@"' sh "$node" \
        "$kubeadm" init phase $phase --config /etc/pve-k8s/kubeadm-init.yaml --rootfs "$root" 2>&1)"; then
      printf '%s\n' "$out" | sed 's/^/    /' >&2
      return 1
    fi
    printf '%s\n' "$out" | grep -E '^\[(patches|control-plane|etcd|kubelet-start)\]' | sed 's/^/    /' >&2
  done
  local cfg flags
  cfg="$(find "$root/etc/kubernetes/tmp" -path '*kubeadm-init-dryrun*' -name config.yaml | head -1)"
  flags="$(find "$root/etc/kubernetes/tmp" -path '*kubeadm-init-dryrun*' -name kubeadm-flags.env | head -1)"
  [[ -f $cfg && -f $flags ]] || { log "kubeadm wrote no kubelet config.yaml / kubeadm-flags.env"; return 1; }
  [[ ! -e $root/var/lib/kubelet/config.yaml ]] || { log "kubelet-start --dry-run wrote outside its dry-run dir"; return 1; }
  ln -sf "$cfg" "$root/.kubelet-config.yaml"
  ln -sf "$flags" "$root/.kubeadm-flags.env"
  for f in kube-apiserver kube-controller-manager kube-scheduler etcd; do
    [[ -s $root/etc/kubernetes/manifests/$f.yaml ]] || { log "kubeadm rendered no $f.yaml"; return 1; }
  done
}

cis_check() { # ROOTFS [SKIPS]
  "$PY" scripts/cis/check.py --rootfs "$1" --kubelet-config "$1/.kubelet-config.yaml" \
    --kubelet-flags "$1/.kubeadm-flags.env" --table "$TABLE" --skips "${2:-$SKIPS}"
}
checkov_static() { # ROOTFS NAME
  "$CHECKOV" -d "$1/etc/kubernetes/manifests" --framework kubernetes --skip-download --compact \
    -o json >"$WORK/$2.checkov.json" 2>"$WORK/$2.checkov.err"
  [[ -s $WORK/$2.checkov.json ]] || { cat "$WORK/$2.checkov.err" >&2; echo "checkov produced no output"; return 1; }
  "$PY" scripts/policy/evaluate.py checkov static-pods "$SKIPS" "$WORK/$2.checkov.json"
}

declare -a ROOTS=()
for t in "${TARGETS[@]}"; do
  IFS=$'\t' read -r cluster node version files <<<"$t"
  kubeadm="$(kubeadm_for "$version")" || die "no kubeadm v$version"
  root="$WORK/root-$cluster"
  cp -a "$files" "$root"
  log "$cluster/$node: kubeadm v$version renders the control plane into ${root#"$WORK"/} (--rootfs, hostname $node)"
  render_root "$kubeadm" "$node" "$root" || { report FAIL "kubeadm render $cluster" "kubeadm failed (see above)"; continue; }
  ROOTS+=("$root")
  log "$cluster/$node: CIS 1.11 table (scripts/cis/check.py)"
  if out="$(cis_check "$root")"; then res=PASS; else res=FAIL; fi
  printf '%s\n' "$out" | sed "s/^/  [$cluster] /"
  report "$res" "cis-1.11 $cluster ($node)" "$(tail -1 <<<"$out")"
  log "$cluster/$node: checkov on the static pod manifests"
  if out="$(checkov_static "$root" "$cluster")"; then res=PASS; else res=FAIL; fi
  printf '%s\n' "$out" | grep -v '^skip ' | sed "s/^/  [$cluster] /"
  report "$res" "checkov static pods $cluster" "$(tail -1 <<<"$out")"
done
[[ ${#ROOTS[@]} -gt 0 ]] || die "nothing rendered"

# CIS 1.2.11 with tenants: the reference clusters declare none (1.2.11 is an accepted deviation
# there); the render's variant with a tenant must pass 1.2.11 with that skip removed.
echo "== tenant variant: AlwaysPullImages (CIS 1.2.11 without its skip) =="
NO_1211="$WORK/skips-without-1.2.11.yaml"
"$PY" - "$SKIPS" "$NO_1211" <<'PY' || die "could not write the skips without 1.2.11"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
n = len(d['cis'])
d['cis'] = [c for c in d['cis'] if c.get('id') != '1.2.11']
assert len(d['cis']) == n - 1, '1.2.11 is not an accepted deviation in verify-skips.yaml'
yaml.safe_dump(d, open(sys.argv[2], 'w'), sort_keys=False)
PY
IFS=$'\t' read -r tcluster tnode tversion tfiles < <(node -e '
  const path = require("path"), fs = require("fs");
  const m = require(process.argv[1]);
  for (const k of m.kubeadm) {
    const [cluster, node] = path.relative(path.dirname(process.argv[1]), k.file).split(path.sep);
    if (m.tenantClusters.includes(cluster) && /^kind: InitConfiguration$/m.test(fs.readFileSync(k.file, "utf8"))) {
      console.log([cluster, node, k.version, path.join(path.dirname(process.argv[1]), cluster, node, "files")].join("\t"));
      break;
    }
  }' "$WORK/render/manifest.json")
[[ -n ${tcluster:-} ]] || die "the render has no control plane of a spec with tenants (scripts/cloud-init/render-all.js)"
troot="$WORK/root-$tcluster"
cp -a "$tfiles" "$troot"
render_root "$(kubeadm_for "$tversion")" "$tnode" "$troot" || die "kubeadm failed on the tenant variant $tcluster"
if out="$(cis_check "$troot" "$NO_1211")"; then
  report PASS "cis-1.11 tenant variant $tcluster ($tnode)" "$(grep -E '^PASS +1\.2\.11 ' <<<"$out" | cut -c1-110)"
else
  printf '%s\n' "$out" | grep -E '^(FAIL|STALE)' | sed "s/^/  [$tcluster] /"
  report FAIL "cis-1.11 tenant variant $tcluster ($tnode)" "$(tail -1 <<<"$out")"
fi
# (Its negative control, with the others below: a tenant-free reference cluster fails 1.2.11.)

echo "== negative controls (each must be rejected) =="
IFS=$'\t' read -r cluster node version files <<<"${TARGETS[0]}"
# broken_root NAME PYTHON: a copy of the first target's files whose ClusterConfiguration `c`
# (v4: kubeadm v1beta4, extraArgs as lists) and KubeletConfiguration `k` the Python statements
# edit, rendered by kubeadm.
broken_root() {
  local bad="$WORK/broken-$1"
  cp -a "$files" "$bad"
  "$PY" - "$bad/etc/pve-k8s/kubeadm-init.yaml" "$2" <<'PY' || die "could not write the broken kubeadm config ($1)"
import sys, yaml
p, edit = sys.argv[1], sys.argv[2]
docs = list(yaml.safe_load_all(open(p)))
kind = {d.get('kind'): d for d in docs}
c = kind['ClusterConfiguration']
exec(edit, {'c': c, 'k': kind['KubeletConfiguration'], 'v4': c['apiVersion'].endswith('v1beta4')})
yaml.safe_dump_all(docs, open(p, 'w'), sort_keys=False)
PY
  echo "$bad"
}
# cis_must_fail CHECK ITEM ROOTFS WHAT [SKIPS]: the CIS table must fail, and on ITEM.
cis_must_fail() {
  local out pattern="^FAIL *${2//./\\.} "
  if out="$(cis_check "$3" "${5:-}")"; then
    report FAIL "$1" "accepted $4"
  elif grep -q "$pattern" <<<"$out"; then
    report PASS "$1" "$(grep "$pattern" <<<"$out" | cut -c1-110)"
  else
    report FAIL "$1" "failed, but not on $2: $(grep '^FAIL' <<<"$out" | head -1)"
  fi
}

cis_must_fail "cis rejects a tenant-free cluster without the 1.2.11 skip" 1.2.11 "${ROOTS[0]}" "AlwaysPullImages off (no tenants) with 1.2.11 not accepted" "$NO_1211"
# A kubeadm config with profiling on for kube-apiserver: CIS 1.2.15 and checkov CKV_K8S_90 must fail.
bad="$(broken_root profiling "
a = c['apiServer']['extraArgs']
if v4:
    for x in a:
        if x['name'] == 'profiling': x['value'] = 'true'
else:
    a['profiling'] = 'true'")"
render_root "$(kubeadm_for "$version")" "$node" "$bad" || die "kubeadm failed on the profiling-on config"
cis_must_fail "cis rejects profiling on" 1.2.15 "$bad" "a kube-apiserver with --profiling=true"
if out="$(checkov_static "$bad" broken)"; then
  report FAIL "checkov rejects profiling on" "accepted a kube-apiserver with --profiling=true"
else
  report PASS "checkov rejects profiling on" "$(grep '^FAIL' <<<"$out" | head -1 | cut -c1-110)"
fi
# The old etcd metrics listener (0.0.0.0:2381 in the ClusterConfiguration, no per-node etcd patch).
bad="$(broken_root etcd-metrics "
url = 'http://0.0.0.0:2381'
c['etcd']['local']['extraArgs'] = [{'name': 'listen-metrics-urls', 'value': url}] if v4 else {'listen-metrics-urls': url}")"
rm -f "$bad/etc/pve-k8s/kubeadm-patches/etcd0+json.yaml"
render_root "$(kubeadm_for "$version")" "$node" "$bad" || die "kubeadm failed on the etcd-metrics-on-0.0.0.0 config"
cis_must_fail "cis rejects etcd metrics on 0.0.0.0" pve-k8s.etcd-metrics "$bad" "etcd --listen-metrics-urls on 0.0.0.0"
# kube-apiserver that does not verify kubelets' serving certificates (no --kubelet-certificate-authority).
bad="$(broken_root kubelet-ca "
a = c['apiServer']['extraArgs']
if v4:
    a[:] = [x for x in a if x['name'] != 'kubelet-certificate-authority']
else:
    del a['kubelet-certificate-authority']")"
render_root "$(kubeadm_for "$version")" "$node" "$bad" || die "kubeadm failed on the config without --kubelet-certificate-authority"
cis_must_fail "cis rejects unverified kubelet certificates" 1.2.5 "$bad" "a kube-apiserver without --kubelet-certificate-authority"
# Kubelets with self-signed serving certificates (serverTLSBootstrap false, no tlsCertFile).
bad="$(broken_root kubelet-self-signed "k['serverTLSBootstrap'] = False")"
render_root "$(kubeadm_for "$version")" "$node" "$bad" || die "kubeadm failed on the serverTLSBootstrap-false config"
cis_must_fail "cis rejects self-signed kubelet certificates" 4.2.9 "$bad" "kubelets with serverTLSBootstrap false"
# A skips file that accepts an item the config satisfies (1.2.15): reported stale, run fails.
sed 's/^cis:$/cis:\n  - id: 1.2.15\n    reason: negative control/' "$SKIPS" >"$WORK/stale-skips.yaml"
if out="$(cis_check "${ROOTS[0]}" "$WORK/stale-skips.yaml")"; then
  report FAIL "cis rejects a stale skip" "accepted a deviation for an item that passes"
else
  report PASS "cis rejects a stale skip" "$(grep '^STALE' <<<"$out" | head -1 | cut -c1-110)"
fi

finish
