import * as yaml from 'js-yaml';
import { renderManifests } from '../../manifests';
import { RESERVED_NAMESPACES } from '../../spec/checks/addons';
import { labModel, type SpecDoc } from '../manifests/helpers';

/** Every namespace the platform's manifests create or put objects in. */
function namespacesOf(edit: (doc: SpecDoc) => void): Set<string> {
  const out = renderManifests(labModel(edit));
  const names = new Set<string>();
  for (const text of out.manifests.values()) {
    for (const obj of yaml.loadAll(text) as { kind?: string; metadata?: { name?: string; namespace?: string } }[]) {
      if (obj?.metadata?.namespace) names.add(obj.metadata.namespace);
      if (obj?.kind === 'Namespace' && obj.metadata?.name) names.add(obj.metadata.name);
    }
  }
  return names;
}

describe('tenant names never take a namespace of Kubernetes or the platform', () => {
  test.each([
    ['argocd, nginx, local-path', () => {}],
    ['flux, gateway-api, nfs', (d: SpecDoc) => {
      d.addons.gitops = { engine: 'flux', repoUrl: 'ssh://git@git.lab.example.internal/platform/clusters.git' };
      d.addons.ingress = { controller: 'gateway-api' };
      d.addons.storage = { provider: 'nfs', nfs: { server: '10.20.0.5', share: '/export' } };
    }],
  ])('GIVEN the platform with %s WHEN rendered THEN every namespace it uses is reserved', (_, edit) => {
    const used = namespacesOf(edit);
    expect(used.size).toBeGreaterThan(5);
    for (const ns of used) expect(RESERVED_NAMESPACES).toContain(ns);
  });
});
