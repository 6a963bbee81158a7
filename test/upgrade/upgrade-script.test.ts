/**
 * dist/<name>/upgrade.sh run for real against a simulated cluster: kubectl is a stub that answers
 * from per-node state files, and PVE_K8S_NODE_EXEC is a stub "node" that records the phase it
 * is given and moves that node's versions as kubeadm and the kubelet would. No network, nothing
 * written outside a temp folder.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderUpgradeScript } from '../../upgrade';
import { lab, labWith } from '../cloud-init/helpers';
import type { ClusterModel } from '../../spec';

const KUBECTL = String.raw`#!/bin/bash
S="$T/state"; echo "kubectl $*" >>"$T/calls"
case "$*" in
  *"get configmap kubeadm-config"*) printf 'apiServer: {}\nkubernetesVersion: v%s\n' "$(cat "$S/cluster")" ;;
  "get node "*) n=$3; case "$*" in
      *kubeletVersion*) [[ -f "$S/$n.kubelet" ]] || exit 1; printf 'v%s' "$(cat "$S/$n.kubelet")" ;;
      *unschedulable*) [[ -f "$S/$n.cordoned" ]] && printf true ;;
      *Ready*) [[ -f "$S/$n.kubelet" ]] || exit 1; if [[ -f "$S/$n.notready" ]]; then printf False; else printf True; fi ;;
    esac ;;
  *"get pod kube-apiserver-"*) n=$(sed 's/^kube-apiserver-//' <<<"$5"); [[ -f "$S/$n.apiserver" ]] && printf 'registry.k8s.io/kube-apiserver:v%s' "$(cat "$S/$n.apiserver")" ;;
  "drain "*) [[ -f "$S/$2.pdb-blocks" ]] && exit 1; touch "$S/$2.cordoned" ;;
  "uncordon "*) rm -f "$S/$2.cordoned" ;;
  "wait "*) exit 0 ;;
  "get nodes -o wide") ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
`;

// The node: reads "PHASE=.. ROLE=.." then the script (checked to be the node part), acts like it.
const NODE = String.raw`#!/bin/bash
S="$T/state"; n=$1; read -r assign; eval "$assign"; script="$(cat)"
[[ "$script" == *'case "$PHASE" in'* ]] || { echo "no node script on stdin" >&2; exit 4; }
echo "node $n $PHASE $ROLE" >>"$T/calls"
[[ -f "$S/$n.fail-$PHASE" ]] && exit 1
case $PHASE in
  kubeadm) [[ $ROLE == worker ]] || echo "$TARGET" >"$S/$n.apiserver"; [[ $ROLE == first ]] && echo "$TARGET" >"$S/cluster" ;;
  kubelet) echo "$TARGET" >"$S/$n.kubelet" ;;
esac
exit 0
`;

interface Cluster {
  /** Version kubeadm-config reports. */
  readonly running: string;
  /** Per node: kubelet and (control planes) apiserver versions; default `running`. */
  readonly nodes?: Record<string, { kubelet?: string; apiserver?: string; notReady?: boolean; cordoned?: boolean; pdbBlocks?: boolean; failPhase?: string }>;
}

function runUpgrade(model: ClusterModel, cluster: Cluster) {
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-upgrade-'));
  try {
    const bin = join(tmp, 'bin');
    const state = join(tmp, 'state');
    mkdirSync(bin);
    mkdirSync(state);
    writeFileSync(join(bin, 'kubectl'), KUBECTL);
    writeFileSync(join(bin, 'node'), NODE);
    writeFileSync(join(bin, 'sleep'), '#!/bin/bash\n');
    for (const f of ['kubectl', 'node', 'sleep']) chmodSync(join(bin, f), 0o755);
    writeFileSync(join(state, 'cluster'), cluster.running);
    for (const n of [...model.controlPlanes, ...model.workers]) {
      const s = cluster.nodes?.[n.name] ?? {};
      writeFileSync(join(state, `${n.name}.kubelet`), s.kubelet ?? cluster.running);
      if (n.role === 'control-plane') writeFileSync(join(state, `${n.name}.apiserver`), s.apiserver ?? cluster.running);
      if (s.notReady) writeFileSync(join(state, `${n.name}.notready`), '');
      if (s.cordoned) writeFileSync(join(state, `${n.name}.cordoned`), '');
      if (s.pdbBlocks) writeFileSync(join(state, `${n.name}.pdb-blocks`), '');
      if (s.failPhase) writeFileSync(join(state, `${n.name}.fail-${s.failPhase}`), '');
    }
    writeFileSync(join(tmp, 'upgrade.sh'), renderUpgradeScript(model));
    const r = spawnSync('bash', [join(tmp, 'upgrade.sh')], {
      env: { PATH: `${bin}:/usr/bin:/bin`, T: tmp, TARGET: model.kubernetes.version, PVE_K8S_NODE_EXEC: join(bin, 'node') },
      encoding: 'utf8',
    });
    const calls = readFileSync(join(tmp, 'calls'), 'utf8').split('\n').filter(Boolean);
    const versions = Object.fromEntries([...model.controlPlanes, ...model.workers].map((n) => [n.name, readFileSync(join(state, `${n.name}.kubelet`), 'utf8').trim()]));
    const kubelet = (n: string) => versions[n];
    return { status: r.status, stderr: r.stderr, calls, steps: calls.filter((c) => /^node |^kubectl (drain|uncordon) /.test(c)), kubelet };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const to131 = () => labWith((d) => { d.kubernetes = { version: '1.31.4' }; });
const WORKERS = ['lab-worker-1', 'lab-worker-2', 'lab-worker-3'];

describe('upgrade.sh: one command, kubeadm order, one node at a time, resumable', () => {
  test('GIVEN lab at 1.30.3 WHEN upgrading to 1.31.4 THEN cp-1 applies, the other control planes then the workers upgrade node, each drained before its kubelet', () => {
    const out = runUpgrade(to131(), { running: '1.30.3' });
    expect(out.status).toBe(0);
    const perNode = (n: string, role: string) => [`node ${n} kubeadm ${role}`, `kubectl drain ${n} --ignore-daemonsets --delete-emptydir-data --timeout=600s`, `node ${n} kubelet ${role}`, `kubectl uncordon ${n}`];
    expect(out.steps).toEqual([
      ...perNode('lab-cp-1', 'first'), ...perNode('lab-cp-2', 'control-plane'), ...perNode('lab-cp-3', 'control-plane'),
      ...WORKERS.flatMap((w) => perNode(w, 'worker')),
    ]);
    for (const n of ['lab-cp-1', 'lab-cp-3', 'lab-worker-3']) expect(out.kubelet(n)).toBe('1.31.4');
    expect(out.stderr).toContain('cluster upgraded to 1.31.4');
  });

  test('GIVEN an upgrade stopped by a PodDisruptionBudget on worker-2 WHEN run again after the fix THEN finished nodes are skipped and it resumes at worker-2', () => {
    const first = runUpgrade(to131(), { running: '1.30.3', nodes: { 'lab-worker-2': { pdbBlocks: true } } });
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/lab-worker-2: drain did not finish .*the node stays cordoned/);
    expect(first.steps.filter((s) => s.startsWith('node lab-worker-3'))).toEqual([]);
    // The state after the stop: everything before worker-2 upgraded, worker-2 kubeadm done, cordoned.
    const resumed = runUpgrade(to131(), {
      running: '1.31.4',
      nodes: { 'lab-worker-2': { kubelet: '1.30.3', cordoned: true }, 'lab-worker-3': { kubelet: '1.30.3' } },
    });
    expect(resumed.status).toBe(0);
    expect(resumed.steps.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      'node lab-worker-2 kubeadm', 'kubectl drain lab-worker-2', 'node lab-worker-2 kubelet', 'kubectl uncordon lab-worker-2',
      'node lab-worker-3 kubeadm', 'kubectl drain lab-worker-3', 'node lab-worker-3 kubelet', 'kubectl uncordon lab-worker-3',
    ]);
    expect(resumed.stderr).toContain('lab-cp-1: already at 1.31.4, skipped');
  });

  test('GIVEN every node at the target WHEN run THEN nothing is done on any node', () => {
    const out = runUpgrade(lab(), { running: '1.30.3' });
    expect(out.status).toBe(0);
    expect(out.steps).toEqual([]);
  });

  test.each([
    ['a skipped minor (1.29 -> 1.31)', '1.29.8', /kubeadm upgrades one minor at a time/],
    ['a downgrade across minors (1.32 -> 1.31)', '1.32.2', /one minor at a time, never down/],
    ['a patch downgrade (1.31.9 -> 1.31.4)', '1.31.9', /newer than 1.31.4: downgrades are not supported/],
  ])('GIVEN the cluster runs a version with %s THEN it refuses before touching any node', (_, running, message) => {
    const out = runUpgrade(to131(), { running });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(message);
    expect(out.steps).toEqual([]);
  });

  test('GIVEN a node that is not Ready THEN it refuses before touching any node', () => {
    const out = runUpgrade(to131(), { running: '1.30.3', nodes: { 'lab-worker-3': { notReady: true } } });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('node lab-worker-3 is not Ready');
    expect(out.steps).toEqual([]);
  });

  test('GIVEN the kubeadm phase fails on cp-2 THEN it stops there: cp-2 is not drained and no later node is touched', () => {
    const out = runUpgrade(to131(), { running: '1.30.3', nodes: { 'lab-cp-2': { failPhase: 'kubeadm' } } });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('lab-cp-2: the kubeadm phase failed');
    expect(out.steps.at(-1)).toBe('node lab-cp-2 kubeadm control-plane');
  });

  test('GIVEN a dedicated load balancer THEN it is not part of the upgrade (no Kubernetes on it)', () => {
    const m = labWith((d) => { d.kubernetes = { version: '1.31.4' }; d.loadBalancer = { mode: 'dedicated' }; });
    expect(renderUpgradeScript(m)).not.toContain('lab-lb-');
  });
});
