/**
 * `npm run new -- <name>` writes a spec whose VM IDs, Keepalived router ID and node network are free
 * among the existing specs (read through the loader), marks what the user must change, and
 * refuses a taken or invalid name without writing anything. The spec it writes synthesizes.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNew } from '../../bin/new-cli';
import { freeSlots } from '../../bin/new-spec';
import { runSynth } from '../../bin/synth-cli';
import { DEFAULT_KUBERNETES_VERSION, loadSpecFile, loadSpecSet, specFilesIn } from '../../spec';

function run(fn: (argv: string[], io: never) => number, argv: string[]) {
  const r = { stdout: '', stderr: '' };
  const io = { stdout: { write: (t: string) => (r.stdout += t) }, stderr: { write: (t: string) => (r.stderr += t) } };
  const code = fn(argv, io as never);
  return { code, ...r };
}

/** A temp spec folder holding copies of clusters/*.yaml, used through PVE_K8S_CLUSTERS_DIR. */
function clustersCopy(root: string): string {
  const dir = join(root, 'clusters');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync('clusters')) copyFileSync(join('clusters', f), join(dir, f));
  return dir;
}

describe('npm run new -- <name>', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'new-test-'));
  const saved = process.env.PVE_K8S_CLUSTERS_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.PVE_K8S_CLUSTERS_DIR;
    else process.env.PVE_K8S_CLUSTERS_DIR = saved;
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('GIVEN lab and dev WHEN a new cluster is written THEN its VM IDs, router ID and network are free, its placeholders marked, and it synthesizes beside them', () => {
    const dir = clustersCopy(join(tmp, 'fresh'));
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    const r = run(runNew, ['prod']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'prod.yaml');
    expect(r.stdout).toContain(`wrote ${file}: VM IDs from 1001, Keepalived router ID 53, node network 10.10.0.0/24`);
    // THEN the set with it loads (every cross-cluster rule) and its values differ from lab's and dev's
    const set = loadSpecSet(specFilesIn(dir));
    const prod = set.find((s) => s.model.name === 'prod')!.model;
    const others = set.filter((s) => s.model.name !== 'prod').map((s) => s.model);
    const otherIds = new Set(others.flatMap((m) => m.nodes.map((n) => n.vmId)));
    expect(prod.nodes.filter((n) => otherIds.has(n.vmId))).toEqual([]);
    expect(others.map((m) => m.loadBalancer.routerId)).not.toContain(prod.loadBalancer.routerId);
    // THEN its Kubernetes version is pinned (a later toolkit's default never moves it)
    expect(prod.kubernetes).toEqual(expect.objectContaining({ version: DEFAULT_KUBERNETES_VERSION, pinned: true }));
    // THEN every value the user must give is marked, and synth warns about the example ones
    const text = readFileSync(file, 'utf8');
    for (const field of ['domain:', 'endpoint:', 'hosts:', 'network:', 'authorizedKeys:', 'repoUrl:']) {
      expect(text.split('\n').find((l) => l.trimStart().startsWith(field))).toMatch(/# CHANGE ME/);
    }
    expect(loadSpecFile(file).warnings.map((w) => w.path.join('.'))).toEqual(['image.checksum', 'domain', 'proxmox.endpoint', 'ssh.authorizedKeys.0', 'addons.gitops.repoUrl']);
    // WHEN synth runs on that folder (PVE_K8S_CLUSTERS_DIR) THEN it synthesizes all three
    const out = join(tmp, 'fresh', 'out');
    const s = run(runSynth, ['--out', out]);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain(`synthesized prod: 6 nodes -> ${join(out, 'cdktf.out', 'stacks', 'prod')}`);
    expect(existsSync(join(out, 'dist', 'prod', 'manifests'))).toBe(true);
    expect(s.stderr).toContain(`warning: ${file}: domain: still an example value (the example domain example.internal)`);
  });

  test('GIVEN a new cluster WHEN another one is written THEN it takes the next free values', () => {
    const dir = clustersCopy(join(tmp, 'twice'));
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    expect(run(runNew, ['one']).code).toBe(0);
    const r = run(runNew, ['two']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VM IDs from 4001, Keepalived router ID 54, node network 10.40.0.0/24');
  });

  test('GIVEN an empty spec folder WHEN the first cluster is written THEN it gets the first values', () => {
    const dir = join(tmp, 'empty', 'clusters');
    mkdirSync(dir, { recursive: true });
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    const r = run(runNew, ['first']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VM IDs from 1001, Keepalived router ID 51, node network 10.10.0.0/24');
  });

  test.each([
    ['lab', 'lab.yaml: name: a spec file of this name exists already: choose another name (received "lab")'],
    ['Lab_1', 'Lab_1.yaml: name: '],
    ['1lab', '1lab.yaml: name: cluster name must start with a letter'],
    ['../escape', '../escape.yaml: name: '],
  ])('GIVEN the name %s WHEN new runs THEN it is refused as file: field: message, exit 1, nothing written', (name, message) => {
    const dir = clustersCopy(join(tmp, `bad-${name.replace(/\W/g, '_')}`));
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    const before = readdirSync(dir).sort();
    const r = run(runNew, [name]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${join(dir, message.split(':')[0]!)}:${message.split(':').slice(1).join(':')}`);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, '..', 'escape.yaml'))).toBe(false);
  });

  test('GIVEN a spec of another file name already defines the cluster WHEN new runs THEN the name is refused', () => {
    const dir = join(tmp, 'renamed', 'clusters');
    mkdirSync(dir, { recursive: true });
    copyFileSync('clusters/lab.yaml', join(dir, 'main.yaml'));
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    const r = run(runNew, ['lab']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${join(dir, 'lab.yaml')}: name: cluster name is already used by ${join(dir, 'main.yaml')} (received "lab")`);
    expect(readdirSync(dir)).toEqual(['main.yaml']);
  });

  test('GIVEN an existing spec that does not load WHEN new runs THEN its errors are printed and nothing is written', () => {
    const dir = clustersCopy(join(tmp, 'broken'));
    writeFileSync(join(dir, 'dev.yaml'), readFileSync(join(dir, 'dev.yaml'), 'utf8').replace('vmIdBase: 3000', 'vmIdBase: 12'));
    process.env.PVE_K8S_CLUSTERS_DIR = dir;
    const r = run(runNew, ['prod']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${join(dir, 'dev.yaml')}: proxmox.vmIdBase: `);
    expect(existsSync(join(dir, 'prod.yaml'))).toBe(false);
  });

  test('GIVEN no name or two WHEN new runs THEN it prints its usage and exits 1', () => {
    expect(run(runNew, []).code).toBe(1);
    const r = run(runNew, ['a', 'b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Usage: npm run new -- <name>');
  });
});

describe('freeSlots', () => {
  test('GIVEN VM IDs outside their base block (a pool vmIdStart) WHEN a base is chosen THEN that block is taken too', () => {
    const lab = loadSpecFile('clusters/lab.yaml').model;
    const moved = { ...lab, nodes: [...lab.nodes, { ...lab.nodes[0]!, vmId: 1500 }] };
    expect(freeSlots([moved])).toMatchObject({ vmIdBase: 3000 });
  });
});
