#!/usr/bin/env bash
# VIP failover with the generated HAProxy + Keepalived configuration (issue 7, item 4):
#
#   bash scripts/verify-vip-failover.sh
#   VIP_FAILOVER_SPEC=clusters/dev.yaml bash scripts/verify-vip-failover.sh   (needs >= 2 control planes)
#   VIP_FAILOVER_BREAK=1 bash scripts/verify-vip-failover.sh    # self-test: must FAIL
#
# 1. Compiles the project (npx tsc -p . -> lib/) and renders, with cloud-init's renderers,
#    haproxy.cfg, keepalived.conf and check_apiserver.sh of every control plane for a test copy
#    of clusters/lab.yaml whose node network is 198.18.0.0/24 (VIP .10, control planes .11-.13),
#    with a random keepalived password (scripts/vip-failover/render.js).
# 2. Builds the network from network namespaces only: one per control plane (interface eth0,
#    as in the generated config), one client (198.18.0.100), all on a bridge in another
#    namespace. Nothing is routed out; the root namespace gets no link or address.
# 3. Per control plane: a stand-in kube-apiserver (scripts/vip-failover/healthz.py, HTTPS
#    /healthz on NODE_IP:apiServerPort, self-signed), `haproxy -db -f haproxy.cfg` (unchanged)
#    and `keepalived -n -l -D -f keepalived.conf -p/-r/-c <pid files>` (unchanged but for the
#    track script path). The track script is the generated one, but for its
#    `systemctl is-active haproxy` line (no systemd here), which becomes a check of that host's
#    HAProxy pid. net.ipv4.ip_nonlocal_bind=1 as cloud-init sets it.
# 4. Waits (bounded) for exactly one VIP holder, then from the client requests
#    https://VIP:apiPort/healthz every 100 ms (new TLS connection each, 1 s timeout; bounded in
#    count and time, scripts/vip-failover/client.py); the baseline must be all successes, served
#    by every backend.
# 5. Kills the holder: deletes its veth (the host vanishes from the network: no VRRP goodbye)
#    and SIGKILLs its keepalived, haproxy and healthz server. Measures the time from the kill to
#    the first success through the VIP, and to full recovery (the first success after which
#    every request succeeds for 5 s), and counts the failed requests. FAILS if full recovery
#    takes longer than VIP_FAILOVER_MAX_SECONDS (15) or never happens (30 s observation bound),
#    or if the VIP does not end up on exactly one surviving host.
# A trap kills every process started here and deletes the namespaces and temp files, on any exit.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELPERS="$ROOT/scripts/vip-failover"
SPEC="${VIP_FAILOVER_SPEC:-$ROOT/clusters/lab.yaml}"
MAX_SECONDS="${VIP_FAILOVER_MAX_SECONDS:-15}"
OBSERVE_SECONDS=30
STABLE_SECONDS=5
START=$(date +%s.%N)
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
log() { printf '[vip-failover] %6.1fs %s\n' "$(since "$START")" "$*" >&2; }
die() { log "ERROR: $*"; log "RESULT: FAIL ($*)"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (ip netns)"
need=()
for t in haproxy keepalived curl openssl bc python3; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
if [[ ${#need[@]} -gt 0 ]]; then
  log "installing ${need[*]} (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >&2 || die "apt-get install ${need[*]} failed"
fi
log "tools: $(haproxy -v | head -1 | awk '{print $1, $3}'), $(keepalived --version 2>&1 | head -1 | awk '{print $1, $2}'), $(python3 --version)"

# --- 1. compile and render --------------------------------------------------------------------
log "compiling (npx tsc -p .)"
if ! out="$(cd "$ROOT" && npx tsc -p . 2>&1)"; then
  log "WARNING: the project-wide compile has errors (lib/ emitted anyway); compiling cloud-init/ alone must succeed:"
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  (cd "$ROOT" && npx tsc -p scripts/cloud-init/tsconfig.json) || die "TypeScript compilation of cloud-init/ failed"
fi
W="$(mktemp -d "${TMPDIR:-/tmp}/verify-vip-failover.XXXXXX")"
chmod 0755 "$W" # keepalived's script security: no component of the track script path may be group/other-writable
ID="vf$$"
NSES=() PIDS=()
cleanup() {
  local rc=$? ns p f
  trap - EXIT INT TERM
  touch "$W/stop" 2>/dev/null
  for f in "$W"/*/*.pid; do [[ -s $f ]] && PIDS+=("$(cat "$f")"); done 2>/dev/null
  for ns in "${NSES[@]}"; do mapfile -t -O "${#PIDS[@]}" PIDS < <(ip netns pids "$ns" 2>/dev/null); done
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  for ns in "${NSES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$W"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSWORD="$(openssl rand -hex 4)"
(cd "$ROOT" && node "$HELPERS/render.js" "$SPEC" "$W/render" "$PASSWORD") >"$W/render.txt" || die "rendering failed"
log "rendered: $(cat "$W/render.txt")"
jq_() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"m": m}))' "$W/render/model.json" "$1"; }
VIP=$(jq_ 'm["vip"]') PREFIX=$(jq_ 'm["prefix"]') API_PORT=$(jq_ 'm["apiPort"]') APISERVER_PORT=$(jq_ 'm["apiServerPort"]') IFACE=$(jq_ 'm["iface"]')
mapfile -t NAMES < <(jq_ '"\n".join(n["name"] for n in m["nodes"])')
mapfile -t IPS < <(jq_ '"\n".join(n["ip"] for n in m["nodes"])')
[[ ${#NAMES[@]} -ge 2 ]] || die "failover needs at least two load-balancer nodes, $SPEC has ${#NAMES[@]}"
if [[ ${VIP_FAILOVER_BREAK:-0} == 1 ]]; then
  for n in "${NAMES[@]:1}"; do sed -i "s#^\(\s*\)$VIP/#\1198.18.0.99/#" "$W/render/$n/keepalived.conf"; done
  log "SELF-TEST (VIP_FAILOVER_BREAK=1): the backups' keepalived.conf now hold 198.18.0.99 instead of the VIP: failover must not happen"
fi

# --- 2. namespaces ----------------------------------------------------------------------------------
BR="$ID-br"
ip netns add "$BR" 2>"$W/netns.err" || die "network namespaces cannot be created here: ip netns add: $(cat "$W/netns.err")"
NSES+=("$BR")
{ ip -n "$BR" link add br0 type bridge && ip -n "$BR" link set br0 up; } || die "bridge failed"
attach() { # attach NS PORT IP: NS gets $IFACE with IP/prefix on the bridge
  ip netns add "$1" || die "ip netns add $1 failed"
  NSES+=("$1")
  ip link add name "$IFACE" netns "$1" type veth peer name "$2" netns "$BR" || die "veth $1 failed"
  ip -n "$BR" link set "$2" master br0 up
  ip -n "$1" link set lo up
  ip -n "$1" addr add "$3/$PREFIX" dev "$IFACE"
  ip -n "$1" link set "$IFACE" up
}
for i in "${!NAMES[@]}"; do attach "$ID-$i" "p$i" "${IPS[$i]}"; done
CLIENT="$ID-c"
attach "$CLIENT" pc 198.18.0.100
log "namespaces: ${NSES[*]} (bridge br0 in $BR; ${NAMES[*]} = ${IPS[*]}, client 198.18.0.100, /$PREFIX)"

# --- 3. per host: healthz, haproxy, keepalived --------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=kube-apiserver \
  -addext "subjectAltName=$(printf 'IP:%s,' "${IPS[@]}" "$VIP")DNS:localhost" -keyout "$W/tls.key" -out "$W/tls.crt" 2>"$W/openssl.err" \
  || die "openssl: $(cat "$W/openssl.err")"
# haproxy needs 2 x maxconn file descriptors. On the nodes systemd gives it a hard limit far above
# that; where this machine's hard limit is lower (and cannot be raised), `-n` caps maxconn on the
# command line, leaving the config file as generated.
HAPROXY_OPTS=()
maxconn=$(awk '$1 == "maxconn" {print $2; exit}' "$W/render/${NAMES[0]}/haproxy.cfg")
if [[ -n $maxconn && $(ulimit -Hn) != unlimited ]] && (( $(ulimit -Hn) < 2 * maxconn + 100 )); then
  HAPROXY_OPTS=(-n $(( ($(ulimit -Hn) - 100) / 2 )))
  log "open-files hard limit here is $(ulimit -Hn) (< 2 x maxconn $maxconn): haproxy runs with ${HAPROXY_OPTS[*]} (the config keeps maxconn $maxconn)"
fi
# The stand-in API servers first (as on a running cluster), each answering before HAProxy starts.
for i in "${!NAMES[@]}"; do
  n=${NAMES[$i]} d="$W/${NAMES[$i]}"
  mkdir -p "$d"
  ip netns exec "$ID-$i" python3 "$HELPERS/healthz.py" "${IPS[$i]}" "$APISERVER_PORT" "$W/tls.crt" "$W/tls.key" "$n" >"$d/healthz.log" 2>&1 &
  echo $! >"$d/healthz.pid"
done
for i in "${!NAMES[@]}"; do
  for try in $(seq 1 50); do
    ip netns exec "$ID-$i" curl -sfk --max-time 1 -o /dev/null "https://${IPS[$i]}:$APISERVER_PORT/healthz" && break
    [[ $try == 50 ]] && die "healthz on ${NAMES[$i]} did not answer within 10 s: $(tail -3 "$W/${NAMES[$i]}/healthz.log")"
    sleep 0.2
  done
done
log "stand-in kube-apiservers answer https://<node>:$APISERVER_PORT/healthz on ${NAMES[*]}"
for i in "${!NAMES[@]}"; do
  n=${NAMES[$i]} ns="$ID-$i" d="$W/${NAMES[$i]}"
  mkdir -p "$d"
  cp "$W/render/$n/haproxy.cfg" "$d/haproxy.cfg"
  sed "s#/etc/keepalived/check_apiserver.sh#$d/check_apiserver.sh#" "$W/render/$n/keepalived.conf" >"$d/keepalived.conf"
  grep -c '^systemctl is-active --quiet haproxy ' "$W/render/$n/check_apiserver.sh" | grep -qx 1 \
    || die "the generated check_apiserver.sh of $n no longer has exactly one 'systemctl is-active --quiet haproxy' line: adapt this test"
  sed "s#^systemctl is-active --quiet haproxy #kill -0 \"\$(cat $d/haproxy.pid 2>/dev/null)\" 2>/dev/null #" "$W/render/$n/check_apiserver.sh" >"$d/check_apiserver.sh"
  chmod 0755 "$d/check_apiserver.sh"
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_nonlocal_bind=1 || die "sysctl ip_nonlocal_bind in $ns failed"
  ip netns exec "$ns" haproxy -c -q -f "$d/haproxy.cfg" >"$d/haproxy-check.log" 2>&1 || { cat "$d/haproxy-check.log" >&2; die "haproxy -c rejected $n's haproxy.cfg"; }
  # A second, test-only config file adds an admin socket (server states for the report).
  printf 'global\n    stats socket %s mode 600 level admin\n' "$d/haproxy.sock" >"$d/haproxy-test.cfg"
  ip netns exec "$ns" haproxy -db "${HAPROXY_OPTS[@]}" -f "$d/haproxy.cfg" -f "$d/haproxy-test.cfg" >"$d/haproxy.log" 2>&1 &
  echo $! >"$d/haproxy.pid"
  ip netns exec "$ns" keepalived -n -l -D -f "$d/keepalived.conf" -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" >"$d/keepalived.log" 2>&1 &
  echo $! >"$d/keepalived-main.pid"
done
sleep 1
for n in "${NAMES[@]}"; do
  for f in healthz haproxy keepalived-main; do
    kill -0 "$(cat "$W/$n/$f.pid")" 2>/dev/null || { tail -5 "$W/$n/${f%-main}.log" >&2; die "$f on $n exited right after starting"; }
  done
done
log "started healthz + haproxy + keepalived on ${NAMES[*]} (keepalived password ${PASSWORD:0:2}******), all running after 1 s"

holders() { local i; for i in "${!NAMES[@]}"; do ip -n "$ID-$i" -4 -o addr show 2>/dev/null | grep -q " $VIP/" && printf '%s\n' "$i"; done; }
hastate() { # hastate NODE: "server=state/check-status" for each backend server, from the admin socket
  python3 - "$W/$1/haproxy.sock" <<'PY' 2>/dev/null || echo "(no answer)"
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall(b'show stat\n'); data = b''
while chunk := s.recv(65536): data += chunk
rows = [l.split(',') for l in data.decode().splitlines() if l and not l.startswith('#')]
print(' '.join(f'{r[1]}={r[17]}/{r[36]}' for r in rows if r[0] == 'kube-apiserver' and r[1] not in ('FRONTEND', 'BACKEND')))
PY
}
dump_logs() {
  local i n
  for i in "${!NAMES[@]}"; do
    n=${NAMES[$i]}
    log "$n keepalived (last 6 lines):"; tail -6 "$W/$n/keepalived.log" | sed 's/^/    /' >&2
    log "$n haproxy (last 4 lines):"; tail -4 "$W/$n/haproxy.log" | sed 's/^/    /' >&2
    log "$n haproxy servers: $(hastate "$n")"
    log "$n healthz (last 4 lines):"; tail -4 "$W/$n/healthz.log" | sed 's/^/    /' >&2
    [[ -d /proc/$(cat "$W/$n/keepalived-main.pid") ]] && { log "$n track script now:"; ip netns exec "$ID-$i" bash "$W/$n/check_apiserver.sh" 2>&1 | sed 's/^/    /' >&2; }
  done
}
t0=$(now)
holder=""
deadline=$(echo "$t0 + 20" | bc)
while (( $(echo "$(now) < $deadline" | bc) )); do
  mapfile -t h < <(holders)
  if [[ ${#h[@]} -eq 1 ]]; then
    # healthz must answer on every node, and the VIP must answer through HAProxy.
    ok=1
    for i in "${!NAMES[@]}"; do ip netns exec "$ID-$i" curl -sfk --max-time 1 -o /dev/null "https://${IPS[$i]}:$APISERVER_PORT/healthz" || ok=0; done
    ip netns exec "$CLIENT" curl -sfk --max-time 1 -o /dev/null "https://$VIP:$API_PORT/healthz" || ok=0
    [[ $ok == 1 ]] && { holder=${h[0]}; break; }
  fi
  sleep 0.2
done
[[ -n $holder ]] || { dump_logs; die "no single VIP holder answering https://$VIP:$API_PORT/healthz within 20 s (holders: ${h[*]:-none})"; }
log "VIP $VIP on ${NAMES[$holder]} after $(since "$t0")s; /healthz answers on every node and through the VIP"
[[ $holder == 0 ]] || log "note: expected the highest priority (${NAMES[0]}) to hold the VIP"
# Let the track scripts settle (rise 2 x interval 3 s), so the kill hits a steady state.
sleep 6
mapfile -t h < <(holders)
[[ ${#h[@]} -eq 1 && ${h[0]} == "$holder" ]] || { dump_logs; die "the VIP moved or doubled before the kill (holders: ${h[*]:-none})"; }

# --- 4. client loop, baseline ----------------------------------------------------------------------
OUT="$W/requests.tsv"
: >"$OUT"
ip netns exec "$CLIENT" python3 "$HELPERS/client.py" "https://$VIP:$API_PORT/healthz" "$OUT" "$W/stop" 60 0.1 1 2>"$W/client.err" &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
sleep 3
base_total=$(wc -l <"$OUT")
base_fail=$(awk -F'\t' '$3 == 0' "$OUT" | wc -l)
base_backends=$(awk -F'\t' '$3 == 1 {print $4}' "$OUT" | sort -u | tr '\n' ' ')
[[ $base_total -ge 15 && $base_fail -eq 0 ]] || { head -5 "$OUT" >&2; die "baseline: $base_fail of $base_total requests failed before the kill"; }
[[ $(wc -w <<<"$base_backends") -eq ${#NAMES[@]} ]] || dump_logs
[[ $(wc -w <<<"$base_backends") -eq ${#NAMES[@]} ]] || die "baseline: HAProxy served only from $base_backends (expected all ${#NAMES[@]})"
log "baseline: $base_total/$base_total requests ok through the VIP, served by $base_backends"

# --- 5. kill the holder --------------------------------------------------------------------------------
victim=${NAMES[$holder]}
T_KILL=$(now)
ip -n "$ID-$holder" link del "$IFACE" || die "deleting $victim's veth failed"
for f in keepalived-main keepalived vrrp checkers haproxy healthz; do
  [[ -s $W/$victim/$f.pid ]] && kill -9 "$(cat "$W/$victim/$f.pid")" 2>/dev/null
done
log "KILLED $victim (VIP holder): veth deleted, keepalived/haproxy/healthz SIGKILLed"
analyse() { # prints: first_ok recovered failed total stable_s holders_after (relative to T_KILL)
  python3 - "$OUT" "$T_KILL" "$STABLE_SECONDS" <<'PY'
import sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.count('\t') == 3]
t_kill, stable = float(sys.argv[2]), float(sys.argv[3])
after = [(float(s), float(d), int(ok), det) for s, d, ok, det in rows if float(s) >= t_kill]
fails = [r for r in after if not r[2]]
oks = [r for r in after if r[2]]
first_ok = next((r[0] - t_kill for r in after if r[2]), None)
last_fail_end = max((r[0] + r[1] for r in fails), default=t_kill)
rec = next((r for r in after if r[2] and r[0] >= last_fail_end), None)
recovered = rec[0] - t_kill if rec else None
stable_for = (after[-1][0] - rec[0]) if rec else 0.0
reasons = {}
for r in fails:
    k = r[3].split(':')[0]
    reasons[k] = reasons.get(k, 0) + 1
fmt = lambda x: 'never' if x is None else f'{x:.2f}'
print(fmt(first_ok), fmt(recovered), len(fails), len(after), f'{stable_for:.1f}',
      ','.join(f'{k}={v}' for k, v in sorted(reasons.items())) or '-',
      ','.join(sorted({r[3] for r in oks if rec and r[0] >= rec[0]})) or '-')
PY
}
deadline=$(echo "$T_KILL + $OBSERVE_SECONDS" | bc)
while (( $(echo "$(now) < $deadline" | bc) )); do
  read -r first_ok recovered failed total stable reasons served < <(analyse)
  [[ $recovered != never ]] && (( $(echo "$stable >= $STABLE_SECONDS" | bc) )) && break
  kill -0 "$CLIENT_PID" 2>/dev/null || die "the client loop ended early: $(cat "$W/client.err")"
  sleep 0.5
done
touch "$W/stop"
timeout 5 tail --pid="$CLIENT_PID" -f /dev/null || kill -9 "$CLIENT_PID" 2>/dev/null
read -r first_ok recovered failed total stable reasons served < <(analyse)
mapfile -t h < <(holders)
new_holder=$([[ ${#h[@]} -eq 1 ]] && echo "${NAMES[${h[0]}]}" || echo "none/several (${h[*]:-})")
log "after the kill: first success through the VIP at +${first_ok}s, full recovery at +${recovered}s (then ${stable}s without a failure), $failed of $total requests failed ($reasons)"
log "new VIP holder: $new_holder; serving after recovery: $served"
for n in "${NAMES[@]}"; do
  [[ $n == "$victim" ]] && continue
  grep -m1 -h 'Entering MASTER STATE' "$W/$n/keepalived.log" >/dev/null && log "$n keepalived: $(grep -h 'Entering MASTER STATE' "$W/$n/keepalived.log" | tail -1 | sed 's/^.*Keepalived_vrrp[^:]*: //')"
  grep -h "Server kube-apiserver/$victim is DOWN" "$W/$n/haproxy.log" | tail -1 | sed "s/^/[vip-failover]          $n haproxy: /" | cut -c1-160 >&2
done
[[ $recovered != never ]] || { dump_logs; die "no recovery: requests through the VIP did not succeed again within ${OBSERVE_SECONDS}s ($failed failed)"; }
[[ ${#h[@]} -eq 1 && ${h[0]} != "$holder" ]] || die "after the kill the VIP is on: ${h[*]:-nobody} (expected exactly one surviving host)"
(( $(echo "$stable >= $STABLE_SECONDS" | bc) )) || die "recovered at +${recovered}s but not stable for ${STABLE_SECONDS}s within the ${OBSERVE_SECONDS}s observation"
(( $(echo "$recovered <= $MAX_SECONDS" | bc) )) || die "failover took ${recovered}s (> ${MAX_SECONDS}s)"
log "RESULT: PASS (failover ${victim} -> ${new_holder}: first success +${first_ok}s, full recovery +${recovered}s, ${failed} failed requests of ${total}; bound ${MAX_SECONDS}s; $(since "$START")s total)"
