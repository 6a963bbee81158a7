import { spawnSync } from 'node:child_process';
import { KUBELET_CSR_APPROVER } from '../../cloud-init';
import { kubeletCertsSection } from '../../runbooks/kubelet-certs';
import { lab, labOnMinor } from '../cloud-init/helpers';

const text = (version?: string) => kubeletCertsSection(version ? labOnMinor(version) : lab()).join('\n');
const blocks = (t: string) => [...t.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('OPERATIONS.md: kubelet serving certificates', () => {
  test('GIVEN an existing cluster switching THEN the approver comes first, kubelets next, the API server flag last', () => {
    const t = text();
    const at = (s: string) => t.indexOf(s);
    expect(at(`enable --now ${KUBELET_CSR_APPROVER.unit}.timer`)).toBeGreaterThan(0);
    expect(at(`enable --now ${KUBELET_CSR_APPROVER.unit}.timer`)).toBeLessThan(at('configmap kubelet-config'));
    expect(at('configmap kubelet-config')).toBeLessThan(at('openssl s_client'));
    expect(at('openssl s_client')).toBeLessThan(at('configmap kubeadm-config'));
    expect(at('configmap kubeadm-config')).toBeLessThan(at('--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt|'));
  });

  test('GIVEN every shell block THEN it is valid bash', () => {
    for (const block of blocks(text())) {
      const r = spawnSync('bash', ['-n'], { input: block.replace(/<[a-z-]+>/g, 'X'), encoding: 'utf8' });
      expect([block.slice(0, 40), r.status, r.stderr]).toEqual([block.slice(0, 40), 0, '']);
    }
  });

  test("GIVEN kubeadm's kube-apiserver manifest WHEN the runbook's sed runs on it THEN the flag follows the command, nothing else changes", () => {
    const sed = /sed -i '(s\|[^']*)' \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml/.exec(text())![1]!;
    const manifest = 'spec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --advertise-address=10.20.0.11\n    image: x\n';
    const r = spawnSync('sed', [sed], { input: manifest, encoding: 'utf8' });
    expect(r.stdout).toBe(manifest.replace('    - kube-apiserver\n', '    - kube-apiserver\n    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt\n'));
  });

  test.each([['1.30.3', 'kubelet-certificate-authority: /etc/kubernetes/pki/ca.crt'], ['1.31.4', '- {name: kubelet-certificate-authority, value: /etc/kubernetes/pki/ca.crt}']])(
    'GIVEN Kubernetes %s THEN the kubeadm-config edit is in that kubeadm API version\'s extraArgs shape', (version, shape) => {
      expect(text(version)).toContain(`apiServer.extraArgs: ${shape}`);
    },
  );
});
