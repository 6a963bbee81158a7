import { readFileSync } from 'node:fs';
import { clusterJsonSchema } from '../../spec/json-schema';
import { supportedKubernetesVersionList } from '../../spec';

describe('the editor JSON Schema', () => {
  test('clusters/cluster.schema.json is generated from the zod model and up to date (npm run schema)', () => {
    expect(readFileSync('clusters/cluster.schema.json', 'utf8')).toBe(clusterJsonSchema());
  });

  test('every spec in clusters/ points editors at it', () => {
    for (const file of ['clusters/lab.yaml', 'clusters/dev.yaml']) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./cluster.schema.json');
    }
  });

  test('it rejects unknown keys and documents defaults', () => {
    const schema = JSON.parse(clusterJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.network.properties.apiPort.default).toBe(6443);
  });

  test('every property has a description', () => {
    const missing: string[] = [];
    const walk = (node: any, path: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
        if (!child.description) missing.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      walk(node.items, `${path}[]`);
      for (const option of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) walk(option, path);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`);
    };
    walk(JSON.parse(clusterJsonSchema()), '');
    expect(missing).toEqual([]);
  });

  test('IP and CIDR fields carry formats; the Kubernetes version lists the supported releases', () => {
    const { properties: p } = JSON.parse(clusterJsonSchema());
    expect(p.network.properties.vip.format).toBe('ipv4');
    expect(p.network.properties.gateway.format).toBe('ipv4');
    expect(p.network.properties.cidr.format).toBe('cidrv4');
    expect(p.network.properties.podCidr.format).toBe('cidrv4');
    expect(p.network.properties.metallb.properties.start.format).toBe('ipv4');
    expect(p.kubernetes.properties.version.enum).toEqual(supportedKubernetesVersionList());
    expect(p.kubernetes.properties.version.enum).toContain('1.30.3');
  });
});
