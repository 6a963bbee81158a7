/** Values derived from the spec follow the spec; version pins change only what they pin. */
import * as yaml from 'js-yaml';
import { renderKubeadmPatches } from '../../cloud-init';
import { CHARTS } from '../../spec';
import { defaultVersions, type PlatformVersions } from '../../manifests';
import { changedLines, labModel, render } from './helpers';

const find = (r: ReturnType<typeof render>, kind: string, name: string) => r.objects.find((o) => o.obj.kind === kind && o.obj.metadata.name === name)?.obj;

describe('GIVEN the spec\'s MetalLB range', () => {
  it('WHEN the range changes THEN the IPAddressPool and the ingress LoadBalancer IP change with it', () => {
    const a = render(labModel());
    const b = render(labModel((d) => { d.network.metallb = { start: '10.20.0.230', end: '10.20.0.240' }; }));
    expect(find(a, 'IPAddressPool', 'default')!.spec.addresses).toEqual(['10.20.0.200-10.20.0.220']);
    expect(find(b, 'IPAddressPool', 'default')!.spec.addresses).toEqual(['10.20.0.230-10.20.0.240']);
    const ip = (r: ReturnType<typeof render>) => find(r, 'Application', 'nginx-ingress')!.spec.source.helm.valuesObject.controller.service.annotations['metallb.io/loadBalancerIPs'];
    expect(ip(a)).toBe('10.20.0.200');
    expect(ip(b)).toBe('10.20.0.230');
  });
});

describe('GIVEN the spec\'s domain', () => {
  it('WHEN the domain changes THEN every platform hostname, certificate and ingress host follows it', () => {
    const r = render(labModel((d) => {
      d.domain = 'k8s.corp.example';
      d.addons.certManager.acmeEmail = 'platform@k8s.corp.example';
      d.addons.gitops.repoUrl = 'https://git.k8s.corp.example/platform.git';
      d.addons.backups.s3.endpoint = 'https://s3.k8s.corp.example';
    }));
    const certs = r.objects.filter((o) => o.obj.kind === 'Certificate' && o.obj.spec.dnsNames).flatMap((o) => o.obj.spec.dnsNames);
    expect(certs.sort()).toEqual(['argocd.k8s.corp.example', 'grafana.k8s.corp.example', 'harbor.k8s.corp.example']);
    expect(find(r, 'Application', 'kube-prometheus-stack')!.spec.source.helm.valuesObject.grafana.ingress.hosts).toEqual(['grafana.k8s.corp.example']);
    expect(find(r, 'Application', 'harbor')!.spec.source.helm.valuesObject.externalURL).toBe('https://harbor.k8s.corp.example');
    expect(r.objects.some((o) => JSON.stringify(o.obj).includes('lab.example.internal'))).toBe(false);
  });

  it('WHEN acmeEmail is set THEN both ACME ClusterIssuers use it', () => {
    const r = render(labModel());
    for (const name of ['letsencrypt-staging', 'letsencrypt-production']) {
      expect(find(r, 'ClusterIssuer', name)!.spec.acme.email).toBe('platform@lab.example.internal');
    }
  });
});

describe('GIVEN a copy of the version pins with one chart bumped', () => {
  it('WHEN MetalLB\'s chart version is bumped THEN only its Application revision and versions.json change', () => {
    const model = labModel();
    const base = defaultVersions(model);
    const bumped: PlatformVersions = { ...base, charts: { ...base.charts, metallb: { ...CHARTS.metallb, version: '0.15.99' } } };
    const a = render(model, { versions: base });
    const b = render(model, { versions: bumped });
    const changed = [...a.manifests.keys()].filter((f) => a.manifests.get(f) !== b.manifests.get(f));
    expect(changed).toEqual(['metallb/Application.argocd.metallb.yaml']);
    expect(changedLines(a.manifests.get(changed[0]!)!, b.manifests.get(changed[0]!)!)).toEqual({
      before: ['    targetRevision: 0.15.3'],
      after: ['    targetRevision: 0.15.99'],
    });
    const json = changedLines(a.versionsJson, b.versionsJson);
    expect(json.after).toEqual(['      "version": "0.15.99"', '      "version": "0.15.99"']);
  });

  it('WHEN an app version is bumped THEN the add-on\'s version label changes and nothing else of other add-ons', () => {
    const model = labModel();
    const base = defaultVersions(model);
    const bumped: PlatformVersions = { ...base, charts: { ...base.charts, certManager: { ...CHARTS.certManager, appVersion: 'v1.18.7' } } };
    const a = render(model, { versions: base });
    const b = render(model, { versions: bumped });
    const changed = [...a.manifests.keys()].filter((f) => a.manifests.get(f) !== b.manifests.get(f));
    expect(changed.every((f) => f.startsWith('cert-manager') || f === 'security/Namespace.cert-manager.yaml')).toBe(true);
    for (const f of changed) {
      expect(changedLines(a.manifests.get(f)!, b.manifests.get(f)!).after).toEqual(['    app.kubernetes.io/version: v1.18.7']);
    }
  });
});

describe('GIVEN the control planes\' etcd metrics listeners', () => {
  it('WHEN monitoring scrapes etcd THEN it scrapes exactly the addresses the kubeadm patches make etcd bind, never a wildcard', () => {
    const model = labModel();
    const etcd = find(render(model), 'Application', 'kube-prometheus-stack')!.spec.source.helm.valuesObject.kubeEtcd;
    const bound = model.controlPlanes.flatMap((cp) => {
      const patch = yaml.load(renderKubeadmPatches(model, cp)['etcd0+json.yaml']!) as { value: string }[];
      return patch[0]!.value.replace('--listen-metrics-urls=', '').split(',').map((u) => new URL(u));
    });
    expect(etcd.endpoints).toEqual(model.controlPlanes.map((cp) => cp.ip));
    for (const ip of etcd.endpoints) expect(bound.some((u) => u.hostname === ip && Number(u.port) === etcd.service.targetPort)).toBe(true);
    expect(bound.map((u) => u.hostname)).not.toContain('0.0.0.0');
    expect(etcd.serviceMonitor.scheme).toBe('http');
  });
});
