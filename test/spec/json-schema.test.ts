import { readFileSync } from 'node:fs';
import { clusterJsonSchema } from '../../spec/json-schema';

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
});
