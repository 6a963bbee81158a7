import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as jsYaml from 'js-yaml';
import { toYaml } from '../../format/yaml';
import { cloudConfigDocument } from '../../cloud-init';
import { SECRET_MARKERS } from '../../cloud-init/secrets';
import { manifestFacts, renderManifests } from '../../manifests';
import { loadSpecFile } from '../../spec';

// The CommonJS module object itself: jest.spyOn needs it (the `import * as` namespace is a copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYamlModule = require('js-yaml');
const reference = (value: unknown, quotingType: "'" | '"') => jsYaml.dump(value, { lineWidth: -1, noRefs: true, quotingType });

const specFiles = [
  'clusters/lab.yaml',
  'clusters/dev.yaml',
  ...readdirSync('test/fixtures/accept').map((f) => join('test', 'fixtures', 'accept', f)),
];

/** Every document synth writes as YAML: each manifest object, each node's cloud-config. */
function documents(): { name: string; value: unknown; quotingType: "'" | '"' }[] {
  return specFiles.flatMap((file) => {
    const model = loadSpecFile(file).model;
    const objects = [...renderObjects(file)].map(([name, value]) => ({ name: `${file} ${name}`, value, quotingType: '"' as const }));
    const nodes = model.nodes.map((node) => ({ name: `${file} ${node.name} cloud-config`, value: cloudConfigDocument(model, node, SECRET_MARKERS, manifestFacts(model)), quotingType: "'" as const }));
    return [...objects, ...nodes];
  });
}

/** The manifest objects of one spec, parsed back from what synth renders (plain JSON values). */
function renderObjects(file: string): Map<string, unknown> {
  const rendered = renderManifests(loadSpecFile(file).model).manifests;
  return new Map([...rendered].map(([path, text]) => [path, jsYaml.load(text)]));
}

/** Deterministic PRNG (mulberry32) so generated cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY = [
  '', ' ', 'a', 'a ', ' a', 'a: b', 'a:b', 'a:', ':a', 'a #b', 'a#b', '#a', '- a', '-a', 'a-', '? a', '[a]', '{a}', 'a,b',
  'true', 'True', 'TRUE', 'false', 'null', 'Null', '~', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'Y', '<<',
  '0', '1', '-1', '+1', '1.5', '1e3', '.5', '.inf', '.NaN', '0x1F', '0o17', '1_000', '12:30', '2024-01-01', '1:2:3',
  'a\tb', 'a\rb', 'ü', 'a\u2028b', '\ufeffa', 'emoji 🚀', 'a"b', "a'b", 'a\\b', '@a', '`a', '!a', '&a', '*a', '|a', '>a', '%a', '=a',
  '\n', '\n\n', 'a\n', 'a\n\n', 'a\nb', 'a\nb\n', ' a\nb', '\n a', '\n\n  a\n', 'a\n\n\nb\n\n', 'a \nb ', 'line\twith tab\nnext', '#!/bin/bash\nset -e\n',
  '/', '/etc/x', '/a: b', '/a #b', '128Mi', '1e', '1E5', '1e5x', '10s', '0s', '0x10', '0b1', '0o7', '0644', '-20', '+3', '00', '-0',
  '10.20.0.10/32', '1.2', '1.2.3', '3.5.15-0', '1.2.3-rc.1', '0.0.0.0/0', '1.2.3/x', '1.2.3:4', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1:20',
  'x'.repeat(1100), `${'y'.repeat(80)}\n${'z'.repeat(200)}`,
];

describe('toYaml writes exactly what js-yaml writes', () => {
  test.each(['"', "'"] as const)('for tricky strings as values, sequence items and keys at every depth (quotes %s)', (quotingType) => {
    // GIVEN each tricky string in every position the emitter distinguishes
    for (const s of TRICKY) {
      const doc = { top: s, list: [s, [s, { k: s }]], nested: { deeper: { value: s, items: [s] } }, [s || 'empty']: 1 };
      // WHEN / THEN
      expect(toYaml(doc, { quotingType })).toBe(reference(doc, quotingType));
      expect(toYaml([s], { quotingType })).toBe(reference([s], quotingType));
    }
  });

  test('for 3,000 generated strings, number-like strings and structures', () => {
    const random = prng(42);
    const alphabet = 'abcXYZe019019 :#-_./@=+,()~?[]{}!&*|>%`\'"\\\n\t\r\u00e9\u2028';
    const str = () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.5) return [str(), str(), 0, 1.5, -0, true, null, 123456789][Math.floor(random() * 8)];
      if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [str(), value(depth + 1)]));
    };
    const numeric = () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => '0123456789.-+/:eExob_ '[Math.floor(random() * 22)]).join('');
    for (let i = 0; i < 3000; i++) {
      const doc = { root: value(0), numeric: numeric() };
      const quotingType = i % 2 ? '"' : "'";
      expect(toYaml(doc, { quotingType })).toBe(reference(doc, quotingType));
    }
  });

  test('for every manifest object and node cloud-config of every example and accepted fixture', () => {
    const docs = documents();
    expect(docs.length).toBeGreaterThan(500);
    for (const { name, value, quotingType } of docs) {
      const ours = toYaml(value, { quotingType });
      if (ours !== reference(value, quotingType)) throw new Error(`${name}: toYaml differs from js-yaml`);
    }
  });

  test('renders those documents without handing whole documents to js-yaml (the fast path is taken)', () => {
    // GIVEN a spy on js-yaml's dump
    const dump = jest.spyOn(jsYamlModule, 'dump');
    try {
      // WHEN the lab documents are rendered
      const docs = documents().filter((d) => d.name.startsWith('clusters/lab.yaml'));
      let scalarsFallenBack = 0;
      for (const { value, quotingType } of docs) {
        dump.mockClear();
        toYaml(value, { quotingType });
        // THEN js-yaml only ever sees single scalars (strings), never a document
        for (const [arg] of dump.mock.calls) expect(typeof arg).toBe('string');
        scalarsFallenBack += dump.mock.calls.length;
      }
      expect(scalarsFallenBack).toBeLessThan(docs.length * 3);
    } finally {
      dump.mockRestore();
    }
  });

  test('falls back to js-yaml for what it does not model (floats, -0, class instances) with the same result', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    for (const value of [{ a: 1.5 }, { a: -0 }, { p: new Point(1) }, { big: 2 ** 60 }, [undefined, 1], { u: undefined, v: 1 }, {}]) {
      expect(toYaml(value)).toBe(reference(value, "'"));
    }
  });
});
