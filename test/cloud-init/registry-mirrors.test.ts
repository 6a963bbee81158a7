import { nodeFiles, PLACEHOLDER_SECRETS, renderRegistryMirrors } from '../../cloud-init';
import { loadSpecFile } from '../../spec';
import { manifestFacts } from '../../manifests';

describe('GIVEN registry mirrors in the spec', () => {
  const model = loadSpecFile('test/fixtures/accept/dedicated-lb-k8s131.yaml').model;

  it('THEN every Kubernetes node gets a hosts.toml per mirrored registry, the mirror first and the registry as fallback', () => {
    for (const node of [...model.controlPlanes, ...model.workers]) {
      const paths = nodeFiles(model, node, PLACEHOLDER_SECRETS, manifestFacts(model)).map((f) => f.path);
      expect(paths).toContain('/etc/containerd/certs.d/docker.io/hosts.toml');
      expect(paths).toContain('/etc/containerd/certs.d/ghcr.io/hosts.toml');
    }
    const [docker, ghcr] = renderRegistryMirrors(model);
    expect(docker!.content).toContain('server = "https://registry-1.docker.io"');
    expect(docker!.content).toContain('[host."https://harbor.prod.example.internal/v2/dockerhub"]');
    expect(docker!.content).toContain('override_path = true');
    expect(ghcr!.content).toContain('server = "https://ghcr.io"');
    expect(ghcr!.content).not.toContain('override_path');
  });

  it('THEN dedicated load balancers, which run no containers, get none', () => {
    const paths = nodeFiles(model, model.loadBalancers[0]!, PLACEHOLDER_SECRETS, manifestFacts(model)).map((f) => f.path);
    expect(paths.some((p) => p.startsWith('/etc/containerd/'))).toBe(false);
  });
});

describe('GIVEN no registry mirrors', () => {
  it('THEN no hosts.toml is written', () => {
    const model = loadSpecFile('clusters/lab.yaml').model;
    expect(renderRegistryMirrors(model)).toEqual([]);
    const paths = nodeFiles(model, model.workers[0]!, PLACEHOLDER_SECRETS, manifestFacts(model)).map((f) => f.path);
    expect(paths.some((p) => p.endsWith('hosts.toml'))).toBe(false);
  });
});
