/**
 * kubernetes.version changes a running cluster can take, decided at synth from the version the
 * cluster was last synthesized at (dist/<name>/versions.json), and refused by every synth entry
 * point before anything is written.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../bin/synth-cli';
import { runCdk8sApp } from '../../bin/cdk8s-run';
import { runInfraApp } from '../../bin/cdktf-run';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_MATRIX, upgradePathIssues, versionChange } from '../../spec';

describe('versionChange: kubeadm upgrades one minor at a time, never down', () => {
  test.each([
    ['1.30.3', '1.30.3', 'none'],
    ['1.30.3', '1.30.14', 'patch'],
    ['1.30.14', '1.31.0', 'minor'],
    ['1.30.3', '1.31.4', 'minor'],
  ])('GIVEN %s WHEN the spec says %s THEN it is a %s change', (from, to, kind) => {
    expect(versionChange(from, to)).toBe(kind);
  });

  test.each([
    ['1.30.3', '1.32.2', /one minor at a time: the cluster runs 1.30.3; upgrade to 1.31.x first/],
    ['1.31.4', '1.30.14', /downgrades are not supported/],
    ['1.30.5', '1.30.3', /downgrades are not supported/],
  ])('GIVEN %s WHEN the spec says %s THEN it is refused', (from, to, message) => {
    expect(versionChange(from, to)).toEqual({ refused: expect.stringMatching(message) });
  });

  test('GIVEN no earlier synth (a new cluster) THEN any supported version is accepted', () => {
    expect(upgradePathIssues(undefined, '1.32.2', 'x')).toEqual([]);
  });
});

describe('synth refuses a version the running cluster cannot take, and writes nothing', () => {
  let root: string;
  const spec = (version: string) => readFileSync('clusters/lab.yaml', 'utf8').replace(/^(kubernetes:\n {2}version:) .*$/m, `$1 ${version}`);
  const errors = () => {
    let err = '';
    return { io: { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } }, text: () => err };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'upgrade-path-'));
    mkdirSync(join(root, 'clusters'));
    mkdirSync(join(root, 'dist', 'lab'), { recursive: true });
    // GIVEN a cluster last synthesized at 1.30.3
    cpSync('dist/lab/versions.json', join(root, 'dist', 'lab', 'versions.json'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('GIVEN lab at 1.30.3 WHEN the spec jumps to 1.32.2 THEN npm run synth fails with file: field: message (received) and writes nothing', () => {
    writeFileSync(join(root, 'clusters', 'lab.yaml'), spec('1.32.2'));
    const e = errors();
    expect(runSynth(['--spec', join(root, 'clusters', 'lab.yaml'), '--out', root], e.io)).toBe(1);
    expect(e.text()).toMatch(/^error: .*clusters\/lab\.yaml: kubernetes\.version: kubeadm upgrades one minor at a time: the cluster runs 1\.30\.3; upgrade to 1\.31\.x first, then to 1\.32\.2 \(last synthesized in .*dist\/lab\/versions\.json; .*\) \(received "?1\.32\.2"?\)$/m);
    expect(JSON.parse(readFileSync(join(root, 'dist', 'lab', 'versions.json'), 'utf8')).kubernetes).toBe('1.30.3');
  });

  test('GIVEN lab at 1.30.3 WHEN the spec goes to 1.31.4 THEN synth accepts it and records 1.31.4; WHEN synthesized again THEN still accepted', () => {
    writeFileSync(join(root, 'clusters', 'lab.yaml'), spec('1.31.4'));
    const quiet = { write: () => true };
    for (let i = 0; i < 2; i++) expect(runSynth(['--spec', join(root, 'clusters', 'lab.yaml'), '--out', root], { stdout: quiet, stderr: quiet })).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'dist', 'lab', 'versions.json'), 'utf8')).kubernetes).toBe('1.31.4');
    expect(readFileSync(join(root, 'dist', 'lab', 'UPGRADE.md'), 'utf8')).toContain('to Kubernetes 1.31.4');
  });

  test('GIVEN lab at 1.30.3 WHEN the spec downgrades THEN cdk8s synth and cdktf synth refuse it too', () => {
    writeFileSync(join(root, 'clusters', 'lab.yaml'), spec('1.30.1'));
    const cdk8s = errors();
    expect(runCdk8sApp({ root, stderr: cdk8s.io.stderr })).toBe(1);
    expect(cdk8s.text()).toContain('downgrades are not supported');
    const cdktf = errors();
    expect(runInfraApp({ clustersDir: join(root, 'clusters'), outdir: join(root, 'cdktf.out'), stderr: cdktf.io.stderr })).toBe(1);
    expect(cdktf.text()).toContain('kubernetes.version: downgrades are not supported');
  });

  const unpinned = () => readFileSync('clusters/lab.yaml', 'utf8').replace(/^kubernetes:\n {2}version: .*\n/m, '');

  test('GIVEN lab last synthesized at 1.30.3 WHEN the spec names no version and the default is another THEN synth refuses, naming both versions, and writes nothing', () => {
    // GIVEN the toolkit's default is not the version the cluster runs
    expect(DEFAULT_KUBERNETES_VERSION).not.toBe('1.30.3');
    writeFileSync(join(root, 'clusters', 'lab.yaml'), unpinned());
    const e = errors();
    expect(runSynth(['--spec', join(root, 'clusters', 'lab.yaml'), '--out', root], e.io)).toBe(1);
    expect(e.text()).toMatch(new RegExp(`^error: .*clusters/lab\\.yaml: kubernetes\\.version: not set, and the toolkit's default \\(${DEFAULT_KUBERNETES_VERSION}\\) is not the version this cluster runs \\(1\\.30\\.3, last synthesized in .*\\): set it to "1\\.30\\.3" to stay, or to "${DEFAULT_KUBERNETES_VERSION}" and run upgrade\\.sh$`, 'm'));
    expect(JSON.parse(readFileSync(join(root, 'dist', 'lab', 'versions.json'), 'utf8')).kubernetes).toBe('1.30.3');
  });

  test('GIVEN a new cluster (no versions.json) WHEN the spec names no version THEN it gets the newest checked patch of the default minor', () => {
    rmSync(join(root, 'dist', 'lab', 'versions.json'));
    writeFileSync(join(root, 'clusters', 'lab.yaml'), unpinned());
    const quiet = { write: () => true };
    expect(runSynth(['--spec', join(root, 'clusters', 'lab.yaml'), '--out', root], { stdout: quiet, stderr: quiet })).toBe(0);
    const minor = KUBERNETES_MATRIX.find((m) => DEFAULT_KUBERNETES_VERSION.startsWith(`${m.minor}.`))!;
    expect(DEFAULT_KUBERNETES_VERSION).toBe(`${minor.minor}.${minor.latestPatch}`);
    expect(JSON.parse(readFileSync(join(root, 'dist', 'lab', 'versions.json'), 'utf8')).kubernetes).toBe(DEFAULT_KUBERNETES_VERSION);
  });
});

describe('an unpinned version is accepted only while the default is what the cluster runs', () => {
  test('GIVEN a cluster at the default WHEN the spec names no version THEN nothing is refused', () => {
    expect(upgradePathIssues(DEFAULT_KUBERNETES_VERSION, DEFAULT_KUBERNETES_VERSION, 'x', false)).toEqual([]);
  });

  test('GIVEN a cluster at a newer version than the default WHEN the spec names none THEN it is refused (never a downgrade by omission)', () => {
    expect(upgradePathIssues('1.31.4', DEFAULT_KUBERNETES_VERSION, 'x', false)).toEqual([
      expect.objectContaining({ path: ['kubernetes', 'version'], message: expect.stringContaining('set it to "1.31.4" to stay') }),
    ]);
  });
});
