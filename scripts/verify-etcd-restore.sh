#!/usr/bin/env bash
# Backup and restore against a real etcd (issue 7, item 3):
#
#   bash scripts/verify-etcd-restore.sh            # dist/lab
#   VERIFY_ETCD_RESTORE_DIST=dist/dev bash scripts/verify-etcd-restore.sh
#
# Runs the generated artefacts, not a re-typed copy of them:
#   - the etcd-backup CronJob of the first control plane
#     (dist/<cluster>/manifests/etcd-backup/CronJob.*.yaml): its containers' command/args/env
#     verbatim, emulated as the kubelet would run them (scripts/etcd-restore/run-cronjob.py:
#     hostNetwork, hostPath/emptyDir mounts, read-only root, capabilities dropped);
#   - the numbered steps of "Restore etcd from a snapshot" in dist/<cluster>/RESTORE.md
#     (scripts/etcd-restore/restore-steps.py), verbatim, as the operator would paste them, with
#     ssh/scp/sudo/ctr/crictl stubs (scripts/etcd-restore/shims/) that run each command on the
#     emulated node it names.
# against a real three-member etcd of the pinned version (etcd, etcdctl, etcdutl built from the Go
# module proxy by scripts/k8s-tools.sh into .cache/tools/bin; Debian 12's etcd-server is 3.4,
# which has no etcdutl, and the cluster runs 3.5). Each control plane is a network namespace
# (its node IP from the spec on eth0, joined by a bridge in another namespace; nothing is routed
# out), with its own root directory (/etc/kubernetes/pki/etcd from an openssl CA,
# /var/lib/etcd, /var/lib/etcd-backup, /tmp, /root) and a kubelet stand-in that runs etcd with
# kubeadm's flags while /etc/kubernetes/manifests/etcd.yaml exists on the node.
#
# Checks, in order: the Job's etcd image is the pinned etcd version; the Job mounts only the etcd
# client certificate, key and CA certificate (type File), writes with umask 077 and uploads with
# SSE (scripts/etcd-restore/check-cronjob.py, with its negative controls); keys written to the cluster;
# the Job run keep+1 times (1 s apart) leaves exactly `keep` snapshots (the oldest pruned) and
# uploads each (S3 stubbed, refusing an upload without --sse), the folder is 0700 and each snapshot
# 0600; the keys are then deleted and a new key written; RESTORE.md steps
# 1-2 run, the etcd data dirs are wiped; NEGATIVE CONTROL: a corrupted snapshot makes the step-3
# restore fail and leaves the data dir in place; steps 3-4 run with the good snapshot; etcd
# comes back with three members, every key is back with its value, the post-snapshot key is
# gone. Steps not run: `kubectl get nodes` (no API server here) and step 5 (no kubelet).
# Every wait is bounded; a trap stops etcd and removes the namespaces and temp dirs.
# shellcheck disable=SC2015,SC2012,SC2016 # `A && B || die` is meant (die when either fails); snapshot names are ours; single quotes go to inner shells
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELPERS="$ROOT/scripts/etcd-restore"
TOOLS_BIN="$ROOT/.cache/tools/bin"
DIST="${VERIFY_ETCD_RESTORE_DIST:-$ROOT/dist/lab}"
[[ $DIST == /* ]] || DIST="$ROOT/$DIST"
START=$(date +%s.%N)
log() { printf '[etcd-restore] %6.1fs %s\n' "$(echo "$(date +%s.%N) - $START" | bc)" "$*" >&2; }
die() { log "ERROR: $*"; log "RESULT: FAIL ($*)"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (network and mount namespaces)"

# --- tools --------------------------------------------------------------------------------
need=()
for t in busybox openssl bc unshare chroot setpriv; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [[ ${#need[@]} -gt 0 ]]; then
  pkgs=()
  for t in "${need[@]}"; do case $t in unshare | chroot | setpriv) pkgs+=(util-linux coreutils) ;; *) pkgs+=("$t") ;; esac; done
  log "installing ${pkgs[*]} (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"; } >&2 || die "apt-get install ${pkgs[*]} failed"
fi
log "etcd binaries: K8S_TOOLS='etcd etcdctl etcdutl' scripts/k8s-tools.sh (Go module proxy, cached)"
K8S_TOOLS="etcd etcdctl etcdutl" bash "$ROOT/scripts/k8s-tools.sh" || die "building etcd/etcdctl/etcdutl failed"
ETCD_VERSION="$("$TOOLS_BIN/etcd" --version | awk '/^etcd Version:/ {print $3}')"
log "etcd $ETCD_VERSION ($(command -v apt-cache >/dev/null && apt-cache policy etcd-server 2>/dev/null | awk '/Candidate/ {print "Debian etcd-server would be " $2 ", not used: no etcdutl in 3.4"}'))"

# --- inputs -------------------------------------------------------------------------------
[[ -f $DIST/RESTORE.md ]] || die "$DIST/RESTORE.md not found (npm run synth)"
shopt -s nullglob
cronjobs=("$DIST"/manifests/etcd-backup/CronJob*.yaml)
shopt -u nullglob
[[ ${#cronjobs[@]} -gt 0 ]] || die "no $DIST/manifests/etcd-backup/CronJob*.yaml"
# Control planes "name (ip)" and the kept count from RESTORE.md's header.
mapfile -t CP_NAMES < <(sed -n 's/^- Control planes: //p' "$DIST/RESTORE.md" | grep -oE '[a-z0-9-]+ \([0-9.]+\)' | cut -d' ' -f1)
mapfile -t CP_IPS < <(sed -n 's/^- Control planes: //p' "$DIST/RESTORE.md" | grep -oE '\([0-9.]+\)' | tr -d '()')
KEEP="$(grep -oE 'last [0-9]+ kept per node' "$DIST/RESTORE.md" | awk '{print $2}')"
[[ ${#CP_NAMES[@]} -ge 1 && ${#CP_NAMES[@]} -eq ${#CP_IPS[@]} && -n $KEEP ]] || die "cannot read control planes / kept count from $DIST/RESTORE.md"
CRONJOB=""
for f in "${cronjobs[@]}"; do
  grep -q "kubernetes.io/hostname: ${CP_NAMES[0]}\$" "$f" && CRONJOB=$f
done
[[ -n $CRONJOB ]] || die "no etcd-backup CronJob pinned to ${CP_NAMES[0]}"
ETCD_IMAGE="$(python3 -c '
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))["spec"]["jobTemplate"]["spec"]["template"]["spec"]
print({c["image"] for c in p["initContainers"] if c["name"] == "save"}.pop())' "$CRONJOB")" || die "no save container in $CRONJOB"
[[ ${ETCD_IMAGE##*:} == "$ETCD_VERSION" || ${ETCD_IMAGE##*:} == "$ETCD_VERSION"-* ]] \
  || die "the Job's etcd image $ETCD_IMAGE is not etcd $ETCD_VERSION (tools/versions.json vs spec/versions.ts)"
for f in "${cronjobs[@]}"; do python3 "$HELPERS/check-cronjob.py" "$f" || die "${f#"$ROOT"/}: the Job mounts or writes more than it may (above)"; done
neg="$(python3 "$HELPERS/check-cronjob.py" --negative "$CRONJOB")" || die "NEGATIVE CONTROL: check-cronjob.py did not flag a broken form of the Job"
log "Job confinement ok on ${#cronjobs[@]} CronJob(s): only the etcd client files (type File), umask 077, uploads with SSE; negative controls: $neg"
log "cluster $(basename "$DIST"): ${#CP_NAMES[@]} control planes (${CP_NAMES[*]}), keep $KEEP, Job ${CRONJOB#"$ROOT"/}, image $ETCD_IMAGE"

# --- temp dirs, namespaces, cleanup -------------------------------------------------------
# Under /var/tmp: the operator's shell gets a private /tmp (RESTORE.md writes /tmp/snapshot.db).
W="$(mktemp -d /var/tmp/verify-etcd-restore.XXXXXX)"
ID="er$$"
BRNS="$ID-br"
declare -A ETCD_PID=()
NSES=()
cleanup() {
  local rc=$? n
  trap - EXIT INT TERM
  for n in "${!ETCD_PID[@]}"; do kill "${ETCD_PID[$n]}" 2>/dev/null; done
  for n in "${!ETCD_PID[@]}"; do timeout 10 tail --pid="${ETCD_PID[$n]}" -f /dev/null 2>/dev/null || kill -9 "${ETCD_PID[$n]}" 2>/dev/null; done
  for n in "${NSES[@]}"; do ip netns del "$n" 2>/dev/null; done
  rm -rf --one-file-system "$W"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The operator's shell and the emulated nodes get a private /tmp, which hides anything of ours that
# lives under /tmp (CI clones there): run the helpers, stubs and etcd binaries from copies in $W.
cp -a "$HELPERS" "$W/helpers" && HELPERS="$W/helpers"
mkdir -p "$W/bin" && cp -a "$TOOLS_BIN"/{etcd,etcdctl,etcdutl} "$W/bin/" && TOOLS_BIN="$W/bin"

ip netns add "$BRNS" || die "cannot create a network namespace (ip netns add): $(ip netns add "$BRNS-probe" 2>&1)"
NSES+=("$BRNS")
ip -n "$BRNS" link add br0 type bridge && ip -n "$BRNS" link set br0 up || die "bridge in $BRNS failed"
PREFIX=24
: >"$W/nodes.txt"
for i in "${!CP_NAMES[@]}"; do
  n=${CP_NAMES[$i]} ip=${CP_IPS[$i]} ns="$ID-$i"
  ip netns add "$ns" || die "ip netns add $ns failed"
  NSES+=("$ns")
  ip link add name eth0 netns "$ns" type veth peer name "p$i" netns "$BRNS" || die "veth for $n failed"
  ip -n "$BRNS" link set "p$i" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$ip/$PREFIX" dev eth0
  ip -n "$ns" link set eth0 up
  r="$W/nodes/$n"
  mkdir -p "$r"/{usr,proc,dev,run,root,tmp,opt/shims,opt/etcd/bin,etc/kubernetes/manifests,etc/kubernetes/pki/etcd,var/lib/etcd}
  for l in bin lib lib64 sbin; do ln -s "usr/$l" "$r/$l"; done
  printf '# stand-in for the kubeadm static pod manifest: the emulated kubelet runs etcd while this file exists\n' >"$r/etc/kubernetes/manifests/etcd.yaml"
  printf '# stand-in for the kubeadm static pod manifest (no kube-apiserver runs in this test)\n' >"$r/etc/kubernetes/manifests/kube-apiserver.yaml"
  echo "$ip $n $ns $r" >>"$W/nodes.txt"
done
log "namespaces: ${NSES[*]} (bridge br0 in $BRNS; node IPs ${CP_IPS[*]}/$PREFIX exist only there)"

# --- PKI (what kubeadm creates under /etc/kubernetes/pki/etcd) -------------------------------
pki="$W/pki"
mkdir -p "$pki"
ossl() { openssl "$@" 2>>"$W/openssl.log" || die "openssl $1 failed: $(tail -3 "$W/openssl.log")"; }
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=etcd-ca -keyout "$pki/ca.key" -out "$pki/ca.crt"
leaf() { # leaf OUT CN EKU SAN
  ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" -keyout "$1.key" -out "$1.csr"
  printf 'extendedKeyUsage=%s\n%s\n' "$3" "${4:+subjectAltName=$4}" >"$1.ext"
  ossl x509 -req -in "$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 1 -extfile "$1.ext" -out "$1.crt"
  chmod 0600 "$1.key"
}
for i in "${!CP_NAMES[@]}"; do
  n=${CP_NAMES[$i]} ip=${CP_IPS[$i]} d="$W/nodes/${CP_NAMES[$i]}/etc/kubernetes/pki/etcd"
  cp "$pki/ca.crt" "$pki/ca.key" "$d/"
  san="DNS:localhost,DNS:$n,IP:127.0.0.1,IP:::1,IP:$ip"
  leaf "$d/server" "$n" serverAuth,clientAuth "$san"
  leaf "$d/peer" "$n" serverAuth,clientAuth "$san"
  leaf "$d/healthcheck-client" kube-etcd-healthcheck-client clientAuth ""
  rm -f "$d"/*.csr "$d"/*.ext
done
log "PKI: CA, server/peer/healthcheck-client certificates per node (openssl, ECDSA P-256)"

# --- the kubelet stand-in ---------------------------------------------------------------------
INITIAL_CLUSTER="$(for i in "${!CP_NAMES[@]}"; do printf '%s=https://%s:2380,' "${CP_NAMES[$i]}" "${CP_IPS[$i]}"; done)"
INITIAL_CLUSTER=${INITIAL_CLUSTER%,}
mkdir -p "$W/logs"
start_etcd() { # start_etcd INDEX: kubeadm's etcd flags, paths under the node's root
  local i=$1 n=${CP_NAMES[$1]} ip=${CP_IPS[$1]} r="$W/nodes/${CP_NAMES[$1]}"
  local p="$r/etc/kubernetes/pki/etcd"
  ip netns exec "$ID-$i" "$TOOLS_BIN/etcd" --name="$n" --data-dir="$r/var/lib/etcd" \
    --advertise-client-urls="https://$ip:2379" --listen-client-urls="https://127.0.0.1:2379,https://$ip:2379" \
    --initial-advertise-peer-urls="https://$ip:2380" --listen-peer-urls="https://$ip:2380" \
    --initial-cluster="$INITIAL_CLUSTER" --initial-cluster-state=new --listen-metrics-urls=http://127.0.0.1:2381 \
    --cert-file="$p/server.crt" --key-file="$p/server.key" --trusted-ca-file="$p/ca.crt" --client-cert-auth=true \
    --peer-cert-file="$p/peer.crt" --peer-key-file="$p/peer.key" --peer-trusted-ca-file="$p/ca.crt" --peer-client-cert-auth=true \
    --snapshot-count=10000 --experimental-initial-corrupt-check=true --experimental-watch-progress-notify-interval=5s \
    >>"$W/logs/etcd-$n.log" 2>&1 &
  ETCD_PID[$n]=$!
  touch "$r/run/etcd.running"
}
stop_etcd() {
  local n=${CP_NAMES[$1]} pid=${ETCD_PID[${CP_NAMES[$1]}]:-}
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null
  timeout 15 tail --pid="$pid" -f /dev/null || { kill -9 "$pid" 2>/dev/null; log "etcd on $n needed SIGKILL"; }
  unset "ETCD_PID[$n]"
  rm -f "$W/nodes/$n/run/etcd.running"
}
kubelet_sync() { # start/stop etcd on each node as its static pod manifest appears/disappears
  local i n
  for i in "${!CP_NAMES[@]}"; do
    n=${CP_NAMES[$i]}
    if [[ -f $W/nodes/$n/etc/kubernetes/manifests/etcd.yaml ]]; then
      [[ -n ${ETCD_PID[$n]:-} ]] || { log "kubelet($n): etcd.yaml present: starting etcd"; start_etcd "$i"; }
    else
      [[ -z ${ETCD_PID[$n]:-} ]] || { log "kubelet($n): etcd.yaml gone: stopping etcd"; stop_etcd "$i"; }
    fi
  done
}
ectl() { # ectl INDEX ARGS...: etcdctl on that node against 127.0.0.1:2379 with the healthcheck client
  local p="$W/nodes/${CP_NAMES[$1]}/etc/kubernetes/pki/etcd" i=$1; shift
  timeout 20 ip netns exec "$ID-$i" "$TOOLS_BIN/etcdctl" --endpoints=https://127.0.0.1:2379 --dial-timeout=3s --command-timeout=10s \
    --cacert="$p/ca.crt" --cert="$p/healthcheck-client.crt" --key="$p/healthcheck-client.key" "$@"
}
wait_healthy() { # bounded: 45 s (each etcdctl call at most 20 s), at most 60 tries
  local t0 try i ok
  t0=$(date +%s.%N)
  for try in $(seq 1 60); do
    (( $(echo "$(date +%s.%N) - $t0 < 45" | bc) )) || break
    ok=0
    for i in "${!CP_NAMES[@]}"; do ectl "$i" endpoint health >/dev/null 2>&1 && ok=$((ok + 1)); done
    if [[ $ok -eq ${#CP_NAMES[@]} ]]; then
      log "etcd healthy on all ${#CP_NAMES[@]} members after $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")s ($try tries)"
      return 0
    fi
    sleep 0.5
  done
  for i in "${!CP_NAMES[@]}"; do log "etcd log ${CP_NAMES[$i]} (last 5 lines):"; tail -5 "$W/logs/etcd-${CP_NAMES[$i]}.log" | sed 's/^/    /' >&2; done
  return 1
}

kubelet_sync
wait_healthy || die "etcd cluster did not become healthy within 45s"

# --- data -------------------------------------------------------------------------------------
NKEYS=50
for k in $(seq 1 "$NKEYS"); do ectl 0 put "/verify/key-$k" "value-$k-$(printf '%s' "$k" | sha256sum | cut -c1-16)" >/dev/null || die "put /verify/key-$k failed"; done
head -c 150000 /dev/urandom | base64 -w0 >"$W/big.txt"
ectl 0 put /verify/big <"$W/big.txt" >/dev/null || die "put /verify/big failed"
ectl 0 get --prefix /verify/ -w json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count",0))' >"$W/count.txt"
[[ $(cat "$W/count.txt") == $((NKEYS + 1)) ]] || die "expected $((NKEYS + 1)) keys, found $(cat "$W/count.txt")"
ectl 0 get --prefix /verify/ --print-value-only | sha256sum | cut -d' ' -f1 >"$W/before.sha"
log "wrote $NKEYS keys + a 200 kB value under /verify/ (values sha256 $(cut -c1-12 "$W/before.sha"))"

# --- the snapshot Job, keep+1 times ------------------------------------------------------------
node0="$W/nodes/${CP_NAMES[0]}"
store="$node0/var/lib/etcd-backup"
seen=()
runs=$((KEEP + 1))
log "running the Job of ${CRONJOB##*/} $runs times (keep $KEEP)"
for run in $(seq 1 "$runs"); do
  t0=$(date +%s.%N)
  python3 "$HELPERS/run-cronjob.py" --cronjob "$CRONJOB" --netns "$ID-0" --node-root "$node0" --work "$W/jobs" \
    --tools-bin "$TOOLS_BIN" --s3-dir "$W/s3" --secret etcd-backup-s3/AWS_ACCESS_KEY_ID=AKIATEST \
    --secret etcd-backup-s3/AWS_SECRET_ACCESS_KEY=test-secret >"$W/job.json" 2>"$W/job.log" \
    || { cat "$W/job.log" >&2; die "the snapshot Job failed on run $run"; }
  [[ $run -eq 1 ]] && cat "$W/job.log" >&2
  newest="$(ls -1t "$store"/etcd-snapshot-*.db 2>/dev/null | head -1)"
  [[ -n $newest ]] || die "run $run: no snapshot in /var/lib/etcd-backup"
  seen+=("$(basename "$newest")")
  log "Job run $run/$runs ok in $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")s: $(basename "$newest") ($(du -k "$newest" | cut -f1) kB), $(ls -1 "$store" | wc -l) in /var/lib/etcd-backup"
  [[ $run -lt $runs ]] && sleep 1.05
done
mapfile -t kept < <(ls -1 "$store")
[[ ${#kept[@]} -eq $KEEP ]] || die "keep $KEEP: /var/lib/etcd-backup holds ${#kept[@]} files: ${kept[*]}"
[[ ! -e $store/${seen[0]} ]] || die "pruning kept the oldest snapshot ${seen[0]}"
for s in "${seen[@]:1}"; do [[ -e $store/$s ]] || die "pruning removed $s, one of the newest $KEEP"; done
[[ -z $(find "$store" -name '*.part') ]] || die "a .part file was left behind"
[[ $(stat -c %a "$store") == 700 ]] || die "$store is mode $(stat -c %a "$store"), not 0700"
loose=$(find "$store" -type f ! -perm 0600 -printf '%f %m\n')
[[ -z $loose ]] || die "snapshots readable beyond root: $loose"
log "modes ok: /var/lib/etcd-backup 0700, every snapshot 0600"
uploads=$(find "$W/s3" -type f 2>/dev/null | wc -l)
if grep -q 'name: upload' "$CRONJOB"; then
  [[ $uploads -eq $runs ]] || die "expected $runs uploads (S3 stub), found $uploads"
fi
log "pruning ok: $runs runs -> $KEEP kept, oldest ${seen[0]} removed; $uploads upload(s) to the S3 stub ($(find "$W/s3" -type f 2>/dev/null | head -1 | sed "s#$W/s3/##"))"

# --- disaster: data lost after the snapshot ----------------------------------------------------
ectl 0 del --prefix /verify/ >/dev/null || die "delete failed"
ectl 0 put /verify/after-snapshot "must not survive the restore" >/dev/null || die "put failed"
log "deleted /verify/ and wrote /verify/after-snapshot (state after the newest snapshot)"

# --- RESTORE.md -------------------------------------------------------------------------------
STEPS="$W/steps"
python3 "$HELPERS/restore-steps.py" "$DIST/RESTORE.md" "$STEPS" >"$W/steps.txt" || die "cannot extract the etcd restore steps from RESTORE.md"
while IFS=$'\t' read -r n f t; do log "RESTORE.md step $n: ${t:0:100}$([[ $f == - ]] && echo ' (no code block)')"; done <"$W/steps.txt"
mkdir -p "$W/operator/tmp"
export ER_NODES="$W/nodes.txt" ER_HELPERS="$HELPERS" ER_TOOLS_BIN="$TOOLS_BIN" ER_ETCD_IMAGE="$ETCD_IMAGE"
operator() { # operator FILE: run a block as the operator's shell (private /tmp, ssh/scp stubs), bounded
  timeout 300 unshare --mount --propagation private bash -c \
    'mount --bind "$1" /tmp && PATH="$2:$PATH" && [[ $(command -v ssh) == "$2/ssh" ]] && exec bash -euo pipefail "$3"' operator "$W/operator/tmp" "$HELPERS/shims/operator" "$1"
}

# Step 1: the operator reads the newest snapshot from the first line's output and fills in <timestamp>.
head -1 "$STEPS/step-1.sh" >"$W/step-1-ls.sh"
newest="$(operator "$W/step-1-ls.sh")" || die "step 1 (listing snapshots) failed"
ts="$(sed -n 's#^.*/etcd-snapshot-\(.*\)\.db$#\1#p' <<<"$newest")"
[[ -n $ts && $(basename "$newest") == "${seen[-1]}" ]] || die "step 1 listed '$newest', expected the newest snapshot ${seen[-1]}"
grep -q 'etcd-snapshot-<timestamp>\.db' "$STEPS/step-1.sh" || die "step 1 has no etcd-snapshot-<timestamp>.db placeholder"
sed "s#etcd-snapshot-<timestamp>\.db#etcd-snapshot-$ts.db#" "$STEPS/step-1.sh" >"$W/step-1.sh"
log "step 1: newest is etcd-snapshot-$ts.db; copying it to every control plane"
operator "$W/step-1.sh" || die "RESTORE.md step 1 failed"
for i in "${!CP_NAMES[@]}"; do
  cmp -s "$store/etcd-snapshot-$ts.db" "$W/nodes/${CP_NAMES[$i]}/tmp/snapshot.db" || die "step 1 did not put the snapshot at ${CP_NAMES[$i]}:/tmp/snapshot.db"
done
log "step 2: stopping the API servers and etcd"
operator "$STEPS/step-2.sh" || die "RESTORE.md step 2 failed"
kubelet_sync
for i in "${!CP_NAMES[@]}"; do [[ -z ${ETCD_PID[${CP_NAMES[$i]}]:-} ]] || die "etcd still runs on ${CP_NAMES[$i]} after step 2"; done
for i in "${!CP_NAMES[@]}"; do
  d="$W/nodes/${CP_NAMES[$i]}/var/lib/etcd"
  find "$d" -mindepth 1 -delete
done
log "wiped /var/lib/etcd on every node (the directory stays, empty)"

# NEGATIVE CONTROL: a corrupted snapshot must make the restore fail and leave /var/lib/etcd alone.
line1="$(grep -m1 'etcdutl snapshot restore' "$STEPS/step-3.sh")" || die "step 3 has no etcdutl snapshot restore line"
printf '%s\n' "$line1" >"$W/step-3-first.sh"
snap0="$node0/tmp/snapshot.db"
cp "$snap0" "$W/good-snapshot.db"
size=$(stat -c %s "$snap0")
printf 'CORRUPTED-BY-VERIFY' | dd of="$snap0" bs=1 seek=$((size / 2)) conv=notrunc status=none
if operator "$W/step-3-first.sh" >"$W/neg.log" 2>&1; then
  cat "$W/neg.log" >&2
  die "NEGATIVE CONTROL: step 3 restored a corrupted snapshot without error"
fi
[[ -d $node0/var/lib/etcd ]] && ! compgen -G "$node0/var/lib/etcd.before-restore*" >/dev/null \
  || die "NEGATIVE CONTROL: the failed restore still moved /var/lib/etcd"
# It must fail for the right reason: etcdutl's integrity check, not a broken harness.
grep -qE 'etcdutl snapshot restore' "$W/neg.log" && reason="$(grep -m1 -oE 'expected sha256[^"]*|snapshot file integrity check failed[^"]*|invalid database[^"]*' "$W/neg.log")" \
  || { sed 's/^/    /' "$W/neg.log" >&2; die "NEGATIVE CONTROL: step 3 failed, but not with etcdutl's snapshot integrity error (see above)"; }
log "negative control ok: corrupted snapshot rejected by step 3's etcdutl: ${reason:0:120}"
cp "$W/good-snapshot.db" "$snap0"
# The failed restore leaves a partial /var/lib/etcd-restore behind: step 3 must be safe to rerun.
[[ -e $node0/var/lib/etcd-restore ]] && log "the failed restore left ${CP_NAMES[0]}:/var/lib/etcd-restore behind: step 3 must cope (rerun)"

log "step 3: restoring every member from the snapshot"
operator "$STEPS/step-3.sh" || die "RESTORE.md step 3 failed"
for i in "${!CP_NAMES[@]}"; do
  d="$W/nodes/${CP_NAMES[$i]}/var/lib"
  [[ -f $d/etcd/member/snap/db ]] && compgen -G "$d/etcd.before-restore*" >/dev/null \
    || die "step 3 did not leave a restored /var/lib/etcd (and the old one aside) on ${CP_NAMES[$i]}"
done
log "step 4: starting etcd again"
grep -E '^ssh .*/etc/kubernetes/manifests/' "$STEPS/step-4.sh" >"$W/step-4-start.sh" || die "step 4 has no line moving the manifests back"
grep -vE '^ssh .*/etc/kubernetes/manifests/' "$STEPS/step-4.sh" | grep -vE '^(kubectl |#|$)' >"$W/step-4-check.sh" || true
grep -E '^kubectl ' "$STEPS/step-4.sh" | while read -r l; do log "  not run (no API server in this test): $l"; done
operator "$W/step-4-start.sh" || die "RESTORE.md step 4 (manifests back) failed"
kubelet_sync
wait_healthy || die "the restored etcd cluster did not become healthy within 45s"
if [[ -s $W/step-4-check.sh ]]; then
  operator "$W/step-4-check.sh" >"$W/status.txt" 2>&1 || { cat "$W/status.txt" >&2; die "step 4's endpoint status check failed"; }
  sed 's/^/    /' "$W/status.txt" >&2
fi

# --- the keys are back ---------------------------------------------------------------------------
members=$(ectl 0 member list | wc -l)
[[ $members -eq ${#CP_NAMES[@]} ]] || die "restored cluster has $members members, expected ${#CP_NAMES[@]}"
count=$(ectl 1 get --prefix /verify/ -w json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count",0))')
after=$(ectl 2 get --prefix /verify/ --print-value-only | sha256sum | cut -d' ' -f1)
[[ $count -eq $((NKEYS + 1)) ]] || die "after the restore /verify/ holds $count keys, expected $((NKEYS + 1))"
[[ $after == "$(cat "$W/before.sha")" ]] || die "after the restore the values differ (sha256 $after)"
[[ -z $(ectl 0 get /verify/after-snapshot --print-value-only) ]] || die "/verify/after-snapshot survived the restore"
log "restored: $members members, $count keys with identical values (sha256 ${after:0:12}) read via ${CP_NAMES[1]} and ${CP_NAMES[2]}, /verify/after-snapshot gone"
log "not run: RESTORE.md step 5 (systemctl restart kubelet: no kubelet here)"
log "RESULT: PASS (etcd $ETCD_VERSION, snapshot Job x$runs with keep $KEEP, RESTORE.md steps 1-4 on ${#CP_NAMES[@]} members, corrupted snapshot rejected, $(printf '%.0f' "$(echo "$(date +%s.%N) - $START" | bc)")s)"
