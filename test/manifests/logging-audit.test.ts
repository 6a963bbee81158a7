/** API audit log shipping (issue 13): the logging add-on tails kube-apiserver's audit log on every control plane and pushes it to Loki. */
import * as yaml from 'js-yaml';
import { API_AUDIT_LOG } from '../../facts';
import { podSecurityExemptNamespaces, renderKubeadmInitConfig } from '../../cloud-init';
import { manifestFacts } from '../../manifests';
import { LOKI_PORT } from '../../manifests/addons/logging';
import { alloyAuditConfig, AUDIT_LOG_JOB, AUDIT_SHIPPER_NAMESPACE, AUDIT_SHIPPER_PODS, AUDIT_SHIPPER_RELEASE, AUDIT_SHIPPER_STATE_DIR } from '../../manifests/addons/logging-audit';
import { FAKE_SECRETS, node } from '../cloud-init/helpers';
import { labModel, render, type K8sObject } from './helpers';

const lab = labModel();
const out = render(lab);
const objs = out.objects.map((o) => o.obj);
const app = objs.find((o) => o.kind === 'Application' && o.metadata.name === AUDIT_SHIPPER_RELEASE) as K8sObject;
const values = app.spec.source.helm.valuesObject;
const policies = (ns: string) => objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);
const PUSH = 'http://loki.logging.svc.cluster.local:3100/loki/api/v1/push';

describe('GIVEN clusters/lab.yaml (logging on) WHEN its manifests are rendered', () => {
  it('THEN the audit shipper is an Alloy DaemonSet of the pinned chart in its own namespace, after Loki', () => {
    expect(app.spec.source).toMatchObject({ chart: 'alloy', targetRevision: out.platform.versions.charts.alloy.version });
    expect(app.spec.destination.namespace).toBe(AUDIT_SHIPPER_NAMESPACE);
    expect(out.platform.release(AUDIT_SHIPPER_RELEASE)!.dependsOn).toEqual(['loki']);
    expect(values.controller.type).toBe('daemonset');
  });

  it('THEN it runs on control planes only, tolerating their NoSchedule taint', () => {
    expect(values.controller.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(values.controller.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  it('THEN it tails the exact file kube-apiserver writes (kubeadm flag and volume) through a read-only hostPath', () => {
    const m = lab;
    const cluster = yaml.loadAll(renderKubeadmInitConfig(m, node(m, `${m.name}-cp-1`), FAKE_SECRETS)).find((d: any) => d.kind === 'ClusterConfiguration') as any;
    const flag = (name: string) => {
      const args = cluster.apiServer.extraArgs;
      return Array.isArray(args) ? args.find((a: any) => a.name === name)?.value : args[name];
    };
    expect(flag('audit-log-path')).toBe(API_AUDIT_LOG.path);
    const apiVolume = cluster.apiServer.extraVolumes.find((v: any) => v.name === 'audit-log');
    expect(apiVolume.hostPath).toBe(API_AUDIT_LOG.dir);
    expect(API_AUDIT_LOG.path).toBe(`${API_AUDIT_LOG.dir}/${API_AUDIT_LOG.file}`);

    const config: string = values.alloy.configMap.content;
    expect(config).toContain(`"__path__" = "${API_AUDIT_LOG.path}"`);
    const hostVolume = values.controller.volumes.extra.find((v: any) => v.hostPath.path === apiVolume.hostPath);
    expect(hostVolume).toBeDefined();
    expect(values.alloy.mounts.extra.find((mnt: any) => mnt.name === hostVolume.name)).toEqual({ name: hostVolume.name, mountPath: API_AUDIT_LOG.dir, readOnly: true });
  });

  it('THEN its read positions live on the node (hostPath = Alloy storage path), the only writable host folder', () => {
    const writable = values.alloy.mounts.extra.filter((mnt: any) => !mnt.readOnly);
    expect(writable).toEqual([{ name: 'alloy-state', mountPath: AUDIT_SHIPPER_STATE_DIR }]);
    expect(values.controller.volumes.extra.find((v: any) => v.name === 'alloy-state').hostPath).toEqual({ path: AUDIT_SHIPPER_STATE_DIR, type: 'DirectoryOrCreate' });
    expect(values.alloy.storagePath).toBe(AUDIT_SHIPPER_STATE_DIR);
  });

  it('THEN the container is root with no capability, no escalation, a read-only root filesystem and RuntimeDefault seccomp', () => {
    expect(values.alloy.securityContext).toEqual({
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.global.podSecurityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('THEN it creates no RBAC, CRD or Service and starts no config reloader (it reads no Kubernetes API)', () => {
    expect([values.rbac.create, values.crds.create, values.service.enabled, values.configReloader.enabled]).toEqual([false, false, false, false]);
  });

  it('THEN its namespace is privileged with a reason, exempt in the AdmissionConfiguration and in the platform AppProject only', () => {
    const ns = objs.find((o) => o.kind === 'Namespace' && o.metadata.name === AUDIT_SHIPPER_NAMESPACE)!;
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations!['platform.pve-k8s.io/pod-security-reason']).toContain(API_AUDIT_LOG.dir);
    expect(podSecurityExemptNamespaces(manifestFacts(lab))).toContain(AUDIT_SHIPPER_NAMESPACE);
    const project = (name: string) => objs.find((o) => o.kind === 'AppProject' && o.metadata.name === name)!;
    expect(project('platform').spec.destinations.map((d: any) => d.namespace)).toContain(AUDIT_SHIPPER_NAMESPACE);
    expect(project('apps').spec.destinations.map((d: any) => d.namespace)).toContain(`!${AUDIT_SHIPPER_NAMESPACE}`);
  });

  it('THEN its namespace has DNS and Loki\'s push port as its only egress, and no ingress at all', () => {
    const mine = policies(AUDIT_SHIPPER_NAMESPACE);
    expect(mine.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-egress-loki', 'default-deny']);
    expect(mine.flatMap((p) => p.spec.ingress ?? [])).toEqual([]);
    expect(mine.find((p) => p.metadata.name === 'allow-egress-loki')!.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'loki' } } }],
      ports: [{ protocol: 'TCP', port: LOKI_PORT }],
    }]);
  });

  it('THEN Loki admits the shipper\'s pods on its port only', () => {
    const allow = policies('logging').find((p) => p.metadata.name === 'allow-from-audit-shipper')!;
    expect(allow.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'loki' } });
    expect(allow.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': AUDIT_SHIPPER_NAMESPACE } }, podSelector: { matchLabels: AUDIT_SHIPPER_PODS } }],
      ports: [{ protocol: 'TCP', port: LOKI_PORT }],
    }]);
  });
});

describe('GIVEN the audit shipper\'s Alloy config WHEN rendered for a Loki push URL', () => {
  const config = alloyAuditConfig(PUSH);

  it('THEN it matches the active file only (rotated audit-<timestamp>.log copies would be sent twice)', () => {
    const paths = [...config.matchAll(/"__path__"\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toEqual([API_AUDIT_LOG.path]);
    expect(paths[0]).not.toMatch(/[*?[{]/); // no glob
  });

  it('THEN every line carries job and node labels, its time from the event, and goes to that URL', () => {
    expect(config).toContain(`"job"      = "${AUDIT_LOG_JOB}"`);
    expect(config).toContain('"node"     = sys.env("HOSTNAME")');
    expect(config).toMatch(/stage\.json \{\s+expressions = \{ ts = "stageTimestamp" \}/);
    expect(config).toMatch(/stage\.timestamp \{\s+source = "ts"\s+format = "RFC3339Nano"/);
    expect(config).toContain(`url = "${PUSH}"`);
  });

  it('THEN each component feeds the next (file_match -> source.file -> process -> write)', () => {
    expect(config).toContain('targets    = local.file_match.audit.targets');
    expect(config).toContain('forward_to = [loki.process.audit.receiver]');
    expect(config).toContain('forward_to = [loki.write.default.receiver]');
    // Balanced braces: a truncated block would not load.
    expect((config.match(/\{/g) ?? []).length).toBe((config.match(/\}/g) ?? []).length);
  });
});

describe('GIVEN logging disabled WHEN the manifests are rendered', () => {
  it('THEN there is no audit shipper and no logging-audit namespace', () => {
    const off = render(labModel((d) => { d.addons.logging = { enabled: false }; })).objects.map((o) => o.obj);
    expect(off.filter((o) => o.metadata.name === AUDIT_SHIPPER_RELEASE || o.metadata.name === AUDIT_SHIPPER_NAMESPACE || o.metadata.namespace === AUDIT_SHIPPER_NAMESPACE)).toEqual([]);
  });
});
