/**
 * dist/<name>/remove-node.sh run for real against a simulated cluster: kubectl is a stub that
 * answers from state files (Nodes, etcd members, unhealthy members) and PVE_K8S_NODE_EXEC is a stub
 * node that records what it ran and, like `kubeadm reset` on a control plane, removes its own etcd
 * member. No network, nothing written outside a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderRemoveNodePart, renderRemoveNodeScript } from '../../lifecycle';
import { lab } from '../cloud-init/helpers';

const KUBECTL = String.raw`#!/bin/bash
S="$T/state"; echo "kubectl $*" >>"$T/calls"
ip_of() { cut -d' ' -f1 "$S/nodes/$1" 2>/dev/null || cat "$S/nodes/.$1"; }
member_line() { echo "$(cksum <<<"$1" | cut -c1-8), started, $1, https://$(ip_of "$1"):2380, https://$(ip_of "$1"):2379, false"; }
case "$*" in
  "get node "*" -o jsonpath={.status.addresses"*) [[ -f "$S/nodes/$3" ]] && cut -d' ' -f1 "$S/nodes/$3" | tr -d '\n' ;;
  "get node "*" -o jsonpath={.metadata.labels}") [[ $(cut -d' ' -f2 "$S/nodes/$3") == cp ]] && printf '{"node-role.kubernetes.io/control-plane":""}' || printf '{}' ;;
  "get node "*) [[ -f "$S/nodes/$3" ]] ;;
  "get nodes -l node-role.kubernetes.io/control-plane"*)
    for f in "$S"/nodes/*; do read -r _ role ready <"$f"; [[ $role == cp ]] && echo "$(basename "$f") $ready"; done ;;
  "-n kube-system exec etcd-"*)
    [[ $4 == etcd-* ]] || exit 9
    case "$*" in
      *"member list"*) for m in $(cat "$S/members"); do member_line "$m"; done ;;
      *"endpoint health --cluster"*) for m in $(cat "$S/members"); do
          ip=$(ip_of "$m")
          if grep -qx "$m" "$S/unhealthy" 2>/dev/null; then echo "https://$ip:2379 is unhealthy: failed to commit proposal" >&2
          else echo "https://$ip:2379 is healthy: successfully committed proposal: took = 2ms"; fi
        done ;;
      *"member remove"*) id=$(echo "$*" | awk '{print $NF}')
        for m in $(cat "$S/members"); do [[ $(member_line "$m" | cut -d, -f1) == "$id" ]] || echo "$m"; done >"$S/members.new"; mv "$S/members.new" "$S/members" ;;
      *) exit 8 ;;
    esac ;;
  "drain "*) [[ -f "$S/$2.pdb-blocks" ]] && exit 1; touch "$S/$2.cordoned" ;;
  "delete node "*) [[ -f "$S/nodes/$3" ]] && { cut -d' ' -f1 "$S/nodes/$3" >"$S/nodes/.$3"; rm "$S/nodes/$3"; }; true ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
`;

// The node: checks it got the node part, records it, and resets like kubeadm (a control plane
// leaves etcd); a dead node cannot be reached.
const NODE = String.raw`#!/bin/bash
S="$T/state"; n=$1; script="$(cat)"
[[ "$script" == *'kubeadm reset --force'* ]] || { echo "no node part on stdin" >&2; exit 4; }
[[ -f "$S/$n.dead" ]] && exit 255
echo "node $n reset" >>"$T/calls"
grep -vx "$n" "$S/members" >"$S/members.new"; mv "$S/members.new" "$S/members"
`;

interface Cluster {
  /** Nodes that are not Ready; default all Ready. */
  readonly notReady?: readonly string[];
  /** Nodes whose Node object is gone already. */
  readonly deleted?: readonly string[];
  /** Control planes that cannot be reached (dead VM). */
  readonly dead?: readonly string[];
  /** etcd members that do not answer. */
  readonly unhealthy?: readonly string[];
  /** etcd members; default every control plane. */
  readonly members?: readonly string[];
  readonly pdbBlocks?: readonly string[];
}

function removeNode(name: string, cluster: Cluster = {}) {
  const model = lab();
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-remove-'));
  try {
    const bin = join(tmp, 'bin');
    const state = join(tmp, 'state');
    mkdirSync(bin);
    mkdirSync(join(state, 'nodes'), { recursive: true });
    writeFileSync(join(bin, 'kubectl'), KUBECTL);
    writeFileSync(join(bin, 'node'), NODE);
    for (const f of ['kubectl', 'node']) chmodSync(join(bin, f), 0o755);
    for (const n of [...model.controlPlanes, ...model.workers]) {
      const ready = cluster.notReady?.includes(n.name) || cluster.dead?.includes(n.name) ? 'False' : 'True';
      if (!cluster.deleted?.includes(n.name)) writeFileSync(join(state, 'nodes', n.name), `${n.ip} ${n.role === 'control-plane' ? 'cp' : 'worker'} ${ready}\n`);
      if (cluster.dead?.includes(n.name)) writeFileSync(join(state, `${n.name}.dead`), '');
      if (cluster.pdbBlocks?.includes(n.name)) writeFileSync(join(state, `${n.name}.pdb-blocks`), '');
    }
    // member_line reads a member's IP from its node file: keep one for deleted members too.
    for (const n of cluster.deleted ?? []) {
      const ip = model.nodes.find((x) => x.name === n)!.ip;
      if (!existsSync(join(state, 'nodes', n))) writeFileSync(join(state, 'nodes', `.${n}`), ip);
    }
    writeFileSync(join(state, 'members'), `${(cluster.members ?? model.controlPlanes.map((n) => n.name)).join('\n')}\n`);
    writeFileSync(join(state, 'unhealthy'), `${(cluster.unhealthy ?? []).join('\n')}\n`);
    writeFileSync(join(tmp, 'calls'), '');
    writeFileSync(join(tmp, 'remove-node.sh'), renderRemoveNodeScript(model));
    const r = spawnSync('bash', [join(tmp, 'remove-node.sh'), name], {
      env: { PATH: `${bin}:/usr/bin:/bin`, T: tmp, PVE_K8S_NODE_EXEC: join(bin, 'node') },
      encoding: 'utf8',
    });
    const calls = readFileSync(join(tmp, 'calls'), 'utf8').split('\n').filter(Boolean);
    return {
      status: r.status,
      stderr: r.stderr,
      /** What changed the cluster, in order: drains, node resets, member removals, deletions. */
      steps: calls.filter((c) => /^(node |kubectl (drain|delete)|kubectl .*member remove)/.test(c)).map((c) => c.replace(/ --endpoints=.*etcdctl/, '').replace(/--cacert=\S+ --cert=\S+ --key=\S+ /, '')),
      members: readFileSync(join(state, 'members'), 'utf8').split('\n').filter(Boolean),
      /** Node objects left. */
      nodes: readdirSync(join(state, 'nodes')).filter((f) => !f.startsWith('.')),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('remove-node.sh: one command takes a node out of the cluster before its VM goes', () => {
  test('GIVEN a healthy 3-control-plane cluster WHEN removing cp-3 THEN it is drained, reset on the node (leaving etcd), and its Node deleted, in that order', () => {
    const out = removeNode('lab-cp-3');
    expect(out.status).toBe(0);
    expect(out.steps).toEqual([
      'kubectl drain lab-cp-3 --ignore-daemonsets --delete-emptydir-data --timeout=600s',
      'node lab-cp-3 reset',
      'kubectl delete node lab-cp-3 --ignore-not-found',
    ]);
    expect(out.members).toEqual(['lab-cp-1', 'lab-cp-2']);
    expect(out.nodes).not.toContain('lab-cp-3');
    expect(out.nodes).toHaveLength(5);
    expect(out.stderr).toMatch(/an even count; keep control planes odd/);
  });

  test('GIVEN a control plane that cannot be reached WHEN removing it THEN its etcd member is removed through a Ready peer and its Node deleted', () => {
    const out = removeNode('lab-cp-3', { dead: ['lab-cp-3'], unhealthy: ['lab-cp-3'] });
    expect(out.status).toBe(0);
    expect(out.steps).toHaveLength(3);
    expect(out.steps[0]).toMatch(/^kubectl drain lab-cp-3/);
    expect(out.steps[1]).toMatch(/^kubectl -n kube-system exec etcd-lab-cp-1 -- .*member remove [0-9]+$/);
    expect(out.steps[2]).toBe('kubectl delete node lab-cp-3 --ignore-not-found');
    expect(out.members).toEqual(['lab-cp-1', 'lab-cp-2']);
    expect(out.stderr).toContain('cannot reach it to reset it');
  });

  test('GIVEN another etcd member down WHEN removing a healthy control plane THEN it refuses before draining (etcd would lose quorum)', () => {
    const out = removeNode('lab-cp-3', { unhealthy: ['lab-cp-2'] });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/1 healthy members besides lab-cp-3, 2 left after it: etcd would lose quorum/);
    expect(out.steps).toEqual([]);
    expect(out.members).toHaveLength(3);
  });

  test('GIVEN the dead member is the one removed WHEN the others are healthy THEN quorum holds and it proceeds', () => {
    const out = removeNode('lab-cp-2', { dead: ['lab-cp-2'], unhealthy: ['lab-cp-2'] });
    expect(out.status).toBe(0);
    expect(out.members).toEqual(['lab-cp-1', 'lab-cp-3']);
  });

  test('GIVEN a worker WHEN removing it THEN no etcd call changes anything: drain, reset, delete', () => {
    const out = removeNode('lab-worker-3');
    expect(out.status).toBe(0);
    expect(out.steps).toEqual([
      'kubectl drain lab-worker-3 --ignore-daemonsets --delete-emptydir-data --timeout=600s',
      'node lab-worker-3 reset',
      'kubectl delete node lab-worker-3 --ignore-not-found',
    ]);
    expect(out.members).toHaveLength(3);
  });

  test('GIVEN a drain blocked by a PodDisruptionBudget THEN it stops before resetting the node', () => {
    const out = removeNode('lab-worker-2', { pdbBlocks: ['lab-worker-2'] });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/drain did not finish .*stays cordoned/);
    expect(out.steps.filter((s) => s.startsWith('node '))).toEqual([]);
    expect(out.nodes).toContain('lab-worker-2');
  });

  test('GIVEN an interrupted removal (Node deleted, etcd member left) WHEN run again THEN it removes the member only', () => {
    const out = removeNode('lab-cp-3', { deleted: ['lab-cp-3'], unhealthy: ['lab-cp-3'] });
    expect(out.status).toBe(0);
    expect(out.steps).toHaveLength(2);
    expect(out.steps[0]).toMatch(/member remove/);
    expect(out.members).toEqual(['lab-cp-1', 'lab-cp-2']);
  });

  test('GIVEN a node already removed WHEN run again THEN nothing is done', () => {
    const out = removeNode('lab-worker-3', { deleted: ['lab-worker-3'] });
    expect(out.status).toBe(0);
    expect(out.stderr).toContain('neither a Node nor an etcd member: nothing to do');
    expect(out.steps).toEqual([]);
  });

  test('GIVEN no other Ready control plane WHEN removing a control plane THEN it refuses', () => {
    const out = removeNode('lab-cp-1', { notReady: ['lab-cp-2', 'lab-cp-3'] });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/no other control plane is Ready/);
    expect(out.steps).toEqual([]);
  });

  test('the node part stops the VIP services before kubeadm reset, and never prints the join secrets', () => {
    const part = renderRemoveNodePart();
    expect(part.indexOf('keepalived haproxy')).toBeLessThan(part.indexOf('kubeadm reset'));
    expect(part).toMatch(/grep -v -i -E "token\|certificate-key"/);
  });
});
