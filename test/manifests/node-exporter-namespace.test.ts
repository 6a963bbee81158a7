/**
 * node-exporter apart (issue 13, low): the only monitoring component that needs the host runs in its
 * own privileged namespace, so Grafana, Prometheus and Alertmanager run under a stricter Pod
 * Security level, and every consumer of the namespace list follows.
 */
import { MONITORING_NAMESPACE, NODE_EXPORTER_NAMESPACE } from '../../manifests/addons/monitoring';
import { PSA_REASON_ANNOTATION } from '../../manifests/addons/security';
import { chartFootprint, namespaceOverrides } from '../../manifests/gitops/chart-footprint';
import { ARGOCD_PROJECT } from '../../manifests/gitops/argocd';
import { manifestFacts } from '../../manifests';
import { labModel, render } from './helpers';

describe('GIVEN clusters/lab.yaml with monitoring on', () => {
  const model = labModel();
  const objs = render(model).objects.map((o) => o.obj);
  const namespace = (name: string) => objs.find((o) => o.kind === 'Namespace' && o.metadata.name === name)!;
  const release = objs.find((o) => o.kind === 'Application' && o.metadata.name === 'kube-prometheus-stack')!;

  it('WHEN the release is rendered THEN the node-exporter subchart is moved into its own namespace', () => {
    expect(release.spec.destination.namespace).toBe(MONITORING_NAMESPACE);
    expect(release.spec.source.helm.valuesObject['prometheus-node-exporter'].namespaceOverride).toBe(NODE_EXPORTER_NAMESPACE);
  });

  it('WHEN the namespaces are labelled THEN only node-exporter\'s is privileged and monitoring enforces baseline, each with its reason', () => {
    expect(namespace(NODE_EXPORTER_NAMESPACE).metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(namespace(NODE_EXPORTER_NAMESPACE).metadata.annotations![PSA_REASON_ANNOTATION]).toMatch(/hostNetwork, hostPID/);
    expect(namespace(MONITORING_NAMESPACE).metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(namespace(MONITORING_NAMESPACE).metadata.annotations![PSA_REASON_ANNOTATION]).toMatch(/init-chown-data/);
  });

  it('WHEN the Pod Security exemptions are derived THEN node-exporter\'s namespace is exempt and monitoring is not', () => {
    const exempt = manifestFacts(model).privilegedNamespaces;
    expect(exempt).toContain(NODE_EXPORTER_NAMESPACE);
    expect(exempt).not.toContain(MONITORING_NAMESPACE);
  });

  it('WHEN the platform project is derived THEN the chart\'s footprint and the project name node-exporter\'s namespace', () => {
    expect(chartFootprint('kube-prometheus-stack', release.spec.source.helm.valuesObject).namespaces).toEqual(['kube-system', NODE_EXPORTER_NAMESPACE]);
    const project = objs.find((o) => o.kind === 'AppProject' && o.metadata.name === ARGOCD_PROJECT)!;
    expect(project.spec.destinations.map((d: { namespace: string }) => d.namespace)).toContain(NODE_EXPORTER_NAMESPACE);
  });

  it('WHEN node-exporter (host network) is scraped THEN Prometheus\'s namespace may reach the node network and node-exporter\'s namespace allows nothing else', () => {
    const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
    const egressNodes = policies.find((p) => p.metadata.namespace === MONITORING_NAMESPACE && p.metadata.name === 'allow-egress-nodes')!;
    expect(egressNodes.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: model.network.cidr } }] }]);
    expect(policies.filter((p) => p.metadata.namespace === NODE_EXPORTER_NAMESPACE).map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'default-deny']);
  });
});

describe('GIVEN a release\'s Helm values', () => {
  it('WHEN a subchart section or the top level names a namespaceOverride THEN the footprint lists it; empty ones and deeper keys are not overrides', () => {
    expect(namespaceOverrides({ namespaceOverride: 'a', sub: { namespaceOverride: 'b' }, other: { namespaceOverride: '' }, deep: { x: { namespaceOverride: 'c' } }, list: [{ namespaceOverride: 'd' }] })).toEqual(['a', 'b']);
    expect(namespaceOverrides({})).toEqual([]);
  });
});
