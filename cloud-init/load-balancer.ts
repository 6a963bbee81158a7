/**
 * API load balancing as in kubeadm's HA guide (docs/ha-considerations.md): Keepalived holds the
 * VIP (VRRP, unicast peers), HAProxy spreads VIP:apiPort over every kube-apiserver.
 *
 * Co-located (default): every control plane runs both; HAProxy binds VIP:apiPort (non-local bind)
 * while kube-apiserver binds its node IP:apiServerPort, so the ports never clash.
 * Dedicated: two load-balancer VMs run only HAProxy + Keepalived; HAProxy binds *:apiPort.
 */
import type { ClusterModel, NodeModel } from '../spec';
import { NODE_INTERFACE, NODE_PATHS } from './paths';
import type { BootstrapSecrets } from './secrets';

/** True when the node runs HAProxy + Keepalived. */
export function runsLoadBalancer(model: ClusterModel, node: NodeModel): boolean {
  return model.loadBalancer.nodes.some((n) => n.name === node.name);
}

/** VRRP priority of the i-th load-balancer node (0-based): 150, 145, ... (at most 9 nodes). */
export function keepalivedPriority(index: number): number {
  return 150 - 5 * index;
}

/**
 * Priority a failing track script subtracts. Larger than the spread of priorities (40 for 9 nodes),
 * so any healthy node beats every unhealthy one; while nobody is healthy yet (kubeadm init) the
 * first node keeps the VIP, which `fault` would not allow.
 */
export const KEEPALIVED_CHECK_WEIGHT = -50;

function lbIndex(model: ClusterModel, node: NodeModel): number {
  const i = model.loadBalancer.nodes.findIndex((n) => n.name === node.name);
  if (i < 0) throw new Error(`${node.name} does not run the API load balancer`);
  return i;
}

/** /etc/haproxy/haproxy.cfg */
export function renderHaproxyConfig(model: ClusterModel, node: NodeModel): string {
  lbIndex(model, node);
  const net = model.network;
  const bind = model.loadBalancer.mode === 'dedicated' ? `*:${net.apiPort}` : `${net.vip}:${net.apiPort}`;
  const servers = model.controlPlanes.map((cp) => `    server ${cp.name} ${cp.ip}:${net.apiServerPort} check check-ssl verify none`);
  return [
    '# Managed by pve-k8s cloud-init: the Kubernetes API on the VIP, balanced over every control plane.',
    'global',
    '    log /dev/log local0',
    '    log /dev/log local1 notice',
    '    daemon',
    '    maxconn 20000',
    '',
    'defaults',
    '    mode tcp',
    '    log global',
    '    option tcplog',
    '    option dontlognull',
    '    retries 3',
    '    # A connection to a control plane that died but is not marked down yet is retried on another one.',
    '    option redispatch',
    '    timeout connect 5s',
    '    timeout client 35s',
    '    timeout server 35s',
    '    # Long-lived watches and exec/port-forward streams.',
    '    timeout tunnel 1h',
    '    timeout client-fin 10s',
    '    timeout check 2s',
    '',
    'frontend kube-apiserver',
    `    bind ${bind}`,
    '    mode tcp',
    '    option tcplog',
    '    default_backend kube-apiserver',
    '',
    'backend kube-apiserver',
    '    mode tcp',
    '    option httpchk GET /healthz',
    '    http-check expect status 200',
    '    balance roundrobin',
    '    # A dead control plane is marked down within about 4-6 s (2 failed checks, 2 s apart, 2 s timeout):',
    '    # round-robin keeps sending it new connections until then (measured by scripts/verify-vip-failover.sh).',
    '    default-server inter 2s downinter 2s rise 2 fall 2 slowstart 30s',
    ...servers,
    '',
  ].join('\n');
}

/** /etc/keepalived/check_apiserver.sh: the track script. */
export function renderKeepalivedCheckScript(model: ClusterModel, node: NodeModel): string {
  lbIndex(model, node);
  const colocated = model.loadBalancer.mode === 'colocated';
  const url = colocated
    ? `https://${node.ip}:${model.network.apiServerPort}/healthz`
    : `https://127.0.0.1:${model.network.apiPort}/healthz`;
  const what = colocated ? 'the local kube-apiserver' : 'HAProxy (and at least one kube-apiserver behind it)';
  return [
    '#!/bin/bash',
    `# Keepalived track script: healthy while ${what} answers /healthz`,
    '# and HAProxy runs. A failure lowers this node\'s VRRP priority (weight), it does not fault it.',
    'set -u',
    'fail() { echo "check_apiserver: $*" >&2; exit 1; }',
    `curl --silent --fail --insecure --max-time 2 --output /dev/null "${url}" || fail "GET ${url} failed"`,
    'systemctl is-active --quiet haproxy || fail "haproxy is not running"',
    '',
  ].join('\n');
}

/** /etc/keepalived/keepalived.conf */
export function renderKeepalivedConfig(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets): string {
  const index = lbIndex(model, node);
  const peers = model.loadBalancer.nodes.filter((n) => n.name !== node.name);
  // Unicast VRRP between the peers; a lone node (one control plane) has nobody to talk to, and
  // keepalived rejects unicast keywords without peers, so it keeps the VIP with plain VRRP.
  const unicast = peers.length > 0
    ? [`    unicast_src_ip ${node.ip}`, '    unicast_peer {', ...peers.map((p) => `        ${p.ip}`), '    }']
    : [];
  return [
    '# Managed by pve-k8s cloud-init: VRRP for the Kubernetes API VIP.',
    'global_defs {',
    `    router_id ${node.name}`,
    '    enable_script_security',
    '    script_user root',
    '}',
    '',
    'vrrp_script check_apiserver {',
    `    script "${NODE_PATHS.keepalivedCheck}"`,
    '    interval 3',
    '    timeout 2',
    '    fall 3',
    '    rise 2',
    `    weight ${KEEPALIVED_CHECK_WEIGHT}`,
    '}',
    '',
    `vrrp_instance ${model.name}_api {`,
    `    state ${index === 0 ? 'MASTER' : 'BACKUP'}`,
    `    interface ${NODE_INTERFACE}`,
    `    virtual_router_id ${model.loadBalancer.routerId}`,
    `    priority ${keepalivedPriority(index)}`,
    '    advert_int 1',
    ...unicast,
    '    authentication {',
    '        auth_type PASS',
    `        auth_pass ${secrets.keepalivedPassword}`,
    '    }',
    '    virtual_ipaddress {',
    `        ${model.network.vip}/${model.network.prefix} dev ${NODE_INTERFACE}`,
    '    }',
    '    track_script {',
    '        check_apiserver',
    '    }',
    '}',
    '',
  ].join('\n');
}
