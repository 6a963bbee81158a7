/** A node image without a checksum is warned about: Proxmox would download it unchecked. */
import { labModel } from '../manifests/helpers';
import { loadSpecText } from '../../spec';
import * as yaml from 'js-yaml';
import { readFileSync } from 'node:fs';

const warnings = (edit: (d: Record<string, any>) => void) => {
  const doc = yaml.load(readFileSync('clusters/lab.yaml', 'utf8')) as Record<string, any>;
  edit(doc);
  return loadSpecText(yaml.dump(doc), 'test.yaml').warnings.filter((w) => w.path.join('.') === 'image.checksum');
};
const SHA256 = 'a'.repeat(64);

describe('image.checksum warning', () => {
  test('GIVEN the default Ubuntu image (no pinned checksum) and none in the spec THEN synth warns', () => {
    expect(warnings(() => {})).toHaveLength(1);
    expect(labModel().image.checksum).toBeUndefined();
  });
  test('GIVEN a checksum in the spec THEN no warning', () => {
    expect(warnings((d) => { d.image = { checksum: { algorithm: 'sha256', value: SHA256 } }; })).toEqual([]);
  });
  test('GIVEN Debian 12 (its image checksum pinned in spec/versions.ts) THEN no warning', () => {
    expect(warnings((d) => { d.nodeOs = 'debian-12'; })).toEqual([]);
  });
  test('GIVEN a custom image URL without a checksum THEN synth warns, naming the URL', () => {
    const w = warnings((d) => { d.image = { url: 'https://images.lab.internal/noble.img' }; });
    expect(w).toHaveLength(1);
    expect(w[0]!.received).toBe('https://images.lab.internal/noble.img');
  });
});
