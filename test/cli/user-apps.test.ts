/**
 * apps/<cluster>/ is the users' folder: synth creates it once (so the engine has a path to sync)
 * and never writes into or deletes anything in it afterwards, while dist/<cluster>/ is replaced.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../bin/synth-cli';
import { runCdk8sApp } from '../../bin/cdk8s-run';

function synth(out: string): { code: number; stdout: string; stderr: string } {
  const r = { stdout: '', stderr: '' };
  const code = runSynth(['--spec', 'clusters/lab.yaml', '--spec', 'clusters/dev.yaml', '--out', out], {
    stdout: { write: (t: string) => (r.stdout += t) },
    stderr: { write: (t: string) => (r.stderr += t) },
  });
  return { code, ...r };
}

describe('GIVEN the users\' folder apps/<cluster>/', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'user-apps-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('WHEN synth finds no apps/lab/ THEN it creates it with a README and says so; a cluster without a GitOps root gets none', () => {
    const out = join(tmp, 'fresh');
    const first = synth(out);
    expect(first.code).toBe(0);
    expect(readdirSync(join(out, 'apps'))).toEqual(['lab']); // dev.yaml names no repository
    expect(readFileSync(join(out, 'apps', 'lab', 'README.md'), 'utf8')).toContain('This folder is yours.');
    expect(first.stdout).toContain(`created ${join(out, 'apps', 'lab')}/ for your own manifests`);
    expect(synth(out).stdout).not.toContain('created');
  });

  it('WHEN the user has files there (and edited the README) THEN synth leaves every byte, while a stray file in dist/lab/ is replaced', () => {
    const out = join(tmp, 'owned');
    expect(synth(out).code).toBe(0);
    const apps = join(out, 'apps', 'lab');
    mkdirSync(join(apps, 'shop'), { recursive: true });
    const files: Record<string, string> = {
      'README.md': '# ours now\n',
      'shop/Deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: shop, namespace: shop }\n',
      'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
    };
    for (const [f, text] of Object.entries(files)) writeFileSync(join(apps, f), text);
    writeFileSync(join(out, 'dist', 'lab', 'manifests', 'stray.yaml'), 'x: 1\n');
    expect(synth(out).code).toBe(0);
    for (const [f, text] of Object.entries(files)) expect(readFileSync(join(apps, f), 'utf8')).toBe(text);
    expect(readdirSync(apps).sort()).toEqual(['README.md', 'namespace.yaml', 'shop']);
    expect(existsSync(join(out, 'dist', 'lab', 'manifests', 'stray.yaml'))).toBe(false);
  });

  it('WHEN apps/lab/ exists but is empty (e.g. the user removed the README) THEN synth writes nothing into it', () => {
    const out = join(tmp, 'empty');
    mkdirSync(join(out, 'apps', 'lab'), { recursive: true });
    expect(synth(out).code).toBe(0);
    expect(readdirSync(join(out, 'apps', 'lab'))).toEqual([]);
  });

  it('WHEN cdk8s synth runs THEN it creates a missing apps/<cluster>/ the same way and leaves an existing one alone', () => {
    const root = join(tmp, 'cdk8s');
    mkdirSync(join(root, 'clusters'), { recursive: true });
    writeFileSync(join(root, 'clusters', 'lab.yaml'), readFileSync('clusters/lab.yaml'));
    let stderr = '';
    expect(runCdk8sApp({ root, stderr: { write: (t: string) => (stderr += t) } })).toBe(0);
    expect(stderr).toContain('created');
    writeFileSync(join(root, 'apps', 'lab', 'README.md'), 'mine\n');
    expect(runCdk8sApp({ root, stderr: { write: () => true } })).toBe(0);
    expect(readFileSync(join(root, 'apps', 'lab', 'README.md'), 'utf8')).toBe('mine\n');
  });
});
