/**
 * The three entry points (`npm run synth`, `cdk8s synth`, `cdktf synth`) are adapters of one
 * pipeline (bin/pipeline.ts): the same rule for where specs come from (PVE_K8S_CLUSTERS_DIR, else
 * clusters/), the same warning and error lines, and on an error: exit 1 and nothing written.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCdk8sApp } from '../../bin/cdk8s-run';
import { runInfraApp } from '../../bin/cdktf-run';
import { specFolder } from '../../bin/pipeline';
import { runSynth } from '../../bin/synth-cli';
import { tree } from './tree';


type Entry = (root: string) => { code: number; stderr: string };
const ENTRY_POINTS: [string, Entry][] = [
  ['npm run synth', (root) => {
    let stderr = '';
    const code = runSynth(['--out', root], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } });
    return { code, stderr };
  }],
  ['cdk8s synth', (root) => {
    let stderr = '';
    const code = runCdk8sApp({ root, scratch: join(root, '.cdk8s.out'), stderr: { write: (t: string) => (stderr += t) } });
    return { code, stderr };
  }],
  ['cdktf synth', (root) => {
    let stderr = '';
    const code = runInfraApp({ root, outdir: join(root, 'cdktf.out'), stderr: { write: (t: string) => (stderr += t) } });
    return { code, stderr };
  }],
];

describe('entry points: one pipeline', () => {
  let tmp: string;
  let specs: string;
  const saved = process.env.PVE_K8S_CLUSTERS_DIR;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'entry-points-'));
    // The specs live outside the project root: only PVE_K8S_CLUSTERS_DIR can point at them.
    specs = join(tmp, 'specs');
    mkdirSync(specs);
    process.env.PVE_K8S_CLUSTERS_DIR = specs;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PVE_K8S_CLUSTERS_DIR;
    else process.env.PVE_K8S_CLUSTERS_DIR = saved;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('GIVEN PVE_K8S_CLUSTERS_DIR WHEN no variable is set THEN clusters/ under the root; WHEN set THEN that folder', () => {
    expect(specFolder('/p', {})).toEqual({ dir: '/p/clusters' });
    expect(specFolder('/p', { PVE_K8S_CLUSTERS_DIR: '/s' })).toEqual({ dir: '/s', from: 'PVE_K8S_CLUSTERS_DIR' });
    expect(specFolder('/p', { PVE_K8S_CLUSTERS_DIR: '' })).toEqual({ dir: '/p/clusters' });
  });

  it.each(ENTRY_POINTS)('GIVEN a bad spec in PVE_K8S_CLUSTERS_DIR WHEN %s runs THEN exit 1, `error: file: field: message (received ...)`, nothing written', (_name, run) => {
    const bad = join(specs, 'lab.yaml');
    writeFileSync(bad, readFileSync('clusters/lab.yaml', 'utf8').replace('vip: 10.20.0.10', 'vip: 10.20.0.205'));
    const root = join(tmp, 'project');
    mkdirSync(root);
    writeFileSync(join(root, 'keep.txt'), 'the project as it was');
    const before = tree(root);

    const { code, stderr } = run(root);

    expect(code).toBe(1);
    expect(stderr).toBe(`error: ${bad}: network.vip: the VIP is inside the MetalLB pool 10.20.0.200-10.20.0.220 (received "10.20.0.205")\n`);
    expect(tree(root)).toEqual(before);
    expect(readdirSync(tmp).sort()).toEqual(['project', 'specs']);
  });

  it.each(ENTRY_POINTS)('GIVEN a spec folder that does not exist WHEN %s runs THEN exit 1 naming the folder and the variable, nothing written', (_name, run) => {
    process.env.PVE_K8S_CLUSTERS_DIR = join(tmp, 'missing');
    const root = join(tmp, 'project');
    mkdirSync(root);
    const { code, stderr } = run(root);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: ${join(tmp, 'missing')}: (root): cannot read the spec folder: ENOENT (folder from PVE_K8S_CLUSTERS_DIR)\n`);
    expect(readdirSync(root)).toEqual([]);
  });

  it('GIVEN a valid spec with a warning WHEN each entry point runs THEN each prints the same `warning:` line, once', () => {
    copyFileSync('clusters/dev.yaml', join(specs, 'dev.yaml'));
    const warning = `warning: ${join(specs, 'dev.yaml')}: controlPlane.count: a single control plane is not highly available (received 1)\n`;
    const printed: string[][] = [];
    for (const [name, run] of ENTRY_POINTS) {
      const root = join(tmp, name.replace(/ /g, '-'));
      mkdirSync(root);
      const { code, stderr } = run(root);
      expect({ name, code }).toEqual({ name, code: 0 });
      const warnings = stderr.split('\n').filter((l) => l.startsWith('warning:')).map((l) => `${l}\n`);
      expect({ name, once: warnings.filter((w) => w === warning).length }).toEqual({ name, once: 1 });
      expect(stderr).not.toContain('error');
      printed.push(warnings);
    }
    // The same warnings (dev.yaml's example values and unchecked image too), in the same order, from each.
    for (const warnings of printed) expect(warnings).toEqual(printed[0]);
  });
});
