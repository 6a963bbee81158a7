import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { build } from 'esbuild';

// scripts/ is plain CommonJS (run by node before any build exists).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BUNDLE_ENTRIES, STAMP, bundleInputs, staleReason } = require('../../scripts/lib/freshness.js') as {
  BUNDLE_ENTRIES: Record<string, string>;
  STAMP: string;
  bundleInputs(root: string): string[];
  staleReason(root: string): string | undefined;
};

const root = join(__dirname, '..', '..');
const T0 = new Date('2024-01-01T00:00:00Z');
const LATER = new Date('2024-01-01T00:01:00Z');

/** A tree with one source folder, the fixed inputs and a complete bundle, all dated T0. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'freshness-'));
  const files = [
    'src/a.ts',
    'src/deep/b.ts',
    'package-lock.json',
    'node_modules/.package-lock.json',
    'scripts/bundle.mjs',
    STAMP,
    ...Object.keys(BUNDLE_ENTRIES).flatMap((n) => [`lib/bundle/${n}.js`, `lib/bundle/${n}.main.js`]),
  ];
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ include: ['src', 'absent'] }));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  for (const f of [...files, 'tsconfig.json']) utimesSync(join(dir, f), T0, T0);
  return dir;
}

describe('npm run synth rebuilds the bundle only when an input is newer than the build stamp', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = project();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('GIVEN every input as old as the stamp WHEN checked THEN no rebuild', () => {
    expect(staleReason(fresh())).toBeUndefined();
  });

  test('GIVEN no build stamp (never built, or the first build failed) WHEN checked THEN rebuild', () => {
    const d = fresh();
    rmSync(join(d, STAMP));
    expect(staleReason(d)).toBe('no build yet');
  });

  test('GIVEN a bundle file deleted WHEN checked THEN rebuild, naming it', () => {
    const d = fresh();
    rmSync(join(d, 'lib/bundle/synth.main.js'));
    expect(staleReason(d)).toBe('lib/bundle/synth.main.js is missing');
  });

  test.each(['src/deep/b.ts', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'])(
    'GIVEN %s saved after the build started WHEN checked THEN rebuild, naming it',
    (file) => {
      const d = fresh();
      utimesSync(join(d, file), LATER, LATER);
      expect(staleReason(d)).toBe(`${file} changed`);
    },
  );

  test('GIVEN a file outside the inputs (a spec, a test) saved later WHEN checked THEN no rebuild', () => {
    const d = fresh();
    mkdirSync(join(d, 'clusters'));
    writeFileSync(join(d, 'clusters/lab.yaml'), '');
    expect(staleReason(d)).toBeUndefined();
  });

  test('GIVEN the real esbuild entries WHEN bundled THEN every project file esbuild reads is an input', async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: Object.values(BUNDLE_ENTRIES),
      bundle: true,
      platform: 'node',
      write: false,
      outdir: 'out',
      metafile: true,
      logLevel: 'silent',
    });
    const read = Object.keys(result.metafile.inputs).filter((f) => !f.split('/').includes('node_modules'));
    const inputs = new Set(bundleInputs(root).map((f) => f.split(sep).join('/')));
    expect(read.length).toBeGreaterThan(50);
    expect(read.filter((f) => !inputs.has(relative(root, join(root, f)).split(sep).join('/')))).toEqual([]);
  });
});
