import { kubeletConfiguration, NODE_PATHS, renderKubeadmInitConfig } from '../../cloud-init';
import { bootstrapSteps } from '../../cloud-init/scripts/bootstrap';
import { DEBIAN_IMAGE, loadSpecFile, UBUNTU_IMAGE } from '../../spec';
import { cloudConfig, docs, FAKE_SECRETS, fileIn, labWith, node } from './helpers';

/** The e2e spec: Debian 12, cni none, no GitOps engine, every node pointed at local mirrors. */
const e2e = () => loadSpecFile('test/e2e/cluster/e2e.yaml').model;
const KEY = e2e().sources.kubernetesSigningKey!;
const debian = () => labWith((d) => { d.nodeOs = 'debian-12'; });
const cniNone = (gitops: Record<string, unknown> = {}) => labWith((d) => { d.addons.cni = 'none'; d.addons.gitops = { ...d.addons.gitops, ...gitops }; });
/** Step names, without the last one (forget-join-secrets, common to every kubeadm node). */
const stepNames = (model: ReturnType<typeof e2e>, name: string) => bootstrapSteps(model, node(model, name)).map((s) => s.name).slice(0, -1);
const UNATTENDED = '/etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades';

describe('node OS profile (nodeOs)', () => {
  test('GIVEN no nodeOs WHEN the model is derived THEN nodes boot the pinned Ubuntu 24.04 image without a pinned digest', () => {
    const model = labWith(() => undefined);
    expect(model.os.id).toBe('ubuntu-24.04');
    expect(model.image).toEqual({ url: UBUNTU_IMAGE.url, fileName: UBUNTU_IMAGE.fileName, checksum: undefined });
  });

  test('GIVEN nodeOs debian-12 WHEN the model is derived THEN nodes boot the pinned genericcloud image, checked with its SHA-512', () => {
    const model = debian();
    expect(model.image.url).toMatch(/^https:\/\/cloud\.debian\.org\/images\/cloud\/bookworm\/.*genericcloud-amd64-.*\.qcow2$/);
    expect(model.image.fileName).toMatch(/\.img$/);
    expect(model.image.checksum).toEqual({ algorithm: 'sha512', value: DEBIAN_IMAGE.checksum.value });
    expect(model.image.checksum!.value).toMatch(/^[0-9a-f]{128}$/);
  });

  test('GIVEN nodeOs debian-12 and a custom image url WHEN the model is derived THEN only the spec checksum applies', () => {
    const model = labWith((d) => { d.nodeOs = 'debian-12'; d.image = { url: 'https://images.example.internal/debian-12.qcow2' }; });
    expect(model.image.url).toBe('https://images.example.internal/debian-12.qcow2');
    expect(model.image.checksum).toBeUndefined();
  });

  test('GIVEN Debian nodes WHEN unattended-upgrades is configured THEN only the Debian-Security origins are allowed, Kubernetes stays blacklisted, no reboot', () => {
    const conf = fileIn(cloudConfig(debian(), 'lab-cp-1'), UNATTENDED)!;
    expect(conf).toContain('#clear Unattended-Upgrade::Origins-Pattern;');
    const origins = [...conf.matchAll(/^ {4}"(origin=[^"]+)";$/gm)].map((m) => m[1]);
    expect(origins).toEqual([
      'origin=Debian,codename=${distro_codename},label=Debian-Security',
      'origin=Debian,codename=${distro_codename}-security,label=Debian-Security',
    ]);
    expect(conf.indexOf('#clear')).toBeLessThan(conf.indexOf('Origins-Pattern {'));
    expect(conf).toContain('"kubeadm";');
    expect(conf).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });

  test('GIVEN Ubuntu nodes WHEN unattended-upgrades is configured THEN Ubuntu keeps its own security-only origins (no pattern of ours)', () => {
    expect(fileIn(cloudConfig(labWith(() => undefined), 'lab-cp-1'), UNATTENDED)).not.toContain('Origins-Pattern');
  });

  test('GIVEN Debian nodes WHEN packages are listed THEN the names are those of bookworm (same as noble) and the step log names Debian', () => {
    const cc = cloudConfig(debian(), 'lab-cp-1');
    expect(cc.packages).toEqual(['ca-certificates', 'curl', 'gpg', 'chrony', 'qemu-guest-agent', 'unattended-upgrades', 'containerd', 'conntrack', 'socat', 'ethtool', 'openssl', 'haproxy', 'keepalived']);
    expect(fileIn(cc, NODE_PATHS.bootstrapScript)).toContain('# Debian packages (cloud-init installed them already');
  });
});

describe('OS package mirror (sources.osPackages)', () => {
  test('GIVEN no OS mirror WHEN the cloud-config is rendered THEN the image keeps its sources (no apt section, no key file)', () => {
    const cc = cloudConfig(debian(), 'lab-worker-1');
    expect(cc.apt).toBeUndefined();
    expect(fileIn(cc, NODE_PATHS.osMirrorKey)).toBeUndefined();
  });

  test('GIVEN Debian and a signed mirror WHEN rendered THEN cloud-init replaces sources.list with one-line entries for the three suites, checked with the spec key', () => {
    const model = e2e();
    const cc = cloudConfig(model, 'e2e-worker-1');
    const apt = cc.apt as { preserve_sources_list: boolean; sources_list: string };
    expect(apt.preserve_sources_list).toBe(false);
    const entries = apt.sources_list.split('\n').filter((l) => l.startsWith('deb'));
    const signed = `deb [signed-by=${NODE_PATHS.osMirrorKey}] http://198.18.0.1:8080/debian`;
    expect(entries).toEqual([`${signed} bookworm main`, `${signed} bookworm-updates main`, `${signed} bookworm-security main`]);
    expect(fileIn(cc, NODE_PATHS.osMirrorKey)).toBe(KEY);
  });

  test('GIVEN Ubuntu and a mirror with a separate security URL and no key WHEN rendered THEN deb822 stanzas signed by the Ubuntu archive keyring', () => {
    const model = labWith((d) => { d.sources = { osPackages: { url: 'http://mirror.example.internal/ubuntu', securityUrl: 'http://mirror.example.internal/ubuntu-security' } }; });
    const cc = cloudConfig(model, 'lab-cp-1');
    const text = (cc.apt as { sources_list: string }).sources_list;
    const stanzas = text.split('\n\n').map((s) => Object.fromEntries(s.split('\n').filter((l) => /^\w[\w-]*: /.test(l)).map((l) => l.split(': ') as [string, string])));
    expect(stanzas).toEqual([
      { Types: 'deb', URIs: 'http://mirror.example.internal/ubuntu', Suites: 'noble noble-updates', Components: 'main restricted universe multiverse', 'Signed-By': '/usr/share/keyrings/ubuntu-archive-keyring.gpg' },
      { Types: 'deb', URIs: 'http://mirror.example.internal/ubuntu-security', Suites: 'noble-security', Components: 'main restricted universe multiverse', 'Signed-By': '/usr/share/keyrings/ubuntu-archive-keyring.gpg' },
    ]);
    expect(text).not.toMatch(/^deb /m);
  });
});

describe('Kubernetes package repository (sources.kubernetesPackages)', () => {
  test('GIVEN the default WHEN kube-packages runs THEN pkgs.k8s.io of the minor is used and its Release.key downloaded once', () => {
    const cc = cloudConfig(labWith(() => undefined), 'lab-worker-1');
    expect(fileIn(cc, NODE_PATHS.kubernetesAptSource)).toBe(`deb [signed-by=${NODE_PATHS.kubernetesAptKeyring}] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n`);
    expect(fileIn(cc, NODE_PATHS.bootstrapScript)).toContain("curl -fsSL -o /tmp/kubernetes-release.key 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key'");
  });

  test('GIVEN a mirror with its key WHEN kube-packages runs THEN the minor repository of the mirror is checked with the spec key, never a downloaded one', () => {
    const model = e2e();
    for (const name of ['e2e-cp-1', 'e2e-cp-2', 'e2e-worker-1', 'e2e-spare-1']) {
      const cc = cloudConfig(model, name);
      expect(fileIn(cc, NODE_PATHS.kubernetesAptSource)).toBe(`deb [signed-by=${NODE_PATHS.kubernetesAptSpecKey}] http://198.18.0.1:8080/kubernetes/v1.30/deb/ /\n`);
      expect(fileIn(cc, NODE_PATHS.kubernetesAptSpecKey)).toBe(KEY);
      const script = fileIn(cc, NODE_PATHS.bootstrapScript)!;
      expect(script).not.toContain('Release.key');
      expect(script).not.toContain('--dearmor');
      expect(script).toContain(`gpg --batch --show-keys --with-colons ${NODE_PATHS.kubernetesAptSpecKey}`);
    }
  });

  test('GIVEN a mirror WHEN the cluster is on Kubernetes 1.31 THEN the 1.31 repository of the mirror is used', () => {
    const model = labWith((d) => { d.kubernetes = { version: '1.31.4' }; d.sources = { kubernetesPackages: { baseUrl: 'http://mirror.example.internal/k8s', signingKey: KEY } }; });
    expect(fileIn(cloudConfig(model, 'lab-worker-1'), NODE_PATHS.kubernetesAptSource)).toContain(' http://mirror.example.internal/k8s/v1.31/deb/ /');
  });
});

describe('Helm and chart sources (sources.helm, sources.charts)', () => {
  test('GIVEN a Helm mirror and an HTTP chart repository WHEN the first control plane installs Cilium and Argo CD THEN both come from the mirrors', () => {
    const model = labWith((d) => { d.sources = { helm: { baseUrl: 'http://mirror.example.internal/helm' }, charts: { repository: 'https://charts.example.internal/stable' } }; });
    const script = fileIn(cloudConfig(model, 'lab-cp-1'), NODE_PATHS.bootstrapScript)!;
    expect(script).toContain(`curl -fsSL -o "$tmp/$tarball" 'http://mirror.example.internal/helm/'"$tarball"`);
    expect(script).not.toContain('get.helm.sh');
    expect(script).toContain("upgrade --install cilium cilium --repo 'https://charts.example.internal/stable' --version '1.18.12'");
    expect(script).toContain("upgrade --install argocd argo-cd --repo 'https://charts.example.internal/stable' --version");
    expect(script).not.toMatch(/helm\.cilium\.io|argoproj\.github\.io/);
  });

  test('GIVEN an OCI chart repository WHEN Cilium is installed THEN the chart is referenced as oci://<repository>/<chart>', () => {
    const model = labWith((d) => { d.sources = { charts: { repository: 'oci://registry.example.internal/charts' } }; });
    expect(fileIn(cloudConfig(model, 'lab-cp-1'), NODE_PATHS.bootstrapScript)).toContain("upgrade --install cilium 'oci://registry.example.internal/charts/cilium' --version '1.18.12'");
  });
});

describe('CNI choice (addons.cni)', () => {
  test('GIVEN cni cilium (default) WHEN kubeadm init is configured THEN kube-proxy is skipped and Cilium is installed and waited for', () => {
    const model = labWith(() => undefined);
    const init = docs(renderKubeadmInitConfig(model, node(model, 'lab-cp-1'), FAKE_SECRETS))[0]!;
    expect(init.skipPhases).toEqual(['addon/kube-proxy']);
    expect(stepNames(model, 'lab-cp-1').slice(-4)).toEqual(['helm', 'cilium', 'node-ready', 'gitops']);
    expect(fileIn(cloudConfig(model, 'lab-cp-1'), NODE_PATHS.ciliumValues)).toBeDefined();
  });

  test('GIVEN cni none and no GitOps engine WHEN the first control plane boots THEN kube-proxy runs and nothing after kubectl-access needs Helm, Cilium or a Ready node', () => {
    const model = e2e();
    const init = docs(renderKubeadmInitConfig(model, node(model, 'e2e-cp-1'), FAKE_SECRETS))[0]!;
    expect(init.kind).toBe('InitConfiguration');
    expect(init.skipPhases).toBeUndefined();
    expect(stepNames(model, 'e2e-cp-1')).toEqual(['swap-off', 'kernel', 'base-packages', 'services', 'kube-packages', 'containerd', 'load-balancer', 'cluster-check', 'kubeadm-init', 'keep-join-certs', 'etcd-forget-self', 'kubeadm-join', 'kubelet-csr-approver', 'kubectl-access', 'certs-renewal']);
    const cc = cloudConfig(model, 'e2e-cp-1');
    expect(fileIn(cc, NODE_PATHS.ciliumValues)).toBeUndefined();
    expect(fileIn(cc, NODE_PATHS.bootstrapScript)).not.toMatch(/cilium|helm/i);
    // The kubelet config does not depend on the CNI.
    expect(docs(renderKubeadmInitConfig(model, node(model, 'e2e-cp-1'), FAKE_SECRETS))[2]).toEqual(kubeletConfiguration());
  });

  test('GIVEN cni none and Argo CD WHEN the first control plane boots THEN Helm installs Argo CD without Cilium or a Ready wait', () => {
    const model = cniNone({ engine: 'argocd' });
    expect(stepNames(model, 'lab-cp-1').slice(-4)).toEqual(['kubectl-access', 'certs-renewal', 'helm', 'gitops']);
  });

  test('GIVEN cni none and Flux WHEN the first control plane boots THEN neither Helm nor Cilium is installed', () => {
    const model = cniNone({ engine: 'flux' });
    expect(stepNames(model, 'lab-cp-1').slice(-3)).toEqual(['kubectl-access', 'certs-renewal', 'gitops']);
  });
});

describe('the e2e spec (test/e2e/cluster/e2e.yaml)', () => {
  test('GIVEN the e2e spec WHEN it is loaded THEN every address is inside 198.18.0.0/15 and the nodes are 3 control planes, a worker and a spare worker', () => {
    const model = e2e();
    const inTestNet = (ip: string) => /^198\.1[89]\./.test(ip);
    const n = model.network;
    for (const ip of [n.vip, n.gateway, n.metallb.start, n.metallb.end, n.podCidr, n.serviceCidr, ...n.dns, ...model.nodes.map((x) => x.ip)]) expect(inTestNet(ip)).toBe(true);
    expect(model.nodes.map((x) => `${x.name}=${x.ip}`)).toEqual(['e2e-cp-1=198.18.0.11', 'e2e-cp-2=198.18.0.12', 'e2e-cp-3=198.18.0.13', 'e2e-worker-1=198.18.0.21', 'e2e-spare-1=198.18.0.31']);
    expect(model.loadBalancer.mode).toBe('colocated');
    expect([model.os.id, model.cni, model.gitops.engine]).toEqual(['debian-12', 'none', 'none']);
  });

  test('GIVEN the e2e spec WHEN every node is rendered THEN every URL in its cloud-config is a 198.18.0.0/15 address (besides bind-all, loopback and the registry fallback)', () => {
    const model = e2e();
    for (const n of model.nodes) {
      const cc = cloudConfig(model, n.name);
      const urls = JSON.stringify(cc).match(/https?:\/\/[^\s"'\\,]+/g) ?? [];
      expect(urls.length).toBeGreaterThan(2);
      // registry.k8s.io, registry-1.docker.io: containerd's upstreams after the mirror (hosts.toml "server"), never reached while the mirror answers.
      // 127.0.0.1: the node's own loopback (health checks). https://$1/...: a shell function's argument (the peers listed next to its call, checked by this filter too).
      const outside = urls.filter((u) => !/^198\.1[89]\.|^0\.0\.0\.0$|^127\.0\.0\.1$|^registry\.k8s\.io$|^registry-1\.docker\.io$|^\$\d$/.test(new URL(u).hostname));
      expect([n.name, outside]).toEqual([n.name, []]);
      expect(fileIn(cc, '/etc/containerd/certs.d/registry.k8s.io/hosts.toml')).toContain('[host."http://198.18.0.1:5000"]');
    }
  });
});
