/** The Gateway API option (addons.ingress.controller "gateway-api"): Cilium's Gateway instead of an Ingress controller. */
import * as yaml from 'js-yaml';
import { bootstrapSteps, renderBootstrapScript } from '../../cloud-init';
import { ciliumValues } from '../../facts';
import { GitManifests } from '../../manifests/release';
import { COMPONENTS, GATEWAY_API_INSTALL_MANIFEST } from '../../spec';
import { labModel, render, type K8sObject } from './helpers';

const gatewayLab = (engine: 'argocd' | 'flux' = 'argocd') => labModel((d) => {
  d.addons.ingress = { ...(d.addons.ingress ?? {}), controller: 'gateway-api' };
  d.addons.gitops.engine = engine;
});
const objs = (r: ReturnType<typeof render>) => r.objects.map((o) => o.obj);
const find = (r: ReturnType<typeof render>, kind: string, name: string, namespace?: string): K8sObject | undefined =>
  objs(r).find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
const values = (r: ReturnType<typeof render>, release: string) => find(r, 'Application', release)!.spec.source.helm.valuesObject;
const wave = (o: K8sObject) => Number(o.metadata.annotations!['argocd.argoproj.io/sync-wave']);

describe('GIVEN addons.ingress.controller "gateway-api"', () => {
  const model = gatewayLab();
  const r = render(model);
  const hostnames = ['argocd.lab.example.internal', 'grafana.lab.example.internal', 'harbor.lab.example.internal'];

  it('WHEN rendered THEN one Gateway of class cilium gets the spec\'s ingress IP (MetalLB annotation on its Service) and listens on 80 and 443', () => {
    const gateways = objs(r).filter((o) => o.kind === 'Gateway');
    expect(gateways).toHaveLength(1);
    const gw = gateways[0];
    expect(gw.spec.gatewayClassName).toBe('cilium');
    expect(gw.spec.infrastructure.annotations).toEqual({ 'metallb.io/loadBalancerIPs': model.ingress.ip });
    expect(gw.spec.listeners.map((l: any) => [l.name, l.protocol, l.port])).toEqual([['http', 'HTTP', 80], ['https', 'HTTPS', 443]]);
  });

  it('WHEN rendered THEN the HTTPS listener uses one cert-manager Certificate covering every platform hostname', () => {
    const gw = objs(r).find((o) => o.kind === 'Gateway')!;
    const secret = gw.spec.listeners[1].tls.certificateRefs[0].name;
    const certs = objs(r).filter((o) => o.kind === 'Certificate' && o.metadata.name !== 'platform-ca');
    expect(certs).toHaveLength(1);
    expect(certs[0].metadata.namespace).toBe(gw.metadata.namespace);
    expect(certs[0].spec.secretName).toBe(secret);
    expect([...certs[0].spec.dnsNames].sort()).toEqual(hostnames);
  });

  it('WHEN rendered THEN every platform hostname has an HTTPRoute on the HTTPS listener pointing at its Service, and HTTP redirects to HTTPS', () => {
    const routes = objs(r).filter((o) => o.kind === 'HTTPRoute');
    const served = routes.filter((o) => o.spec.parentRefs[0].sectionName === 'https');
    expect(served.flatMap((o) => o.spec.hostnames).sort()).toEqual(hostnames);
    const backend = (host: string) => served.find((o) => o.spec.hostnames.includes(host))!;
    expect(backend(hostnames[0]).metadata.namespace).toBe('argocd');
    expect(backend(hostnames[0]).spec.rules[0].backendRefs[0]).toMatchObject({ name: 'argocd-server', port: 80 });
    expect(backend(hostnames[1]).metadata.namespace).toBe('monitoring');
    expect(backend(hostnames[1]).spec.rules[0].backendRefs[0]).toMatchObject({ name: 'kube-prometheus-stack-grafana', port: 80 });
    expect(backend(hostnames[2]).metadata.namespace).toBe('harbor');
    expect(backend(hostnames[2]).spec.rules[0].backendRefs[0]).toMatchObject({ name: 'harbor', port: 80 });
    const redirect = routes.find((o) => o.spec.parentRefs[0].sectionName === 'http')!;
    expect([...redirect.spec.hostnames].sort()).toEqual(hostnames);
    expect(redirect.spec.rules[0].filters[0].requestRedirect.scheme).toBe('https');
    // The HTTPS listener admits routes from exactly the namespaces of those routes.
    const gw = objs(r).find((o) => o.kind === 'Gateway')!;
    expect(gw.spec.listeners[1].allowedRoutes.namespaces.selector.matchExpressions[0].values).toEqual(['argocd', 'harbor', 'monitoring']);
  });

  it('WHEN rendered THEN there is no Ingress, no IngressClass, no NGINX release, and every chart\'s own ingress is off', () => {
    expect(objs(r).some((o) => o.kind === 'Ingress' || o.kind === 'IngressClass')).toBe(false);
    const apps = objs(r).filter((o) => o.kind === 'Application').map((o) => o.metadata.name);
    expect(apps).not.toContain('nginx-ingress');
    expect(apps).not.toContain('ingress-nginx');
    expect(objs(r).some((o) => o.kind === 'Application' && /nginx/.test(o.spec.source.chart ?? ''))).toBe(false);
    expect(objs(r).some((o) => o.kind === 'Namespace' && o.metadata.name === 'ingress')).toBe(false);
    expect(values(r, 'kube-prometheus-stack').grafana.ingress).toEqual({ enabled: false });
    expect(values(r, 'argocd').server.ingress).toEqual({ enabled: false });
    expect(values(r, 'harbor').expose.type).toBe('clusterIP');
    expect(values(r, 'harbor').expose.tls.enabled).toBe(false);
    expect(values(r, 'harbor').externalURL).toBe('https://harbor.lab.example.internal');
  });

  it('WHEN rendered with Argo CD THEN the CRDs come from the pinned Git tag in a wave before Cilium, and the Gateway and routes after both', () => {
    const crds = find(r, 'Application', 'gateway-api-crds')!;
    expect(crds.spec.source).toEqual({ repoURL: 'https://github.com/kubernetes-sigs/gateway-api', path: 'config/crd/standard', targetRevision: COMPONENTS.gatewayApi });
    expect(crds.spec.syncPolicy.automated.prune).toBe(false);
    const cilium = find(r, 'Application', 'cilium')!;
    expect(wave(crds)).toBeLessThan(wave(cilium));
    for (const o of objs(r).filter((x) => x.kind === 'Gateway' || x.kind === 'HTTPRoute')) {
      expect(wave(o)).toBeGreaterThan(wave(cilium));
      expect(wave(o)).toBeGreaterThan(wave(find(r, 'Application', 'cert-manager')!));
      expect(o.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    }
    expect(find(r, 'AppProject', 'platform')!.spec.sourceRepos).toContain('https://github.com/kubernetes-sigs/gateway-api');
  });

  it('WHEN rendered with Flux THEN a GitRepository at the pinned tag and a Kustomization deliver the CRDs, and Cilium, cert-manager and the Gateway folders follow them', () => {
    const f = render(gatewayLab('flux'));
    const repo = find(f, 'GitRepository', 'gateway-api-crds', 'flux-system')!;
    expect(repo.spec.url).toBe('https://github.com/kubernetes-sigs/gateway-api');
    expect(repo.spec.ref).toEqual({ tag: COMPONENTS.gatewayApi });
    const ks = find(f, 'Kustomization', 'gateway-api-crds', 'flux-system')!;
    expect(ks.spec).toMatchObject({ path: './config/crd/standard', prune: false, wait: true, sourceRef: { kind: 'GitRepository', name: 'gateway-api-crds' } });
    expect(find(f, 'Kustomization', 'gateway-config', 'flux-system')!.spec.dependsOn).toEqual([{ name: 'gateway' }]);
    for (const folder of ['cilium', 'cert-manager']) {
      expect(find(f, 'Kustomization', folder, 'flux-system')!.spec.dependsOn).toContainEqual({ name: 'gateway' });
    }
    expect(objs(f).some((o) => o.kind === 'HelmRelease' && /nginx/.test(o.metadata.name))).toBe(false);
  });

  it('WHEN rendered THEN the gateway namespace is restricted with default deny, and every object carries the standard labels', () => {
    const ns = find(r, 'Namespace', 'gateway')!;
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(r, 'NetworkPolicy', 'default-deny', 'gateway')).toBeDefined();
    for (const o of objs(r).filter((x) => ['Gateway', 'HTTPRoute'].includes(x.kind) || x.metadata.name === 'gateway-api-crds')) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'gateway-api', 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/version': COMPONENTS.gatewayApi, 'app.kubernetes.io/managed-by': 'cdk8s' });
    }
  });

  it('WHEN rendered THEN a backend namespace admits ingress only on the container ports of its HTTPRoute backends (Envoy\'s identity has no NetworkPolicy peer)', () => {
    const allow = (ns: string) => find(r, 'NetworkPolicy', 'allow-from-ingress', ns)!.spec.ingress;
    expect(allow('monitoring')).toEqual([{ ports: [{ protocol: 'TCP', port: 3000 }] }]);
    expect(allow('harbor')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(allow('argocd')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(objs(r).filter((o) => o.kind === 'NetworkPolicy').flatMap((o) => o.spec.ingress ?? []).some((rule: any) => !rule.from && !rule.ports)).toBe(false);
  });

  it('WHEN rendered THEN ACME challenges are answered through the Gateway (cert-manager with Gateway API support on)', () => {
    expect(find(r, 'ClusterIssuer', 'letsencrypt-production')!.spec.acme.solvers[0].http01).toEqual({
      gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'gateway', sectionName: 'http' }] },
    });
    expect(values(r, 'cert-manager').config.enableGatewayAPI).toBe(true);
  });
});

describe('GIVEN the Cilium values shared by the node bootstrap and GitOps', () => {
  it('WHEN the ingress option is gateway-api THEN gatewayAPI is enabled; WHEN it is nginx or ingress-nginx THEN the key is absent', () => {
    expect(ciliumValues(gatewayLab()).gatewayAPI).toEqual({ enabled: true });
    expect(ciliumValues(labModel())).not.toHaveProperty('gatewayAPI');
    expect(ciliumValues(labModel((d) => { d.addons.ingress = { controller: 'ingress-nginx' }; }))).not.toHaveProperty('gatewayAPI');
  });
});

describe('GIVEN the first control plane\'s bootstrap', () => {
  const cp1 = (m: ReturnType<typeof labModel>) => m.nodes.find((n) => n.name === 'lab-cp-1')!;

  it('WHEN the ingress option is gateway-api THEN the pinned standard-channel CRDs are applied, with retries, before the Cilium step', () => {
    const m = gatewayLab();
    const steps = bootstrapSteps(m, cp1(m)).map((s) => s.name);
    expect(steps.indexOf('gateway-api-crds')).toBeGreaterThan(-1);
    expect(steps.indexOf('gateway-api-crds')).toBeLessThan(steps.indexOf('cilium'));
    expect(GATEWAY_API_INSTALL_MANIFEST).toBe(`https://github.com/kubernetes-sigs/gateway-api/releases/download/${COMPONENTS.gatewayApi}/standard-install.yaml`);
    const script = renderBootstrapScript(m, cp1(m));
    expect(script).toMatch(new RegExp(`retry \\d+ \\d+ kubectl .* apply --server-side -f '${GATEWAY_API_INSTALL_MANIFEST.replace(/[.]/g, '\\.')}'`));
    expect(script.indexOf(GATEWAY_API_INSTALL_MANIFEST)).toBeLessThan(script.indexOf('upgrade --install cilium'));
    expect(yaml.dump(ciliumValues(m))).toContain('gatewayAPI');
  });

  it('WHEN the ingress option is nginx THEN no Gateway API CRDs are applied', () => {
    const m = labModel();
    expect(bootstrapSteps(m, cp1(m)).map((s) => s.name)).not.toContain('gateway-api-crds');
    expect(renderBootstrapScript(m, cp1(m))).not.toContain('gateway-api');
  });
});

describe('GIVEN the neutral model\'s Git manifests', () => {
  it('WHEN the revision is not an exact tag or commit THEN it is rejected', () => {
    const props = { name: 'x', repo: 'https://github.com/o/r', path: 'config/crd' };
    expect(() => new GitManifests({ ...props, revision: 'main' })).toThrow(/exact tag or commit/);
    expect(() => new GitManifests({ ...props, revision: 'v1.3.0', wave: 0 })).not.toThrow();
    expect(() => new GitManifests({ ...props, path: '../etc', revision: 'v1.3.0' })).toThrow(/relative folder/);
    expect(() => new GitManifests({ ...props, repo: 'http://insecure', revision: 'v1.3.0' })).toThrow(/https/);
  });
});
