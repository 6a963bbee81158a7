import { NODE_PATHS, renderContainerdConfig, renderCrictlConfig } from '../../cloud-init';
import { cloudConfig, dev, fileIn, lab, labDedicated, labOnMinor, labWith } from './helpers';

describe('node operating system and runtime', () => {
  test('Kubernetes nodes load overlay and br_netfilter and enable forwarding and bridge netfilter', () => {
    const cc = cloudConfig(lab(), 'lab-worker-1');
    expect(fileIn(cc, '/etc/modules-load.d/pve-k8s.conf')).toMatch(/^overlay\nbr_netfilter\n$/m);
    const sysctl = fileIn(cc, '/etc/sysctl.d/90-pve-k8s.conf')!;
    for (const key of ['net.bridge.bridge-nf-call-iptables = 1', 'net.bridge.bridge-nf-call-ip6tables = 1', 'net.ipv4.ip_forward = 1']) {
      expect(sysctl).toContain(key);
    }
    expect(sysctl).not.toContain('ip_nonlocal_bind');
  });

  test('swap is turned off on Kubernetes nodes', () => {
    expect(fileIn(cloudConfig(lab(), 'lab-worker-1'), NODE_PATHS.bootstrapScript)).toContain('swapoff -a');
  });

  test('time sync (chrony), QEMU guest agent and unattended security upgrades are on', () => {
    const cc = cloudConfig(dev(), 'dev-worker-1');
    expect(cc.ntp).toEqual({ enabled: true, ntp_client: 'chrony' });
    expect(cc.packages).toEqual(expect.arrayContaining(['chrony', 'qemu-guest-agent', 'unattended-upgrades']));
    expect(fileIn(cc, '/etc/apt/apt.conf.d/20auto-upgrades')).toContain('APT::Periodic::Unattended-Upgrade "1";');
  });

  test('GIVEN network.ntp WHEN a node is rendered THEN chrony uses exactly those servers (cloud-init ntp.servers), on every role', () => {
    const model = labWith((d) => { d.network.ntp = ['ntp1.lab.example.internal', '10.20.0.2']; });
    for (const name of ['lab-cp-1', 'lab-cp-2', 'lab-worker-1']) {
      expect(cloudConfig(model, name).ntp).toEqual({ enabled: true, ntp_client: 'chrony', servers: ['ntp1.lab.example.internal', '10.20.0.2'] });
    }
    expect(cloudConfig(lab(), 'lab-cp-1').ntp).not.toHaveProperty('servers');
  });

  test('unattended upgrades never touch the Kubernetes packages and never reboot', () => {
    const conf = fileIn(cloudConfig(lab(), 'lab-cp-1'), '/etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades')!;
    for (const p of ['kubeadm', 'kubelet', 'kubectl']) expect(conf).toContain(`"${p}";`);
    expect(conf).toContain('Unattended-Upgrade::Automatic-Reboot "false";');
  });

  test.each([
    ['ubuntu-24.04', 'noble', '1.7'],
    ['debian-12', 'bookworm', '1.6'],
  ])('GIVEN nodeOs %s WHEN a Kubernetes node is rendered THEN apt preferences, written before the packages install, keep containerd in %s\'s %s series and refuse every other version', (os, codename, series) => {
    const model = labWith((d) => { d.nodeOs = os; });
    expect(model.os.containerdSeries).toBe(series);
    for (const name of ['lab-cp-1', 'lab-worker-1']) {
      const cc = cloudConfig(model, name);
      const entry = cc.write_files.find((f: { path: string }) => f.path === NODE_PATHS.containerdAptPreferences)!;
      expect(entry).toBeDefined();
      expect(entry.defer).toBeUndefined(); // init stage: before cloud-init's final-stage package install
      expect(NODE_PATHS.containerdAptPreferences).toMatch(/^\/etc\/apt\/preferences\.d\/[A-Za-z0-9_.-]+\.pref$/);
      const stanzas = (entry.content as string).split('\n\n').map((s) => s.split('\n').filter((l) => !l.startsWith('#')));
      expect(stanzas).toEqual([
        ['Package: containerd', `Pin: version ${series}.*`, 'Pin-Priority: 1001'],
        ['Package: containerd', 'Pin: version *', 'Pin-Priority: -1', ''],
      ]);
      expect(entry.content).toContain(codename);
      // Security updates still reach containerd: not on the unattended-upgrades blacklist.
      expect(fileIn(cc, '/etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades')).not.toContain('"containerd"');
    }
  });

  test('GIVEN dedicated load balancers WHEN one is rendered THEN it gets no containerd and no containerd preferences', () => {
    const cc = cloudConfig(labDedicated(), 'lab-lb-1');
    expect(cc.packages).not.toContain('containerd');
    expect(fileIn(cc, NODE_PATHS.containerdAptPreferences)).toBeUndefined();
  });

  test('containerd comes from Ubuntu and uses the systemd cgroup driver', () => {
    expect(cloudConfig(lab(), 'lab-worker-1').packages).toContain('containerd');
    expect(renderContainerdConfig(lab())).toMatch(/^ {2}SystemdCgroup = true$/m);
  });

  test.each([
    ['1.30.3', 'registry.k8s.io/pause:3.9'],
    ['1.31.4', 'registry.k8s.io/pause:3.10'],
    ['1.32.2', 'registry.k8s.io/pause:3.10'],
  ])('containerd sandbox image matches kubeadm %s (%s)', (version, pause) => {
    expect(renderContainerdConfig(labOnMinor(version))).toContain(`sandbox_image = "${pause}"`);
  });

  test('crictl talks to containerd', () => {
    expect(renderCrictlConfig()).toContain('runtime-endpoint: unix:///run/containerd/containerd.sock');
  });

  test.each([['1.31.4', 'v1.31', '1.31.4-1.1', '1.31.1-1.1'], ['1.32.2', 'v1.32', '1.32.2-1.1', '1.32.0-1.1']])(
    'Kubernetes %s packages come from the %s repository, pinned',
    (version, repo, pkg, cri) => {
      const cc = cloudConfig(labOnMinor(version), 'lab-worker-1');
      expect(fileIn(cc, NODE_PATHS.kubernetesAptSource)).toContain(`https://pkgs.k8s.io/core:/stable:/${repo}/deb/ /`);
      expect(fileIn(cc, NODE_PATHS.bootstrapScript)).toContain(`kubeadm=${pkg}`);
      expect(fileIn(cc, NODE_PATHS.bootstrapScript)).toContain(`cri-tools=${cri}`);
    },
  );

  test('a dedicated load balancer gets no Kubernetes modules, runtime or packages, but non-local bind', () => {
    const cc = cloudConfig(labDedicated(), 'lab-lb-1');
    expect(fileIn(cc, '/etc/modules-load.d/pve-k8s.conf')).toBeUndefined();
    expect(fileIn(cc, NODE_PATHS.containerdConfig)).toBeUndefined();
    expect(fileIn(cc, '/etc/sysctl.d/90-pve-k8s.conf')).toContain('net.ipv4.ip_nonlocal_bind = 1');
  });
});
