/**
 * The first control plane's init-or-join decision, run for real: the rendered bootstrap script's
 * own functions with stubbed tools (run-bootstrap.ts).
 */
import { CLUSTER_PROBE, NODE_PATHS, renderBootstrapScript } from '../../cloud-init';
import { dev, lab, node } from './helpers';
import { count, runScript } from './run-bootstrap';

const DECIDE_AND_BOOTSTRAP = ['step_cluster_check', 'step_kubeadm_init', 'step_keep_join_certs', 'step_kubeadm_join', 'step_helm'];

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
    // No peer etcd: no argument-less call that shellcheck would refuse (SC2120).
    expect(renderBootstrapScript(d, node(d, `${d.name}-cp-1`))).not.toContain('etcd_answers');
  });

  test('GIVEN a control plane other than the first THEN it has no init path at all', () => {
    const out = runScript(m, 'lab-cp-2', { answer: { url: 'https://10.20.0.10:6443/healthz', code: '200' }, run: ['step_kubeadm_join'] });
    expect(out.calls).toEqual([expect.stringMatching(/^kubeadm join --config /)]);
    expect(renderBootstrapScript(m, node(m, 'lab-cp-2'))).not.toContain('kubeadm init');
  });
});
