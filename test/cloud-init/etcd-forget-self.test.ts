/**
 * A control plane rebuilt on a fresh disk removes its own stale etcd member before it joins, and
 * nothing else: the rendered step run for real with stubbed tools (run-bootstrap.ts).
 */
import { NODE_PATHS, renderBootstrapScript } from '../../cloud-init';
import { lab, node } from './helpers';
import { count, runScript } from './run-bootstrap';

const member = (id: string, name: string, ip: string) => ({ ID: id, name, peerURLs: [`https://${ip}:2380`], clientURLs: [`https://${ip}:2379`] });
const list = (...members: object[]) => JSON.stringify({ header: { cluster_id: '1' }, members });
const LIVE = [member('11', 'lab-cp-1', '10.20.0.11'), member('12', 'lab-cp-2', '10.20.0.12'), member('13', 'lab-cp-3', '10.20.0.13')];
const JOIN_MODE = [`echo join >${NODE_PATHS.bootstrapMode}`];
const removals = (calls: readonly string[]) => calls.filter((c) => c.startsWith('etcd-remove'));

describe('etcd-forget-self: a rebuilt control plane removes its own stale member, nothing else', () => {
  const m = lab();

  test('GIVEN cp-1 is rebuilt and etcd still lists its old member WHEN it joins THEN exactly that member is removed, before kubeadm join', () => {
    const out = runScript(m, 'lab-cp-1', { members: list(...LIVE), run: [...JOIN_MODE, 'step_etcd_forget_self', 'step_kubeadm_join'] });
    expect(removals(out.calls)).toEqual(['etcd-remove {"ID":"11"} via https://10.20.0.12:2379/v3/cluster/member/remove']);
    const order = out.calls.map((c) => (c.startsWith('etcd-remove') ? 'remove' : c.startsWith('kubeadm join --config') ? 'join' : '')).filter(Boolean);
    expect(order).toEqual(['remove', 'join']);
    expect(out.calls).toContainEqual(expect.stringMatching(/^kubeadm join phase control-plane-prepare download-certs --config /));
    expect(out.log).toContain('removing member 11, lab-cp-1 before its rebuild');
  });

  test('GIVEN an unstarted member with this node\'s peer URL (a join cut short) WHEN cp-2 joins THEN that member is removed', () => {
    const members = list(LIVE[0], { ID: '99', name: '', peerURLs: ['https://10.20.0.12:2380'] }, LIVE[2]);
    const out = runScript(m, 'lab-cp-2', { members, run: ['step_etcd_forget_self'] });
    expect(removals(out.calls)).toEqual([expect.stringContaining('{"ID":"99"}')]);
  });

  test('GIVEN etcd has no member of this node (a new control plane) WHEN it joins THEN nothing is removed', () => {
    const out = runScript(m, 'lab-cp-3', { members: list(LIVE[0], LIVE[1]), run: ['step_etcd_forget_self'] });
    expect(removals(out.calls)).toEqual([]);
    expect(out.log).toContain('no member left from an earlier life of lab-cp-3');
  });

  test('GIVEN two members match (name on one, peer URL on another) WHEN it joins THEN nothing is removed (ambiguous)', () => {
    const members = list(LIVE[0], LIVE[1], { ID: '77', name: 'other', peerURLs: ['https://10.20.0.13:2380'] }, LIVE[2]);
    const out = runScript(m, 'lab-cp-3', { members, run: ['step_etcd_forget_self'] });
    expect(removals(out.calls)).toEqual([]);
  });

  test("GIVEN this node's own etcd answers WHEN the step runs THEN it removes nothing and fetches nothing", () => {
    const out = runScript(m, 'lab-cp-2', { members: list(...LIVE), etcdOpen: '10.20.0.12:2379', run: ['step_etcd_forget_self'] });
    expect(out.calls.filter((c) => !c.startsWith('timeout'))).toEqual([]);
  });

  test('GIVEN the node already joined (kubelet.conf) or cp-1 creates the cluster THEN the step does nothing', () => {
    const joined = runScript(m, 'lab-cp-2', { members: list(...LIVE), existing: [NODE_PATHS.kubeletKubeconfig], run: ['step_etcd_forget_self'] });
    expect(joined.calls).toEqual([]);
    const init = runScript(m, 'lab-cp-1', { members: list(...LIVE), run: [`echo init >${NODE_PATHS.bootstrapMode}`, 'step_etcd_forget_self'] });
    expect(init.calls).toEqual([]);
  });

  test('GIVEN no peer etcd answers WHEN the step runs THEN it succeeds and leaves the check to kubeadm join', () => {
    const out = runScript(m, 'lab-cp-2', { run: ['step_etcd_forget_self'] });
    expect(removals(out.calls)).toEqual([]);
    expect(count(out.calls, 'kubeadm join phase')).toBe(2);
    expect(out.log).toContain('no peer etcd answered');
  });

  test('GIVEN a worker THEN its bootstrap has no etcd step', () => {
    expect(renderBootstrapScript(m, node(m, 'lab-worker-1'))).not.toContain('etcd-forget-self');
    expect(renderBootstrapScript(m, node(m, 'lab-cp-2'))).toMatch(/run_step etcd-forget-self \S+\nrun_step kubeadm-join/);
  });
});
