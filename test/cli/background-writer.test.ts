import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundWriter } from '../../bin/background-writer';

describe('BackgroundWriter', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bg-writer-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('every queued file is on disk, folders created, once finish() returns', () => {
    // GIVEN a writer with two batches queued, one of them nested folders deep
    const writer = new BackgroundWriter();
    const files = Array.from({ length: 200 }, (_, i) => ({ path: `d${i % 7}/sub/f${i}.txt`, content: `file ${i}\n`.repeat(i) }));
    writer.write(join(tmp, 'a'), files.slice(0, 100));
    writer.write(join(tmp, 'a'), files.slice(100));
    // WHEN it finishes
    writer.finish();
    // THEN each file holds exactly its content
    for (const f of files) expect(readFileSync(join(tmp, 'a', f.path), 'utf8')).toBe(f.content);
  });

  test('finish() throws the first write error, naming the file', () => {
    // GIVEN a file where a folder would have to be
    writeFileSync(join(tmp, 'blocker'), 'x');
    const writer = new BackgroundWriter();
    writer.write(join(tmp, 'blocker'), [{ path: 'inside.txt', content: 'y' }]);
    // WHEN / THEN
    expect(() => writer.finish()).toThrow(`could not write ${join(tmp, 'blocker', 'inside.txt')}`);
  });

  test('abort() waits for the writes but never throws, and finish() after it does nothing', () => {
    const writer = new BackgroundWriter();
    writer.write(join(tmp, 'blocker'), [{ path: 'again.txt', content: 'y' }]);
    expect(() => writer.abort()).not.toThrow();
    expect(() => writer.finish()).not.toThrow();
  });

  test('write() after finish() is a programming error', () => {
    const writer = new BackgroundWriter();
    writer.finish();
    expect(() => writer.write(tmp, [])).toThrow('write() after finish()');
  });
});
