/** Network policy scoping (issue 13): allows from other namespaces name pods and ports; tenants stay off the node network. */
import { GRAFANA_PODS, PROMETHEUS_PODS } from '../../manifests/addons/network-peers';
import { TENANT_BASELINE_POLICY } from '../../manifests/addons/tenants';
import { labModel, render, type K8sObject } from './helpers';

const withTenant = (d: any) => { d.addons.tenants = [{ name: 'team-a', adminGroups: ['team-a-admins'] }]; };
const lab = render(labModel(withTenant));
const policies = (r: ReturnType<typeof render>) => r.objects.map((o) => o.obj).filter((o) => o.kind === 'NetworkPolicy');
const node = labModel().network.cidr;

describe('GIVEN clusters/lab.yaml with a tenant WHEN its NetworkPolicies are rendered', () => {
  const all = policies(lab);

  it('THEN every ingress allow from another namespace names the peer pods and the ports', () => {
    const crossNs = all.flatMap((p) => (p.spec.ingress ?? []).map((rule: any) => ({ p, rule }))).filter(({ rule }) => (rule.from ?? []).some((f: any) => f.namespaceSelector));
    expect(crossNs.length).toBeGreaterThan(5);
    for (const { p, rule } of crossNs) {
      expect({ policy: `${p.metadata.namespace}/${p.metadata.name}`, ports: (rule.ports ?? []).length > 0 }).toEqual({ policy: `${p.metadata.namespace}/${p.metadata.name}`, ports: true });
      for (const f of rule.from) expect(Object.keys(f.podSelector?.matchLabels ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('THEN Grafana reaches Loki on its port only, and nothing in monitoring reaches Argo CD', () => {
    const fromGrafana = all.filter((p) => JSON.stringify(p.spec.ingress ?? []).includes(JSON.stringify(GRAFANA_PODS)));
    expect(fromGrafana.map((p) => [p.metadata.namespace, p.spec.podSelector.matchLabels['app.kubernetes.io/name'], p.spec.ingress[0].ports.map((x: any) => x.port)])).toEqual([['logging', 'loki', [3100]]]);
    const argocd = all.filter((p) => p.metadata.namespace === 'argocd');
    expect(JSON.stringify(argocd)).not.toContain('monitoring');
  });

  it('THEN Prometheus is the only monitoring pod allowed to scrape, on declared ports', () => {
    for (const p of all.filter((x) => x.metadata.name.startsWith('allow-from-monitoring-prometheus'))) {
      expect(p.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(PROMETHEUS_PODS);
      expect(p.spec.ingress[0].ports.length).toBeGreaterThan(0);
    }
  });

  it('THEN the ingress controller reaches only the backend ports of each namespace\'s hostnames', () => {
    const argocd = all.find((p) => p.metadata.namespace === 'argocd' && p.metadata.name === 'allow-from-ingress')!;
    expect(argocd.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx-ingress' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  it('THEN tenant egress excludes the node network, and tenants receive only on named ports', () => {
    const tenant = all.filter((p) => p.metadata.namespace === 'team-a');
    const egress = tenant.find((p) => p.metadata.name === 'allow-egress-external')!;
    expect(egress.spec.egress[0].to[0].ipBlock.except).toContain(node);
    expect(tenant.find((p) => p.metadata.name === 'allow-from-monitoring')!.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 'metrics' }]);
    expect(tenant.find((p) => p.metadata.name === 'allow-from-ingress')!.spec.ingress[0].ports.map((x: any) => x.port)).toEqual(['http', 'https']);
  });

  it('THEN a cluster-wide Cilium policy (not deletable by a tenant) denies tenants the node network, hosts and API server', () => {
    const ccnp = lab.objects.map((o) => o.obj).find((o) => o.kind === 'CiliumClusterwideNetworkPolicy') as K8sObject;
    expect(ccnp.metadata).toEqual(expect.objectContaining({ name: TENANT_BASELINE_POLICY }));
    expect(ccnp.metadata.namespace).toBeUndefined();
    expect(ccnp.spec.endpointSelector.matchExpressions).toEqual([{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['team-a'] }]);
    expect(ccnp.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(ccnp.spec.egressDeny).toEqual([{ toCIDRSet: [{ cidr: node }] }, { toEntities: ['host', 'remote-node', 'kube-apiserver'] }]);
  });
});

describe('GIVEN no tenants, or no Cilium', () => {
  it('THEN there is no cluster-wide tenant policy', () => {
    expect(render(labModel()).objects.some((o) => o.obj.kind === 'CiliumClusterwideNetworkPolicy')).toBe(false);
    const noCni = render(labModel((d) => { withTenant(d); d.addons.cni = 'none'; }));
    expect(noCni.objects.some((o) => o.obj.kind === 'CiliumClusterwideNetworkPolicy')).toBe(false);
  });
});

describe('GIVEN the Gateway API option', () => {
  it('THEN allows from Cilium\'s Envoy still name the backend ports (any source: its identity has no Kubernetes selector)', () => {
    const gw = render(labModel((d) => { d.addons.ingress = { controller: 'gateway-api' }; }));
    const argocd = policies(gw).find((p) => p.metadata.namespace === 'argocd' && p.metadata.name === 'allow-from-ingress')!;
    expect(argocd.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });
});
