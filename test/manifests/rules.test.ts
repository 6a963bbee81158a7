/** Property assertions over every rendered object: the platform's rules, stated as tests. */
import { CHARTS } from '../../spec';
import { collect, labModel, leaves, render, type K8sObject } from './helpers';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet']);
const lab = render(labModel((d) => {
  d.addons.backups = { s3: { endpoint: 'https://s3.lab.example.internal', bucket: 'lab-backups' } };
  d.addons.tenants = [{ name: 'team-a', adminGroups: ['team-a-admins'] }];
}));
const objects = lab.objects.map((o) => o.obj);

function podSpecs(obj: K8sObject): any[] {
  if (obj.kind === 'CronJob') return [obj.spec.jobTemplate.spec.template.spec];
  if (obj.kind === 'Pod') return [obj.spec];
  return [obj.spec.template.spec];
}

describe('GIVEN the lab cluster manifests', () => {
  it('THEN every workload container and init container has cpu and memory requests and limits', () => {
    const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      for (const spec of podSpecs(w)) {
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          const where = `${w.kind}/${w.metadata.name} container ${c.name}`;
          expect({ where, r: c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.cpu && c.resources?.limits?.memory }).toEqual({ where, r: expect.anything() });
        }
      }
    }
  });

  it('THEN no image (in objects or Helm values) is used without a pinned tag', () => {
    const images = objects.flatMap((o) => collect(o, 'image')).filter((i): i is string => typeof i === 'string');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/^[^@\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})$/);
    for (const image of images) expect(image).not.toMatch(/:latest$/);
  });

  it('THEN every Helm release pins an exact chart version from spec/versions.ts', () => {
    const apps = objects.filter((o) => o.kind === 'Application' && o.spec.source?.chart);
    const pinned = new Set<string>(Object.values(CHARTS).map((c) => `${c.chart}@${c.version}`));
    for (const app of apps) expect(pinned).toContain(`${app.spec.source.chart}@${app.spec.source.targetRevision}`);
  });

  it('THEN every namespace carries enforce/audit/warn Pod Security labels, and each non-restricted one states its reason', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces.length).toBeGreaterThan(5);
    for (const ns of namespaces) {
      const labels = ns.metadata.labels!;
      for (const mode of ['enforce', 'audit', 'warn']) {
        expect(['restricted', 'baseline', 'privileged']).toContain(labels[`pod-security.kubernetes.io/${mode}`]);
        expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.30');
      }
      if (labels['pod-security.kubernetes.io/enforce'] !== 'restricted') {
        expect(ns.metadata.annotations?.['platform.pve-k8s.io/pod-security-reason']).toEqual(expect.stringMatching(/^.{20,}$/));
      }
    }
    expect(namespaces.find((n) => n.metadata.name === 'team-a')!.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('THEN every namespace has a default-deny NetworkPolicy and a DNS allow', () => {
    for (const ns of objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)) {
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);
      const deny = policies.find((p) => p.metadata.name === 'default-deny');
      expect({ ns, deny: deny?.spec }).toEqual({ ns, deny: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
      expect(policies.map((p) => p.metadata.name)).toContain('allow-dns');
    }
  });

  it('THEN no Secret is rendered and no secret value appears as a literal', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(objects.flatMap((o) => collect(o, 'stringData'))).toEqual([]);
    // Keys that would carry a secret value: only references (existing*, *Key = key name in a Secret) may be set,
    // or an empty value (a chart default emptied: Harbor's internal database password).
    const suspicious = objects
      .flatMap((o) => leaves(o, (k) => /password|secretkey|token|accesskey/i.test(k) && !/^existing|^(userKey|passwordKey|secretKeyRef)$/.test(k)))
      .filter(([, v]) => typeof v === 'string' && v !== '');
    expect(suspicious).toEqual([]);
    for (const env of objects.flatMap((o) => collect(o, 'env')).flat() as { name: string; value?: string }[]) {
      if (/PASSWORD|SECRET|TOKEN|ACCESS_KEY/.test(env.name)) expect({ env: env.name, value: env.value }).toEqual({ env: env.name, value: undefined });
    }
  });

  it('THEN every object carries app.kubernetes.io name, part-of, version and managed-by', () => {
    for (const o of objects) {
      const l = o.metadata.labels ?? {};
      expect({ o: `${o.kind}/${o.metadata.name}`, name: !!l['app.kubernetes.io/name'], partOf: l['app.kubernetes.io/part-of'], version: !!l['app.kubernetes.io/version'], managedBy: l['app.kubernetes.io/managed-by'] })
        .toEqual({ o: `${o.kind}/${o.metadata.name}`, name: true, partOf: 'platform', version: true, managedBy: 'cdk8s' });
    }
  });

  it('THEN each etcd snapshot CronJob runs on its own control plane at the spec schedule and keeps etcdKeep snapshots', () => {
    const jobs = objects.filter((o) => o.kind === 'CronJob');
    expect(jobs.map((j) => j.spec.jobTemplate.spec.template.spec.nodeSelector['kubernetes.io/hostname'])).toEqual(['lab-cp-1', 'lab-cp-2', 'lab-cp-3']);
    for (const j of jobs) {
      expect(j.spec.schedule).toBe('0 */6 * * *');
      const spec = j.spec.jobTemplate.spec.template.spec;
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['save', 'verify', 'upload']);
      expect(spec.containers[0].args[0]).toContain('tail -n +13');
    }
  });
});
