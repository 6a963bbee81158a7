import { bootstrapSteps, NODE_PATHS, renderBootstrapScript, renderCiliumValues, renderGitopsRoot } from '../../cloud-init';
import { CHARTS } from '../../spec';
import * as yaml from 'js-yaml';
import { ciliumValues } from '../../facts';
import { cloudConfig, dev, fileIn, lab, labDedicated, labWith, node } from './helpers';
import { count, runScript } from './run-bootstrap';
import { API_WAIT } from '../../cloud-init/scripts/kube-steps';

const steps = (m = lab(), name = 'lab-cp-1') => bootstrapSteps(m, node(m, name)).map((s) => s.name);
const script = (m = lab(), name = 'lab-cp-1') => renderBootstrapScript(m, node(m, name));

describe('bootstrap script', () => {
  test('first control plane: OS, packages, runtime, load balancer, init-or-join decision, kubeadm, then Cilium and GitOps', () => {
    expect(steps()).toEqual([
      'swap-off', 'kernel', 'base-packages', 'services', 'kube-packages', 'containerd', 'load-balancer',
      'cluster-check', 'kubeadm-init', 'keep-join-certs', 'etcd-forget-self', 'kubeadm-join', 'kubelet-csr-approver', 'kubectl-access', 'certs-renewal', 'helm', 'cilium', 'node-ready', 'gitops',
      'forget-join-secrets',
    ]);
    expect(script()).toContain('kubeadm init --upload-certs --skip-token-print --skip-certificate-key-print --config /etc/pve-k8s/kubeadm-init.yaml');
  });

  test('GIVEN any kubeadm node WHEN its bootstrap succeeds THEN the files holding join secrets are shredded last', () => {
    const shredded = (s: string) => [...s.matchAll(/if \[\[ -e (\S+) \]\]; then\n\s+shred --zero --remove \1\n/g)].map((m) => m[1]);
    expect(steps().at(-1)).toBe('forget-join-secrets');
    expect(shredded(script())).toEqual([NODE_PATHS.kubeadmConfig, NODE_PATHS.kubeadmInitConfig]);
    expect(steps(lab(), 'lab-worker-1').at(-1)).toBe('forget-join-secrets');
    expect(shredded(script(lab(), 'lab-worker-1'))).toEqual([NODE_PATHS.kubeadmConfig]);
    expect(steps(labDedicated(), 'lab-lb-1')).not.toContain('forget-join-secrets');
  });

  test('GIVEN the first control plane WHEN it created the cluster THEN the uploaded certificates lose their 2 h owner', () => {
    expect(script()).toContain(`patch secret kubeadm-certs --type=merge \\\n    --patch='{"metadata":{"ownerReferences":null}}'`);
  });

  test('other control planes wait for the API behind the VIP, then join as control planes', () => {
    expect(steps(lab(), 'lab-cp-2')).toEqual([
      'swap-off', 'kernel', 'base-packages', 'services', 'kube-packages', 'containerd', 'load-balancer',
      'wait-api', 'etcd-forget-self', 'kubeadm-join', 'kubelet-csr-approver', 'kubectl-access', 'certs-renewal', 'forget-join-secrets',
    ]);
    const s = script(lab(), 'lab-cp-2');
    expect(s).toContain("curl --silent --fail --insecure --max-time 5 --output /dev/null 'https://10.20.0.10:6443/healthz'");
    expect(s).toContain('kubeadm join --config /etc/pve-k8s/kubeadm.yaml');
    expect(s).not.toContain('kubeadm init');
    expect(s).not.toContain('helm');
  });

  test('workers wait, then join; no load balancer, no add-ons', () => {
    expect(steps(lab(), 'lab-worker-3')).toEqual([
      'swap-off', 'kernel', 'base-packages', 'services', 'kube-packages', 'containerd', 'wait-api', 'kubeadm-join',
      'forget-join-secrets',
    ]);
  });

  test('dedicated load balancers only prepare the OS and start haproxy + keepalived', () => {
    expect(steps(labDedicated(), 'lab-lb-1')).toEqual(['kernel', 'base-packages', 'services', 'load-balancer']);
  });

  test('the shared retry helper is bounded with backoff', () => {
    const retry = script().split('retry() {')[1]!.split('\n}')[0]!;
    expect(retry).toContain('if [[ $retry_n -ge $retry_max ]]; then');
    expect(retry).toContain('retry_delay=$((retry_delay * 2 > 60 ? 60 : retry_delay * 2))');
  });

  test('GIVEN the API answers from the 3rd probe WHEN a worker waits for it THEN it goes on after two 5 s pauses (no backoff)', () => {
    const out = runScript(lab(), 'lab-worker-1', { answer: { url: 'https://10.20.0.10:6443/healthz', code: '200', fromRound: 3 }, run: ['step_wait_api'] });
    expect(out.calls).toEqual(['curl https://10.20.0.10:6443/healthz', 'sleep 5', 'curl https://10.20.0.10:6443/healthz', 'sleep 5', 'curl https://10.20.0.10:6443/healthz']);
  });

  test('GIVEN the API never answers WHEN a worker waits THEN the step fails after 30 minutes of probes, saying so', () => {
    const out = runScript(lab(), 'lab-worker-1', { run: ['step_wait_api && exit 9 || true'] });
    expect(count(out.calls, 'curl ')).toBe(API_WAIT.attempts);
    expect(API_WAIT.attempts * API_WAIT.intervalSeconds).toBe(1800);
    expect(out.log).toContain('did not answer in 30 minutes');
  });

  test('control planes join one at a time (staggered by index)', () => {
    expect(script(lab(), 'lab-cp-2')).not.toContain('sleep 60');
    expect(script(lab(), 'lab-cp-3')).toContain('sleep 60');
  });

  test('every step is run once through run_step, and reruns skip completed steps', () => {
    const s = script();
    const runs = s.split('\n').filter((l) => l.startsWith('run_step '));
    expect(runs).toEqual(steps().map((n) => `run_step ${n} step_${n.replace(/-/g, '_')}`));
    expect(s).toContain('if [[ -f "$STATE_DIR/done/$step_name" ]]; then');
  });

  test('kubeadm init and join are skipped when the node already has its kubeconfigs', () => {
    expect(script()).toContain(`if [[ -f ${NODE_PATHS.adminKubeconfig} ]]; then`);
    expect(script(lab(), 'lab-worker-1')).toContain(`if [[ -f ${NODE_PATHS.kubeletKubeconfig} ]]; then`);
  });

  test('logs to one file and leaves a failure marker naming the failing step', () => {
    const s = script();
    expect(s).toContain(`readonly LOG_FILE='${NODE_PATHS.log}'`);
    expect(s).toContain('exec > >(tee -a "$LOG_FILE") 2>&1');
    expect(s).toContain(`readonly FAILED_MARKER='${NODE_PATHS.failedMarker}'`);
    expect(s).toContain('printf \'%s\\n\' "$step_name" >"$FAILED_MARKER"');
    expect(s.trimEnd().endsWith('finish')).toBe(true);
  });

  test('steps run under errexit even though run_step checks their status', () => {
    // `if func; then` would disable errexit inside func; the subshell keeps it.
    expect(script()).toContain('(set -e; "$step_func")');
    expect(script()).not.toMatch(/if "\$step_func"/);
  });

  test('Kubernetes packages come from pkgs.k8s.io for the minor, pinned to the exact patch and held', () => {
    const s = script(lab(), 'lab-worker-1');
    expect(s).toContain("'https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key'");
    expect(s).toContain('kubelet=1.30.3-1.1 kubeadm=1.30.3-1.1 kubectl=1.30.3-1.1 cri-tools=1.30.1-1.1');
    expect(s).toContain('apt-mark hold kubeadm kubelet kubectl cri-tools');
    expect(fileIn(cloudConfig(lab(), 'lab-worker-1'), NODE_PATHS.kubernetesAptSource)).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n',
    );
  });

  test('Cilium is installed with the pinned chart and exactly the GitOps values', () => {
    const m = lab();
    expect(script(m)).toContain(`--repo 'https://helm.cilium.io' --version '${CHARTS.cilium.version}'`);
    expect(yaml.load(renderCiliumValues(m))).toEqual(ciliumValues(m));
    expect(yaml.load(fileIn(cloudConfig(m, 'lab-cp-1'), NODE_PATHS.ciliumValues)!)).toEqual(ciliumValues(m));
  });

  test('Argo CD root application points at repoUrl, revision and dist/<cluster>/manifests', () => {
    const app = yaml.load(renderGitopsRoot(lab())!) as any;
    expect(app.kind).toBe('Application');
    expect(app.spec.source).toMatchObject({
      repoURL: 'https://git.lab.example.internal/platform/clusters.git', targetRevision: 'main', path: 'dist/lab/manifests',
    });
    expect(script()).toContain('upgrade --install argocd argo-cd');
  });

  test('Flux gets a GitRepository and a Kustomization on the same path', () => {
    const m = labWith((d) => { d.addons.gitops = { engine: 'flux', repoUrl: 'https://git.example/x.git', revision: 'release' }; });
    const [repo, ks] = yaml.loadAll(renderGitopsRoot(m)!) as any[];
    expect(repo.spec).toMatchObject({ url: 'https://git.example/x.git', ref: { branch: 'release' } });
    expect(ks.spec).toMatchObject({ path: './dist/lab/manifests', sourceRef: { kind: 'GitRepository', name: repo.metadata.name } });
    expect(script(m)).toContain('apply --server-side -f');
  });

  test('no GitOps bootstrap without a repoUrl or with engine none', () => {
    expect(renderGitopsRoot(dev())).toBeUndefined();
    expect(steps(dev(), 'dev-cp-1')).not.toContain('gitops');
    const none = labWith((d) => { d.addons.gitops = { engine: 'none', repoUrl: 'https://git.example/x.git' }; });
    expect(steps(none)).not.toContain('gitops');
  });

  test('embeds no secret: they live in root-only config files', () => {
    expect(fileIn(cloudConfig(lab(), 'lab-cp-1'), NODE_PATHS.bootstrapScript)).not.toMatch(/abcdef\.0123456789abcdef|vrrp1234/);
  });
});
