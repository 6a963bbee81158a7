import {
  NODE_PATHS, renderKubeadmConfig, renderKubeadmInitConfig, renderKubeadmPatches, BOOTSTRAP_TOKEN_TTL, renderEncryptionConfig, renderAuditPolicy, KUBELET_SERVING_CERTS,
  renderAdmissionConfig, podSecurityExemptNamespaces,
} from '../../cloud-init';
import { render as renderManifests } from '../manifests/helpers';
import * as yaml from 'js-yaml';
import { cloudConfig, dev, docs, FAKE_SECRETS, lab, labDedicated, labOnMinor, labWith, labWithoutWorkers, node } from './helpers';
import { manifestFacts } from '../../manifests';

const kinds = (text: string) => docs(text).map((d) => d.kind);
const doc = (text: string, kind: string) => docs(text).find((d) => d.kind === kind)!;
const initOf = (m = lab()) => renderKubeadmInitConfig(m, node(m, `${m.name}-cp-1`), FAKE_SECRETS);

describe('kubeadm config', () => {
  test('first control plane gets Init, Cluster and Kubelet configuration', () => {
    expect(kinds(initOf())).toEqual(['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration']);
  });

  test('GIVEN the first control plane WHEN it renders THEN it also has a control-plane JoinConfiguration (used when a cluster exists)', () => {
    const m = lab();
    const join = docs(renderKubeadmConfig(m, node(m, 'lab-cp-1'), FAKE_SECRETS));
    expect(kinds(renderKubeadmConfig(m, node(m, 'lab-cp-1'), FAKE_SECRETS))).toEqual(['JoinConfiguration']);
    expect(join[0]!.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.20.0.11', bindPort: 6443 }, certificateKey: FAKE_SECRETS.certificateKey });
    expect(join[0]!.discovery.bootstrapToken.apiServerEndpoint).toBe(m.network.controlPlaneEndpoint);
  });

  test('only the first control plane has an init configuration', () => {
    const m = lab();
    expect(() => renderKubeadmInitConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS)).toThrow(/only the first control plane/);
    expect(() => renderKubeadmInitConfig(m, node(m, 'lab-worker-1'), FAKE_SECRETS)).toThrow(/only the first control plane/);
  });

  test('GIVEN day 1 WHEN kubeadm init creates the bootstrap token THEN it never expires, so nodes added any time later join', () => {
    expect(BOOTSTRAP_TOKEN_TTL).toBe('0s');
    expect(doc(initOf(), 'InitConfiguration').bootstrapTokens[0].ttl).toBe('0s');
  });

  test('other control planes and workers get a JoinConfiguration only', () => {
    const m = lab();
    expect(kinds(renderKubeadmConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS))).toEqual(['JoinConfiguration']);
    expect(kinds(renderKubeadmConfig(m, node(m, 'lab-worker-1'), FAKE_SECRETS))).toEqual(['JoinConfiguration']);
  });

  test('load balancers have no kubeadm config', () => {
    const m = lab();
    expect(() => renderKubeadmConfig(m, { ...m.controlPlanes[0]!, role: 'load-balancer' }, FAKE_SECRETS)).toThrow(/do not run kubeadm/);
  });

  test('uses kubeadm v1beta3 for Kubernetes 1.30 with extraArgs as a map', () => {
    const text = initOf(labOnMinor('1.30.3'));
    expect(new Set(docs(text).slice(0, 2).map((d) => d.apiVersion))).toEqual(new Set(['kubeadm.k8s.io/v1beta3']));
    expect(doc(text, 'ClusterConfiguration').apiServer.extraArgs.profiling).toBe('false');
    expect(doc(text, 'InitConfiguration').nodeRegistration.kubeletExtraArgs).toEqual({ 'node-ip': '10.20.0.11' });
  });

  test.each(['1.31.4', '1.32.2'])('uses kubeadm v1beta4 from Kubernetes 1.31 (%s), extraArgs as name/value lists', (version) => {
    const m = labOnMinor(version);
    const text = initOf(m);
    expect(docs(text).slice(0, 2).map((d) => d.apiVersion)).toEqual(['kubeadm.k8s.io/v1beta4', 'kubeadm.k8s.io/v1beta4']);
    const cluster = doc(text, 'ClusterConfiguration');
    expect(cluster.apiServer.extraArgs).toContainEqual({ name: 'profiling', value: 'false' });
    expect(cluster.controllerManager.extraArgs).toContainEqual({ name: 'bind-address', value: '0.0.0.0' });
    expect(cluster.apiServer.timeoutForControlPlane).toBeUndefined();
    expect(doc(text, 'InitConfiguration').nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.20.0.11' }]);
    const join = docs(renderKubeadmConfig(m, node(m, 'lab-worker-1'), FAKE_SECRETS))[0]!;
    expect(join.discovery.timeout).toBeUndefined();
    expect(join.timeouts.discovery).toBe('10m0s');
  });

  test('pins kubernetesVersion to the exact patch', () => {
    expect(doc(initOf(labOnMinor('1.32.2')), 'ClusterConfiguration').kubernetesVersion).toBe('v1.32.2');
  });

  test('controlPlaneEndpoint, subnets and cluster domain come from the model', () => {
    const m = lab();
    const c = doc(initOf(m), 'ClusterConfiguration');
    expect(c.controlPlaneEndpoint).toBe(m.network.controlPlaneEndpoint);
    expect(c.networking).toEqual({ dnsDomain: 'cluster.local', podSubnet: m.network.podCidr, serviceSubnet: m.network.serviceCidr });
  });

  test('API server certificate SANs hold the VIP, API hostname, every control-plane IP and the kubernetes Service IP', () => {
    const m = lab();
    expect(doc(initOf(m), 'ClusterConfiguration').apiServer.certSANs).toEqual(
      ['10.20.0.10', 'api.lab.example.internal', '10.20.0.11', '10.20.0.12', '10.20.0.13', '10.96.0.1'],
    );
  });

  test('audit logging with rotation and Secrets encryption at rest are wired into the API server', () => {
    const api = doc(initOf(), 'ClusterConfiguration').apiServer;
    expect(api.extraArgs).toMatchObject({
      'audit-policy-file': NODE_PATHS.auditPolicy,
      'audit-log-path': `${NODE_PATHS.auditLogDir}/audit.log`,
      'audit-log-maxbackup': '10',
      'audit-log-maxsize': '100',
      'encryption-provider-config': NODE_PATHS.encryptionConfig,
      'admission-control-config-file': NODE_PATHS.admissionConfig,
    });
    const mounts = api.extraVolumes.map((v: { mountPath: string }) => v.mountPath);
    expect(mounts).toEqual([NODE_PATHS.auditPolicyDir, NODE_PATHS.auditLogDir, NODE_PATHS.encryptionDir, NODE_PATHS.admissionDir]);
    for (const p of [NODE_PATHS.auditPolicy, NODE_PATHS.encryptionConfig, NODE_PATHS.admissionConfig]) expect(mounts.some((d: string) => p.startsWith(`${d}/`))).toBe(true);
    expect(api.extraVolumes.find((v: { mountPath: string }) => v.mountPath === NODE_PATHS.admissionDir).readOnly).toBe(true);
  });

  test('GIVEN a control plane WHEN kube-apiserver starts THEN PodSecurity reads the AdmissionConfiguration cloud-init writes (0600)', () => {
    const m = lab();
    const c = cloudConfig(m, 'lab-cp-2');
    expect(c.write_files.find((f: { path: string }) => f.path === NODE_PATHS.admissionConfig)).toMatchObject({ permissions: '0600', content: renderAdmissionConfig(m, manifestFacts(m)) });
    expect(doc(initOf(m), 'ClusterConfiguration').apiServer.extraArgs['enable-admission-plugins'].split(',')).toContain('PodSecurity');
    expect(cloudConfig(m, 'lab-worker-1').write_files.map((f: { path: string }) => f.path)).not.toContain(NODE_PATHS.admissionConfig);
  });

  test('GIVEN tenants in the spec THEN kube-apiserver enables AlwaysPullImages (CIS 1.2.11); GIVEN none THEN it stays off', () => {
    const plugins = (m: ReturnType<typeof lab>) => doc(initOf(m), 'ClusterConfiguration').apiServer.extraArgs['enable-admission-plugins'].split(',');
    expect(plugins(lab())).not.toContain('AlwaysPullImages');
    const tenants = labWith((d) => { d.addons = { ...(d.addons ?? {}), tenants: [{ name: 'team-a' }] }; });
    expect(plugins(tenants)).toEqual(expect.arrayContaining(['AlwaysPullImages', 'PodSecurity', 'NodeRestriction']));
  });

  test('GIVEN an unlabelled namespace THEN the Pod Security default enforces baseline and audits and warns restricted, at the cluster minor', () => {
    const cfg = yaml.load(renderAdmissionConfig(lab(), manifestFacts(lab()))) as any;
    expect(cfg).toMatchObject({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration' });
    expect(cfg.plugins).toHaveLength(1);
    expect(cfg.plugins[0].name).toBe('PodSecurity');
    expect(cfg.plugins[0].configuration.defaults).toEqual({
      enforce: 'baseline', 'enforce-version': 'v1.30', audit: 'restricted', 'audit-version': 'v1.30', warn: 'restricted', 'warn-version': 'v1.30',
    });
    expect(cfg.plugins[0].configuration.exemptions.usernames).toEqual([]);
    expect(cfg.plugins[0].configuration.exemptions.runtimeClasses).toEqual([]);
  });

  test('GIVEN the add-ons WHEN exemptions are derived THEN they are kube-system and exactly the namespaces the security baseline labels privileged', () => {
    for (const m of [lab(), dev(), labDedicated()]) {
      const exempt = (yaml.load(renderAdmissionConfig(m, manifestFacts(m))) as any).plugins[0].configuration.exemptions.namespaces;
      const privileged = renderManifests(m).objects
        .filter((o) => o.obj.kind === 'Namespace' && o.obj.metadata.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged')
        .map((o) => o.obj.metadata.name);
      expect(privileged.length).toBeGreaterThan(0);
      expect(exempt).toEqual(['kube-system', ...privileged].sort());
    }
  });

  test('GIVEN an add-on switched off WHEN exemptions are derived THEN its namespace is no longer exempt', () => {
    const without = podSecurityExemptNamespaces(manifestFacts(labWith((d) => { d.addons.monitoring = { enabled: false }; })));
    expect(podSecurityExemptNamespaces(manifestFacts(lab()))).toContain('monitoring-node');
    expect(without).not.toContain('monitoring-node');
    expect(without).toContain('kube-system');
  });

  test('encryption at rest uses secretbox with the given key, identity last', () => {
    const cfg = yaml.load(renderEncryptionConfig(FAKE_SECRETS)) as any;
    expect(cfg.kind).toBe('EncryptionConfiguration');
    expect(cfg.resources[0].resources).toEqual(['secrets']);
    expect(cfg.resources[0].providers[0].secretbox.keys[0].secret).toBe(FAKE_SECRETS.encryptionKey);
    expect(cfg.resources[0].providers.at(-1)).toEqual({ identity: {} });
  });

  test('audit policy keeps Secret bodies out of the log', () => {
    const policy = yaml.load(renderAuditPolicy()) as any;
    const secretsRule = policy.rules.find((r: any) => r.resources?.some((g: any) => g.resources.includes('secrets')));
    expect(secretsRule.level).toBe('Metadata');
    expect(policy.rules.indexOf(secretsRule)).toBeLessThan(policy.rules.findIndex((r: any) => r.level === 'Request'));
  });

  test('GIVEN the audit policy THEN RBAC changes are logged with request and response, before the generic write rule', () => {
    const policy = yaml.load(renderAuditPolicy()) as any;
    const rbac = policy.rules.findIndex((r: any) => r.resources?.some((g: any) => g.group === 'rbac.authorization.k8s.io'));
    expect(policy.rules[rbac].level).toBe('RequestResponse');
    expect(policy.rules[rbac].verbs).toEqual(expect.arrayContaining(['create', 'update', 'patch', 'delete']));
    expect(rbac).toBeLessThan(policy.rules.findIndex((r: any) => r.level === 'Request'));
  });

  test('GIVEN the audit policy THEN health endpoints and the control plane components\' reads are not logged, their writes are', () => {
    const policy = yaml.load(renderAuditPolicy()) as any;
    expect(policy.rules[0]).toMatchObject({ level: 'None', nonResourceURLs: expect.arrayContaining(['/healthz*', '/livez*', '/readyz*']) });
    const components = policy.rules.find((r: any) => r.users?.includes('system:kube-controller-manager'));
    expect(components).toMatchObject({ level: 'None', verbs: ['get', 'list', 'watch'] });
  });

  test('profiling is off for API server, controller-manager and scheduler', () => {
    const c = doc(initOf(), 'ClusterConfiguration');
    expect([c.apiServer, c.controllerManager, c.scheduler].map((x) => x.extraArgs.profiling)).toEqual(['false', 'false', 'false']);
  });

  test('controller-manager and scheduler metrics (authenticated HTTPS) listen where monitoring can scrape them', () => {
    const c = doc(initOf(), 'ClusterConfiguration');
    expect(c.controllerManager.extraArgs['bind-address']).toBe('0.0.0.0');
    expect(c.scheduler.extraArgs['bind-address']).toBe('0.0.0.0');
  });

  test('GIVEN the shared ClusterConfiguration THEN it sets no etcd metrics listener (kubeadm keeps 127.0.0.1:2381 for its probes; the node IP comes from a per-node patch)', () => {
    for (const m of [lab(), labOnMinor('1.31.4')]) {
      expect(doc(initOf(m), 'ClusterConfiguration').etcd).toEqual({ local: { dataDir: '/var/lib/etcd' } });
    }
  });

  test('kube-proxy is skipped (Cilium replaces it)', () => {
    expect(doc(initOf(), 'InitConfiguration').skipPhases).toEqual(['addon/kube-proxy']);
  });

  test('kubelet: systemd cgroups, no read-only port, certificate rotation, serving-cert choice exported', () => {
    expect(doc(initOf(), 'KubeletConfiguration')).toMatchObject({
      cgroupDriver: 'systemd',
      readOnlyPort: 0,
      rotateCertificates: true,
      serverTLSBootstrap: KUBELET_SERVING_CERTS.serverTLSBootstrap,
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true } },
      authorization: { mode: 'Webhook' },
    });
  });

  test.each(['1.30.3', '1.31.4'])('GIVEN Kubernetes %s THEN kubelets ask for CA-signed serving certificates and kube-apiserver verifies them with the cluster CA (CIS 1.2.5)', (version) => {
    const m = labOnMinor(version);
    const init = renderKubeadmInitConfig(m, m.controlPlanes[0]!, FAKE_SECRETS);
    expect(doc(init, 'KubeletConfiguration').serverTLSBootstrap).toBe(true);
    const args = doc(init, 'ClusterConfiguration').apiServer.extraArgs;
    const ca = Array.isArray(args) ? args.find((a: { name: string }) => a.name === 'kubelet-certificate-authority')?.value : args['kubelet-certificate-authority'];
    expect(ca).toBe('/etc/kubernetes/pki/ca.crt');
  });

  test('kube-apiserver binds its node IP (HAProxy owns VIP:apiPort) and etcd serves metrics on loopback and its node IP only, via per-node kubeadm patches', () => {
    const m = lab();
    for (const cp of m.controlPlanes) {
      const patches = renderKubeadmPatches(m, cp);
      expect(Object.keys(patches)).toEqual(['kube-apiserver0+json.yaml', 'etcd0+json.yaml']);
      expect(yaml.load(patches['kube-apiserver0+json.yaml']!)).toEqual([
        { op: 'add', path: '/spec/containers/0/command/-', value: `--bind-address=${cp.ip}` },
      ]);
      expect(yaml.load(patches['etcd0+json.yaml']!)).toEqual([
        { op: 'add', path: '/spec/containers/0/command/-', value: `--listen-metrics-urls=http://127.0.0.1:2381,http://${cp.ip}:2381` },
      ]);
      expect(patches['etcd0+json.yaml']).not.toContain('0.0.0.0');
    }
    expect(doc(initOf(m), 'InitConfiguration').patches).toEqual({ directory: NODE_PATHS.kubeadmPatches });
    expect(docs(renderKubeadmConfig(m, node(m, 'lab-cp-3'), FAKE_SECRETS))[0]!.patches).toEqual({ directory: NODE_PATHS.kubeadmPatches });
    expect(renderKubeadmPatches(m, node(m, 'lab-worker-1'))).toEqual({});
  });

  test('each control plane advertises and serves on its own IP at apiServerPort', () => {
    const m = lab();
    expect(doc(initOf(m), 'InitConfiguration').localAPIEndpoint).toEqual({ advertiseAddress: '10.20.0.11', bindPort: 6443 });
    const join = docs(renderKubeadmConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS))[0]!;
    expect(join.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.20.0.12', bindPort: 6443 }, certificateKey: FAKE_SECRETS.certificateKey });
  });

  test('init carries the bootstrap token and certificate key; joins discover through the VIP', () => {
    const m = lab();
    const init = doc(initOf(m), 'InitConfiguration');
    expect(init.bootstrapTokens[0].token).toBe(FAKE_SECRETS.bootstrapToken);
    expect(init.certificateKey).toBe(FAKE_SECRETS.certificateKey);
    const join = docs(renderKubeadmConfig(m, node(m, 'lab-worker-2'), FAKE_SECRETS))[0]!;
    expect(join.discovery.bootstrapToken).toMatchObject({ apiServerEndpoint: '10.20.0.10:6443', token: FAKE_SECRETS.bootstrapToken });
    expect(join.controlPlane).toBeUndefined();
  });

  test('secrets stay strings even when they look like numbers', () => {
    const m = lab();
    const numeric = { ...FAKE_SECRETS, bootstrapToken: '123456.1234567890123456', certificateKey: '1'.repeat(64) };
    const init = doc(renderKubeadmInitConfig(m, node(m, 'lab-cp-1'), numeric), 'InitConfiguration');
    expect(init.bootstrapTokens[0].token).toBe('123456.1234567890123456');
    expect(init.certificateKey).toBe('1'.repeat(64));
  });

  test('control planes keep their NoSchedule taint when there are workers', () => {
    expect(doc(initOf(dev()), 'InitConfiguration').nodeRegistration.taints).toBeUndefined();
  });

  test('with no workers, control planes register without taints (schedulable)', () => {
    const m = labWithoutWorkers();
    expect(doc(initOf(m), 'InitConfiguration').nodeRegistration.taints).toEqual([]);
    expect(docs(renderKubeadmConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS))[0]!.nodeRegistration.taints).toEqual([]);
  });

  test('GIVEN co-located HAProxy on VIP:6443 WHEN kubeadm runs its preflight on a control plane THEN only the Port-6443 check is ignored (the API server binds the node IP)', () => {
    const m = lab();
    expect(doc(initOf(m), 'InitConfiguration').nodeRegistration.ignorePreflightErrors).toEqual(['Port-6443']);
    for (const name of ['lab-cp-1', 'lab-cp-2']) {
      expect(docs(renderKubeadmConfig(m, node(m, name), FAKE_SECRETS))[0]!.nodeRegistration.ignorePreflightErrors).toEqual(['Port-6443']);
    }
    expect(docs(renderKubeadmConfig(m, node(m, 'lab-worker-1'), FAKE_SECRETS))[0]!.nodeRegistration.ignorePreflightErrors).toBeUndefined();
  });

  test('GIVEN dedicated load balancers WHEN control planes render THEN no preflight check is ignored', () => {
    const m = labDedicated();
    expect(doc(initOf(m), 'InitConfiguration').nodeRegistration.ignorePreflightErrors).toBeUndefined();
    expect(docs(renderKubeadmConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS))[0]!.nodeRegistration.ignorePreflightErrors).toBeUndefined();
  });

  test('worker pool labels are applied by the kubelet at registration', () => {
    const m = labOnMinor('1.30.3');
    const labelled = { ...node(m, 'lab-worker-1'), labels: { 'pool': 'gpu', 'tier': 'batch' } };
    const join = docs(renderKubeadmConfig(m, labelled, FAKE_SECRETS))[0]!;
    expect(join.nodeRegistration.kubeletExtraArgs).toEqual({ 'node-ip': '10.20.0.21', 'node-labels': 'pool=gpu,tier=batch' });
  });
});
