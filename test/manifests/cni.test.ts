import { labModel, render } from './helpers';

describe('CNI choice in the GitOps manifests (addons.cni)', () => {
  test('GIVEN cni cilium (default) WHEN manifests are rendered THEN GitOps keeps the Cilium release the bootstrap installed', () => {
    const { objects } = render(labModel());
    expect(objects.filter(({ file }) => file.startsWith('cilium/')).map(({ obj }) => `${obj.kind}/${obj.metadata.name}`)).toEqual(['Application/cilium']);
  });

  test('GIVEN cni none WHEN manifests are rendered THEN nothing Cilium-specific is rendered and the rest of the platform still is', () => {
    const { objects } = render(labModel((d) => { d.addons.cni = 'none'; }));
    expect(objects.filter(({ file }) => file.startsWith('cilium/'))).toEqual([]);
    expect(JSON.stringify(objects.map(({ obj }) => obj))).not.toMatch(/cilium/i);
    expect(objects.some(({ file }) => file.startsWith('metallb/'))).toBe(true);
  });
});
