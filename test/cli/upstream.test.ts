/**
 * scripts/lib/upstream.sh, the one resolver of the pinned upstream data verify reads: a local
 * folder must hold exactly the pinned bytes; without one the files are fetched from their URLs
 * (here file:// and a closed 127.0.0.1 port: no network) and kept only when their sha256 matches.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function resolve(env: Record<string, string>) {
  const r = spawnSync('bash', ['--norc', '-c', 'source scripts/lib/upstream.sh && upstream_dir'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('the pinned upstream data (scripts/lib/upstream.sh)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'upstream-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const served = join(tmp, 'served');
  mkdirSync(served, { recursive: true });
  const crd = 'kind: CustomResourceDefinition\n';
  const values = 'replicas: 1\n';
  writeFileSync(join(served, 'crd.yaml'), crd);
  mkdirSync(join(tmp, 'pkg', 'chart'), { recursive: true });
  writeFileSync(join(tmp, 'pkg', 'chart', 'values.yaml'), values);
  spawnSync('tar', ['-czf', join(served, 'chart.tgz'), '-C', join(tmp, 'pkg'), 'chart/values.yaml']);

  /** A manifest in files.tsv's format: one plain file and one member of a .tgz, both served by file://. */
  function manifest(name: string, rows: [string, string, string, string][]): string {
    const file = join(tmp, `${name}.tsv`);
    writeFileSync(file, `# test manifest\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
    return file;
  }
  const good = () =>
    manifest('good', [
      ['p/v1/crds/crd.yaml', sha256(crd), `file://${served}/crd.yaml`, '-'],
      ['p/v1/chart/values.yaml', sha256(values), `file://${served}/chart.tgz`, 'chart/values.yaml'],
    ]);

  test('GIVEN no upstream folder WHEN resolved THEN every pinned file is fetched into the cache with its checksum, and a second run fetches nothing', () => {
    const cache = join(tmp, 'cache-ok');
    const env = { UPSTREAM_MANIFEST: good(), UPSTREAM_DIR: join(tmp, 'missing'), UPSTREAM_CACHE: cache };
    const first = resolve(env);
    expect(first.stderr).toContain('fetching 2 pinned file(s)');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(cache);
    expect(readFileSync(join(cache, 'p/v1/crds/crd.yaml'), 'utf8')).toBe(crd);
    expect(readFileSync(join(cache, 'p/v1/chart/values.yaml'), 'utf8')).toBe(values);
    const again = resolve(env);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  test('GIVEN a served file that differs from its pin (negative control) WHEN fetched THEN it is refused, named with its URL, and not cached', () => {
    const cache = join(tmp, 'cache-bad');
    const file = manifest('bad', [['p/v1/crds/crd.yaml', sha256('something else\n'), `file://${served}/crd.yaml`, '-']]);
    const r = resolve({ UPSTREAM_MANIFEST: file, UPSTREAM_DIR: join(tmp, 'missing'), UPSTREAM_CACHE: cache });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`[upstream] ERROR: p/v1/crds/crd.yaml from file://${served}/crd.yaml has sha256 ${sha256(crd)}, not the pinned ${sha256('something else\n')}: refused`);
    expect(existsSync(join(cache, 'p/v1/crds/crd.yaml'))).toBe(false);
  });

  test('GIVEN no network (a closed port) WHEN a file must be fetched THEN it fails naming the file and its URL', () => {
    const url = 'http://127.0.0.1:9/upstream/crd.yaml';
    const file = manifest('offline', [['p/v1/crds/crd.yaml', sha256(crd), url, '-']]);
    const r = resolve({ UPSTREAM_MANIFEST: file, UPSTREAM_DIR: join(tmp, 'missing'), UPSTREAM_CACHE: join(tmp, 'cache-offline') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[upstream] ERROR: cannot fetch p/v1/crds/crd.yaml from ${url}: curl: (7)`);
    expect(r.stderr).toContain('offline? put the pinned files in ../shared/upstream (or UPSTREAM_DIR)');
  });

  test('GIVEN a verify script, no upstream folder and no network WHEN it runs THEN it stops first, naming the URL', () => {
    const url = 'http://127.0.0.1:9/upstream/crd.yaml';
    const file = manifest('verify-offline', [['p/v1/crds/crd.yaml', sha256(crd), url, '-']]);
    const r = spawnSync('bash', ['--norc', 'scripts/verify-manifests.sh'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, UPSTREAM_MANIFEST: file, UPSTREAM_DIR: join(tmp, 'missing'), UPSTREAM_CACHE: join(tmp, 'cache-verify') },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot fetch p/v1/crds/crd.yaml from ${url}`);
    expect(r.stderr).toContain('[verify-manifests] ERROR: no pinned upstream data');
  });

  test('GIVEN a local upstream folder with a changed and a missing file WHEN resolved THEN both are named and it fails', () => {
    const dir = join(tmp, 'local');
    mkdirSync(join(dir, 'p/v1/crds'), { recursive: true });
    writeFileSync(join(dir, 'p/v1/crds/crd.yaml'), `${crd}# edited\n`);
    const r = resolve({ UPSTREAM_MANIFEST: good(), UPSTREAM_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[upstream] ERROR: ${dir}/p/v1/crds/crd.yaml: FAILED`);
    expect(r.stderr).toContain(`[upstream] ERROR: ${dir}/p/v1/chart/values.yaml: FAILED open or read`);
  });

  test('GIVEN the local folder holds the pinned bytes WHEN resolved THEN it is used as is, nothing fetched', () => {
    const dir = join(tmp, 'local-ok');
    mkdirSync(join(dir, 'p/v1/crds'), { recursive: true });
    mkdirSync(join(dir, 'p/v1/chart'), { recursive: true });
    writeFileSync(join(dir, 'p/v1/crds/crd.yaml'), crd);
    writeFileSync(join(dir, 'p/v1/chart/values.yaml'), values);
    const r = resolve({ UPSTREAM_MANIFEST: good(), UPSTREAM_DIR: dir, UPSTREAM_CACHE: join(tmp, 'unused') });
    expect(r).toEqual({ code: 0, stdout: dir, stderr: '' });
    expect(existsSync(join(tmp, 'unused'))).toBe(false);
  });

  test('GIVEN the repository manifest scripts/upstream/files.tsv THEN every row has a path, a sha256, an https URL and a member, paths unique', () => {
    const rows = readFileSync(join(root, 'scripts/upstream/files.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(80);
    for (const [path, sum, url, member, ...rest] of rows) {
      expect(rest).toEqual([]);
      expect(path).toMatch(/^[a-z0-9-]+\/[^/]+\/(crds|chart)\/[^/]+\.(yaml|json)$/);
      expect(sum).toMatch(/^[0-9a-f]{64}$/);
      expect(url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\/\S+$/);
      expect(member === '-' || url!.endsWith('.tgz')).toBe(true);
    }
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
  });
});
