/**
 * Add-ons whose Ingress and volumes need the ingress controller and the storage provider name
 * them from the model's resolved sections (no probing for release names that may not exist).
 */
import { labModel, render, type SpecDoc } from './helpers';

function dependsOn(edit: (doc: SpecDoc) => void): Map<string, string[]> {
  const { objects } = render(labModel((d) => { d.addons.gitops.engine = 'flux'; edit(d); }));
  const releases = objects.map((o) => o.obj).filter((o) => o.kind === 'HelmRelease');
  return new Map(releases.map((r) => [r.metadata.name, (r.spec.dependsOn ?? []).map((d: { name: string }) => d.name)]));
}

describe('GIVEN the ingress and storage choices', () => {
  it.each([
    ['nginx and local-path', () => undefined, ['cert-manager', 'nginx-ingress', 'local-path-provisioner']],
    ['ingress-nginx and NFS', (d: SpecDoc) => {
      d.addons.ingress = { controller: 'ingress-nginx' };
      d.addons.storage = { provider: 'nfs', nfs: { server: '10.20.0.5', share: '/export/k8s' } };
    }, ['cert-manager', 'ingress-nginx', 'csi-driver-nfs']],
    ['gateway-api (no ingress release)', (d: SpecDoc) => { d.addons.ingress = { controller: 'gateway-api' }; }, ['cert-manager', 'local-path-provisioner']],
  ])('WHEN %s THEN Harbor and kube-prometheus-stack wait for exactly cert-manager, that ingress and that storage release', (_, edit, expected) => {
    const deps = dependsOn(edit);
    expect(deps.get('harbor')).toEqual(expected);
    expect(deps.get('kube-prometheus-stack')).toEqual(expected);
    expect(deps.get('loki')).toEqual([expected.at(-1)]);
    for (const name of expected) expect(deps.has(name)).toBe(true);
  });
});
