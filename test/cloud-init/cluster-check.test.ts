/**
 * The first control plane's init-or-join decision, run for real: the rendered bootstrap script's
 * own functions under bash, with curl, timeout, sleep, kubeadm, kubectl and helm replaced by stubs
 * (no network traffic, nothing written outside a temp folder).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_PROBE, NODE_PATHS, renderBootstrapScript } from '../../cloud-init';
import { dev, lab, node } from './helpers';
import type { ClusterModel } from '../../spec';

interface Scenario {
  /** URL that answers, with its HTTP status, from the given probe round on (1-based). */
  readonly answer?: { readonly url: string; readonly code: string; readonly fromRound?: number };
  /** host:port whose TCP connection succeeds. */
  readonly etcdOpen?: string;
  /** Files present before the run (absolute node paths). */
  readonly existing?: readonly string[];
  /** Bootstrap functions to call, in order. */
  readonly run: readonly string[];
}

interface Outcome {
  readonly mode: string | undefined;
  readonly calls: string[];
  readonly log: string;
}

const STUBS: Record<string, string> = {
  // curl: 000 (no connection) unless the scenario's URL answers from its round on.
  curl: `url="\${*: -1}"; n=$(( $(cat "$T/curl-$(printf %s "$url" | md5sum | cut -c1-8)" 2>/dev/null || echo 0) + 1 ))
echo $n >"$T/curl-$(printf %s "$url" | md5sum | cut -c1-8)"; echo "curl $url" >>"$T/calls"
if [[ "$url" == "$ANSWER_URL" && $n -ge $ANSWER_FROM ]]; then printf %s "$ANSWER_CODE"; exit 0; fi
printf 000; exit 7`,
  // timeout SECONDS bash -c "exec 3<>/dev/tcp/HOST/PORT": succeeds only for the scenario's host:port.
  timeout: `echo "timeout $*" >>"$T/calls"; [[ -n "$ETCD_OPEN" && "$*" == *"/dev/tcp/\${ETCD_OPEN%:*}/\${ETCD_OPEN##*:}"* ]] && exit 0; exit 124`,
  sleep: 'echo "sleep $*" >>"$T/calls"',
  kubeadm: 'echo "kubeadm $*" >>"$T/calls"',
  kubectl: 'echo "kubectl $*" >>"$T/calls"',
  helm: 'echo "helm $*" >>"$T/calls"',
};

/** Runs `scenario.run` from the rendered script of `nodeName`, paths moved under a temp root. */
function runScript(model: ClusterModel, nodeName: string, scenario: Scenario): Outcome {
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-cluster-check-'));
  try {
    const root = join(tmp, 'root');
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    let script = renderBootstrapScript(model, node(model, nodeName));
    for (const prefix of ['/var/lib/pve-k8s', '/var/log/pve-k8s-bootstrap.log', '/etc/kubernetes', '/etc/pve-k8s']) {
      script = script.split(prefix).join(root + prefix);
    }
    for (const file of scenario.existing ?? []) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(root + file, 'present\n');
    }
    mkdirSync(join(root, '/var/log'), { recursive: true });
    // Keep the definitions and the shell core; replace the run order with the scenario's calls.
    const defs = script.slice(0, script.indexOf('\nlog "bootstrap of '));
    writeFileSync(join(tmp, 'run.sh'), `${defs}\n${scenario.run.join('\n')}\n`);
    const result = spawnSync('bash', [join(tmp, 'run.sh')], {
      env: {
        PATH: `${bin}:/usr/bin:/bin`, T: tmp,
        ANSWER_URL: scenario.answer?.url ?? '', ANSWER_CODE: scenario.answer?.code ?? '', ANSWER_FROM: String(scenario.answer?.fromRound ?? 1),
        ETCD_OPEN: scenario.etcdOpen ?? '',
      },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`${nodeName}: the script failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
    return {
      mode: read(root + NODE_PATHS.bootstrapMode)?.trim(),
      calls: (read(join(tmp, 'calls')) ?? '').split('\n').filter(Boolean),
      log: read(root + NODE_PATHS.log) ?? '',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const DECIDE_AND_BOOTSTRAP = ['step_cluster_check', 'step_kubeadm_init', 'step_keep_join_certs', 'step_kubeadm_join', 'step_helm'];
const count = (calls: readonly string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

describe('first control plane: kubeadm init only when no cluster exists', () => {
  const m = lab();

  test('GIVEN nothing answers anywhere WHEN cp-1 boots (day 1) THEN it probes every round, then runs kubeadm init and keeps the certificates', () => {
    const out = runScript(m, 'lab-cp-1', { run: DECIDE_AND_BOOTSTRAP.filter((f) => f !== 'step_helm') });
    expect(out.mode).toBe('init');
    expect(count(out.calls, 'sleep')).toBe(CLUSTER_PROBE.rounds - 1);
    expect(count(out.calls, 'curl https://10.20.0.10:6443/healthz')).toBe(CLUSTER_PROBE.rounds);
    expect(out.calls).toContain('curl https://10.20.0.12:6443/healthz');
    expect(out.calls).toContainEqual(expect.stringContaining('/dev/tcp/10.20.0.13/2379'));
    expect(out.calls).toContainEqual(expect.stringMatching(/^kubeadm init --upload-certs --skip-token-print --skip-certificate-key-print/));
    expect(out.calls).toContainEqual(expect.stringContaining('patch secret kubeadm-certs'));
    expect(out.calls.filter((c) => c.startsWith('kubeadm join'))).toEqual([]);
    expect(out.log).toContain('no cluster answered');
  });

  test.each([
    ['the VIP answers 200', { answer: { url: 'https://10.20.0.10:6443/healthz', code: '200' } }],
    ['another control plane answers 401 (anonymous auth off)', { answer: { url: 'https://10.20.0.13:6443/healthz', code: '401' } }],
    ['a peer API server comes back in round 4', { answer: { url: 'https://10.20.0.12:6443/healthz', code: '200', fromRound: 4 } }],
    ['only etcd answers on a peer (its API server is restarting)', { etcdOpen: '10.20.0.12:2379' }],
  ])('GIVEN %s WHEN cp-1 boots with a fresh disk THEN it joins and never runs kubeadm init nor re-installs add-ons', (_, scenario) => {
    const out = runScript(m, 'lab-cp-1', { ...scenario, run: DECIDE_AND_BOOTSTRAP });
    expect(out.mode).toBe('join');
    expect(out.calls.filter((c) => c.startsWith('kubeadm init') || c.includes('images pull'))).toEqual([]);
    expect(out.calls.filter((c) => c.startsWith('kubeadm join --config '))).toHaveLength(1);
  });

  test('GIVEN a cluster answers WHEN cp-1 joins THEN the join uses its JoinConfiguration and the add-on steps do nothing', () => {
    const out = runScript(m, 'lab-cp-1', { answer: { url: 'https://10.20.0.10:6443/healthz', code: '200' }, run: DECIDE_AND_BOOTSTRAP });
    expect(out.calls.find((c) => c.startsWith('kubeadm join'))).toMatch(/^kubeadm join --config \S+\/etc\/pve-k8s\/kubeadm\.yaml$/);
    expect(out.calls.some((c) => c.startsWith('helm') || c.includes('patch secret'))).toBe(false);
    expect(out.log).toContain('an existing cluster answers: joining it (no kubeadm init)');
  });

  test('GIVEN the node already belongs to a cluster WHEN the decision has no record THEN it joins (creates nothing) without probing', () => {
    const out = runScript(m, 'lab-cp-1', { existing: [NODE_PATHS.kubeletKubeconfig], run: ['step_cluster_check'] });
    expect(out.mode).toBe('join');
    expect(out.calls).toEqual([]);
  });

  test('GIVEN a single control plane WHEN nothing answers at the VIP THEN it initialises (no peers to ask)', () => {
    const d = dev();
    const out = runScript(d, `${d.name}-cp-1`, { run: ['step_cluster_check'] });
    expect(out.mode).toBe('init');
    expect(out.calls.every((c) => c.startsWith('sleep') || c === `curl https://${d.network.controlPlaneEndpoint}/healthz`)).toBe(true);
  });

  test('GIVEN a control plane other than the first THEN it has no init path at all', () => {
    const out = runScript(m, 'lab-cp-2', { answer: { url: 'https://10.20.0.10:6443/healthz', code: '200' }, run: ['step_kubeadm_join'] });
    expect(out.calls).toEqual([expect.stringMatching(/^kubeadm join --config /)]);
    expect(renderBootstrapScript(m, node(m, 'lab-cp-2'))).not.toContain('kubeadm init');
  });
});
