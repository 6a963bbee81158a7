import { renderUpgradeRunbook, renderUpgradeScript, upgradePlan } from '../../upgrade';
import { labWith } from '../cloud-init/helpers';

describe('UPGRADE.md says exactly what upgrade.sh does to this cluster', () => {
  const model = labWith((d) => { d.kubernetes = { version: '1.31.4' }; });
  const doc = renderUpgradeRunbook(model);
  const script = renderUpgradeScript(model);

  test('GIVEN lab at 1.31.4 THEN the runbook table lists every Kubernetes node in the order of the script, with its kubeadm command', () => {
    const rows = doc.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    const scriptOrder = [...script.matchAll(/^ {2}'(\S+) \S+ (first|control-plane|worker)'$/gm)].map((m) => m[1]);
    expect(rows.map((r) => r.split(' | ')[1]!.split(' ')[0])).toEqual(scriptOrder);
    expect(scriptOrder).toEqual(upgradePlan(model).nodes.map((n) => n.name));
    expect(rows[0]).toContain('`kubeadm upgrade apply --yes --patches /etc/pve-k8s/kubeadm-patches v1.31.4`');
    expect(rows.slice(1, 3).every((r) => r.includes('`kubeadm upgrade node --patches /etc/pve-k8s/kubeadm-patches`'))).toBe(true);
    expect(rows.slice(3).every((r) => r.includes('`kubeadm upgrade node`'))).toBe(true);
  });

  test('GIVEN lab at 1.31.4 THEN the runbook and the node script name the same pinned packages and drain bound', () => {
    for (const text of ['kubeadm=1.31.4-1.1', '1.31.1-1.1', '600s', '300s']) {
      expect([text, doc.includes(text), script.includes(text)]).toEqual([text, true, true]);
    }
  });

  test("GIVEN a control plane's kubeadm patches (API server on the node IP beside HAProxy) THEN both kubeadm upgrade commands apply them, or the upgraded API servers would bind 0.0.0.0:6443", () => {
    expect(script).toContain('[[ -d /etc/pve-k8s/kubeadm-patches ]] && patches=(--patches /etc/pve-k8s/kubeadm-patches)');
    expect(script).toContain('kubeadm upgrade apply --yes "${patches[@]}" v1.31.4');
    expect(script).toContain('kubeadm upgrade node "${patches[@]}"');
  });

  test('the runbook is deterministic and says how to resume and how not to roll back', () => {
    expect(renderUpgradeRunbook(model)).toBe(doc);
    expect(doc).toContain('run the same command again');
    expect(doc).toContain('kubeadm has no downgrade');
    expect(doc).toContain('Add no node between the spec change and the end of the\n   upgrade');
  });
});
