import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecSet, setRules, SpecError, specFilesIn } from '../../spec';
import { fixtureHeader, loadFixture, overlay } from '../fixtures/overlay';

const dir = join(__dirname, '..', 'fixtures');
const rejects = readdirSync(join(dir, 'reject')).filter((f) => f.endsWith('.yaml')).sort();
const accepts = readdirSync(join(dir, 'accept')).filter((f) => f.endsWith('.yaml')).sort();
const edges = readdirSync(join(dir, 'accept-edge')).filter((f) => f.endsWith('.yaml')).sort();
const across = readdirSync(join(dir, 'reject-across')).filter((f) => f.endsWith('.yaml')).sort();

/** Each must-reject fixture's header has `# expect: <fragment of the error message>`. */
function expectedFragment(file: string): string {
  const expected = fixtureHeader(readFileSync(file, 'utf8')).expect;
  if (expected === undefined) throw new Error(`${file} has no "# expect:" header line`);
  return expected;
}

describe('must-reject spec fixtures', () => {
  test('there are at least 30 of them', () => {
    expect(rejects.length).toBeGreaterThanOrEqual(30);
  });

  test.each(rejects)('%s is rejected with its expected message, naming the file', (name) => {
    // GIVEN a spec with one deliberate mistake
    const file = join('test', 'fixtures', 'reject', name);
    // WHEN it is loaded
    let error: unknown;
    try {
      loadFixture(file);
    } catch (e) {
      error = e;
    }
    // THEN a SpecError names the file, the field and the value received
    expect(error).toBeInstanceOf(SpecError);
    const message = (error as SpecError).message;
    expect(message).toContain(expectedFragment(file));
    for (const line of message.split('\n')) expect(line.startsWith(file)).toBe(true);
  });
});

describe('must-accept spec fixtures', () => {
  test.each(accepts)('%s loads', (name) => {
    const { model } = loadFixture(join('test', 'fixtures', 'accept', name));
    expect(model.nodes.length).toBeGreaterThan(0);
  });
});

describe('must-accept edges (each a patch on clusters/lab.yaml)', () => {
  test.each(edges)('%s loads without errors', (name) => {
    const { model } = loadFixture(join('test', 'fixtures', 'accept-edge', name));
    expect(model.nodes.length).toBeGreaterThan(0);
  });
});

describe('must-reject across specs: a second cluster checked against every clusters/*.yaml', () => {
  const clusters = loadSpecSet(specFilesIn('clusters'));

  test('the base second cluster coexists with clusters/', () => {
    expect(setRules([loadFixture(join('test', 'fixtures', 'second-cluster.yaml'))], clusters)).toEqual([]);
  });

  test.each(across)('%s is rejected with its expected message on the second cluster', (name) => {
    // GIVEN a second cluster with one deliberate clash WHEN checked against clusters/
    const file = join('test', 'fixtures', 'reject-across', name);
    const errors = setRules([loadFixture(file)], clusters);
    // THEN the error is reported on the new file, with the expected message
    const message = errors.map((e) => e.message).join('\n');
    expect(message).toContain(`${file}: ${expectedFragment(file)}`);
    for (const line of message.split('\n')) expect(line.startsWith(file)).toBe(true);
  });
});

describe('fixture overlays', () => {
  test('mappings merge, lists and scalars replace, null removes', () => {
    // GIVEN a base and a patch WHEN overlaid THEN only the patched keys change
    const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: 1 };
    expect(overlay(base, { a: { c: [3] }, d: 'y', e: null })).toEqual({ a: { b: 1, c: [3] }, d: 'y' });
  });

  test('a base-less fixture is read as written; a based one must change something', () => {
    for (const name of [...rejects.map((f) => join('reject', f)), ...accepts.map((f) => join('accept', f))]) {
      const text = readFileSync(join(dir, name), 'utf8');
      if (fixtureHeader(text).base === undefined) continue;
      expect(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length).toBeGreaterThan(0);
    }
  });
});
