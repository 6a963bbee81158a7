import { fillSecrets, PLACEHOLDER_SECRETS, renderNodeCloudConfig, renderNodeTemplate, SECRET_MARKERS } from '../../cloud-init';
import { loadSpecFile } from '../../spec';
import { manifestFacts } from '../../manifests';

describe('GIVEN a node template with secret markers', () => {
  const model = loadSpecFile('clusters/lab.yaml').model;
  const node = model.controlPlanes[0]!;

  it('WHEN rendered twice THEN the same template object is reused (rendered once per node)', () => {
    expect(renderNodeTemplate(model, node, manifestFacts(model))).toBe(renderNodeTemplate(model, node, manifestFacts(model)));
  });

  it('WHEN the manifests name other privileged namespaces THEN the template follows them (the cache is per facts)', () => {
    const facts = manifestFacts(model);
    const other = { privilegedNamespaces: [...facts.privilegedNamespaces, 'zz-extra'] };
    expect(renderNodeTemplate(model, node, other)).toContain('zz-extra');
    expect(renderNodeTemplate(model, node, facts)).not.toContain('zz-extra');
  });

  it('WHEN filled THEN every marker is replaced and nothing else changes', () => {
    const template = renderNodeTemplate(model, node, manifestFacts(model));
    for (const marker of Object.values(SECRET_MARKERS)) expect(template).toContain(marker);
    const filled = renderNodeCloudConfig(model, node, PLACEHOLDER_SECRETS, manifestFacts(model));
    expect(filled).not.toContain('@@PVE_K8S_SECRET_');
    expect(filled.split('\n').length).toBe(template.split('\n').length);
  });

  it('WHEN a value holds a quote, backslash or newline THEN filling fails', () => {
    expect(() => fillSecrets('x', { ...PLACEHOLDER_SECRETS, bootstrapToken: 'a"b' })).toThrow('must not contain');
  });

  it('WHEN text holds an unknown marker THEN filling fails', () => {
    expect(() => fillSecrets('@@PVE_K8S_SECRET_other@@', PLACEHOLDER_SECRETS)).toThrow('secret marker @@PVE_K8S_SECRET_other@@ has no value');
  });
});
