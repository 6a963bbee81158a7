/**
 * dist/<name>/ of a deleted or renamed spec: synth over every spec warns about it (it recognises a
 * generated folder by its versions.json) and never deletes it.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../bin/synth-cli';
import { runCdk8sApp } from '../../bin/cdk8s-run';

function synth(argv: string[]) {
  const r = { stdout: '', stderr: '' };
  const code = runSynth(argv, { stdout: { write: (t: string) => (r.stdout += t) }, stderr: { write: (t: string) => (r.stderr += t) } });
  return { code, ...r };
}

describe('GIVEN dist/ holds the output of a spec that is gone', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'stale-dist-'));
  const out = join(tmp, 'out');
  beforeAll(() => {
    expect(synth(['--out', out]).code).toBe(0);
    cpSync(join(out, 'dist', 'dev'), join(out, 'dist', 'old'), { recursive: true }); // a deleted spec's output
    mkdirSync(join(out, 'dist', 'notes'), { recursive: true }); // not generated: no versions.json
    writeFileSync(join(out, 'dist', 'notes', 'README.md'), 'mine\n');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('WHEN synth runs over every spec THEN it warns once about that folder, names the command to remove it, and keeps it', () => {
    const r = synth(['--out', out]);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:') && l.includes('no spec defines'));
    expect(warnings).toEqual([
      `warning: ${join(out, 'dist', 'old')}/ was generated for a cluster that no spec defines any more (deleted or renamed spec). Synth leaves it: a running cluster may still sync from it. Once that cluster is gone (or moved to its new name), remove it: git rm -r ${join(out, 'dist', 'old')}`,
    ]);
    expect(existsSync(join(out, 'dist', 'old', 'versions.json'))).toBe(true);
    expect(readFileSync(join(out, 'dist', 'notes', 'README.md'), 'utf8')).toBe('mine\n');
  });

  it('WHEN synth runs on chosen specs (--spec) THEN it says nothing about other folders (it cannot know the rest)', () => {
    expect(synth(['--spec', 'clusters/lab.yaml', '--out', out]).stderr).not.toContain('no spec defines');
  });

  it('WHEN cdk8s synth runs THEN it warns the same way', () => {
    const root = join(tmp, 'cdk8s');
    mkdirSync(join(root, 'clusters'), { recursive: true });
    writeFileSync(join(root, 'clusters', 'lab.yaml'), readFileSync('clusters/lab.yaml'));
    cpSync(join(out, 'dist', 'old'), join(root, 'dist', 'old'), { recursive: true });
    let stderr = '';
    expect(runCdk8sApp({ root, stderr: { write: (t: string) => (stderr += t) } })).toBe(0);
    expect(stderr).toContain(`warning: ${join(root, 'dist', 'old')}/ was generated for a cluster that no spec defines any more`);
    expect(existsSync(join(root, 'dist', 'old'))).toBe(true);
  });
});
