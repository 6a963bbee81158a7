import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile, SpecError } from '../../spec';

const dir = join(__dirname, '..', 'fixtures');
const rejects = readdirSync(join(dir, 'reject')).filter((f) => f.endsWith('.yaml')).sort();
const accepts = readdirSync(join(dir, 'accept')).filter((f) => f.endsWith('.yaml')).sort();

/** Each must-reject fixture starts with `# expect: <fragment of the error message>`. */
function expectedFragment(file: string): string {
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  const match = /^# expect: (.+)$/.exec(first);
  if (!match) throw new Error(`${file} has no "# expect:" first line`);
  return match[1]!;
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
      loadSpecFile(file);
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
    const { model } = loadSpecFile(join('test', 'fixtures', 'accept', name));
    expect(model.nodes.length).toBeGreaterThan(0);
  });
});
