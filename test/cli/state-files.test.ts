/**
 * Terraform's files survive every synth: `npm run synth` (runSynth), `cdktf synth` (runInfraApp,
 * what cdktf-cli runs through bin/cdktf-app.ts) and `cdk8s synth` (runCdk8sApp, through
 * bin/cdk8s-app.ts). The CLIs themselves are not spawned (each would rebuild lib/ first); they
 * call these functions and nothing else writes.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runSynth } from '../../bin/synth-cli';
import { runCdk8sApp } from '../../bin/cdk8s-run';
import { runInfraApp } from '../../bin/cdktf-run';

const quiet = { write: () => true };
const io = { stdout: quiet, stderr: quiet };

/** A project folder with clusters/lab.yaml and a deployed-looking Terraform working folder. */
function deployedProject(): { root: string; files: Map<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'state-files-'));
  mkdirSync(join(root, 'clusters'));
  cpSync('clusters/lab.yaml', join(root, 'clusters', 'lab.yaml'));
  const files = new Map<string, string>([
    ['state/lab.tfstate', '{"version":4,"serial":7}'],
    ['state/lab.tfstate.backup', '{"version":4,"serial":6}'],
    ['cdktf.out/stacks/lab/.terraform/terraform.tfstate', '{"backend":{}}'],
    ['cdktf.out/stacks/lab/.terraform/providers/registry.terraform.io/bpg/proxmox/0.80.0/linux_amd64/terraform-provider-proxmox_v0.80.0', 'binary'],
    ['cdktf.out/stacks/lab/.terraform.lock.hcl', 'provider "registry.terraform.io/bpg/proxmox" {}'],
    ['cdktf.out/stacks/other/cdk.tf.json', '{"other":"cluster"}'],
  ]);
  for (const [path, content] of files) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, files };
}

function expectSurvived(root: string, files: Map<string, string>): void {
  for (const [path, content] of files) expect([path, readFileSync(join(root, path), 'utf8')]).toEqual([path, content]);
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

describe('Terraform state, .terraform/ and the lock file survive every synth', () => {
  let project: ReturnType<typeof deployedProject>;
  beforeEach(() => (project = deployedProject()));
  afterEach(() => rmSync(project.root, { recursive: true, force: true }));

  test('npm run synth replaces only the files it generates', () => {
    // GIVEN a deployed project; WHEN npm run synth runs twice
    for (let i = 0; i < 2; i++) expect(runSynth(['--spec', join(project.root, 'clusters', 'lab.yaml'), '--out', project.root], io)).toBe(0);
    // THEN the stack is written and every Terraform file (and another cluster's stack) is intact
    expect(existsSync(join(project.root, 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    expectSurvived(project.root, project.files);
  });

  test('cdktf synth (its app) replaces only the files it generates', () => {
    const outdir = join(project.root, 'cdktf.out');
    rmSync(join(outdir, 'stacks', 'other'), { recursive: true });
    project.files.delete('cdktf.out/stacks/other/cdk.tf.json');
    expect(runInfraApp({ clustersDir: join(project.root, 'clusters'), outdir, stderr: quiet })).toBe(0);
    expect(existsSync(join(outdir, 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    expectSurvived(project.root, project.files);
  });

  test('cdk8s synth writes only dist/ (and the missing users\' folder apps/<cluster>/ it creates once)', () => {
    const before = tree(project.root);
    let err = '';
    expect(runCdk8sApp({ root: project.root, scratch: join(project.root, '.cdk8s.out'), stderr: { write: (t: string) => (err += t) } })).toBe(0);
    // cdk8s-cli shows only the app's stderr: the report says where dist/ went.
    expect(err).toContain(`[cdk8s] lab: wrote ${join(project.root, 'dist', 'lab')}/ (commit it`);
    expectSurvived(project.root, project.files);
    const added = tree(project.root).filter((f) => !before.includes(f));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((f) => !f.startsWith('dist/lab/') && !f.startsWith('.cdk8s.out/lab/') && f !== 'apps/lab/README.md')).toEqual([]);
  });

  test('cdktf synth stops, writing nothing, when a stack folder it would delete holds Terraform files', () => {
    // GIVEN another cluster's stack with a lock file, whose spec is not loaded
    writeFileSync(join(project.root, 'cdktf.out', 'stacks', 'other', '.terraform.lock.hcl'), 'lock');
    const before = tree(project.root);
    let err = '';
    const code = runInfraApp({ clustersDir: join(project.root, 'clusters'), outdir: join(project.root, 'cdktf.out'), stderr: { write: (t: string) => (err += t) } });
    // THEN exit 1, the folder is named with what it holds, and nothing was written
    expect(code).toBe(1);
    expect(err).toContain('holds Terraform files (.terraform.lock.hcl) but no loaded spec names cluster other');
    expect(tree(project.root)).toEqual(before);
  });
});

describe('a state at the old place (inside the stack folder) is moved, never deleted', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'state-move-'));
    mkdirSync(join(root, 'cdktf.out', 'stacks', 'lab'), { recursive: true });
    writeFileSync(join(root, 'cdktf.out', 'stacks', 'lab', 'terraform.lab.tfstate'), 'old state');
    writeFileSync(join(root, 'cdktf.out', 'stacks', 'lab', 'terraform.lab.tfstate.backup'), 'old backup');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('npm run synth moves it to state/<name>.tfstate and says what to run next', () => {
    let err = '';
    const code = runSynth(['--spec', 'clusters/lab.yaml', '--out', root], { stdout: quiet, stderr: { write: (t: string) => (err += t) } });
    expect(code).toBe(0);
    expect(readFileSync(join(root, 'state', 'lab.tfstate'), 'utf8')).toBe('old state');
    expect(readFileSync(join(root, 'state', 'lab.tfstate.backup'), 'utf8')).toBe('old backup');
    expect(existsSync(join(root, 'cdktf.out', 'stacks', 'lab', 'terraform.lab.tfstate'))).toBe(false);
    expect(err).toContain('moved Terraform state of lab');
    expect(err).toContain('cdktf deploy lab --migrate-state');
  });

  test('cdktf synth moves it too', () => {
    mkdirSync(join(root, 'clusters'));
    cpSync('clusters/lab.yaml', join(root, 'clusters', 'lab.yaml'));
    expect(runInfraApp({ clustersDir: join(root, 'clusters'), outdir: join(root, 'cdktf.out'), stderr: quiet })).toBe(0);
    expect(readFileSync(join(root, 'state', 'lab.tfstate'), 'utf8')).toBe('old state');
  });

  test('with a state at both places, synth stops, writes nothing and says how to choose', () => {
    mkdirSync(join(root, 'state'));
    writeFileSync(join(root, 'state', 'lab.tfstate'), 'new state');
    const before = tree(root);
    let err = '';
    const code = runSynth(['--spec', 'clusters/lab.yaml', '--out', root], { stdout: quiet, stderr: { write: (t: string) => (err += t) } });
    expect(code).toBe(1);
    expect(err).toContain('a Terraform state exists at the old place');
    expect(err).toContain('higher "serial"');
    expect(tree(root)).toEqual(before);
    expect(readFileSync(join(root, 'cdktf.out', 'stacks', 'lab', 'terraform.lab.tfstate'), 'utf8')).toBe('old state');
  });
});
