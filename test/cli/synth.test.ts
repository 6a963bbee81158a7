import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../bin/synth-cli';
import * as infraApp from '../../infra/app';
import { tree } from './tree';

/** stderr without the warnings about the reference specs' example values and unchecked image (test/spec/placeholders.test.ts, image-checksum.test.ts). */
function withoutPlaceholderWarnings(stderr: string): string {
  return stderr.split('\n').filter((l) => !/^warning: .*: (still an example value \(|image\.checksum: Proxmox downloads)/.test(l)).join('\n');
}

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } };
  return { out, io };
}


describe('npm run synth', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'synth-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('--spec FILE --out DIR writes the stack and dist for that one spec', () => {
    const { out, io } = capture();
    const code = runSynth(['--spec', 'clusters/lab.yaml', '--out', join(tmp, 'one')], io);
    expect(withoutPlaceholderWarnings(out.stderr)).toBe('');
    expect(code).toBe(0);
    expect(existsSync(join(tmp, 'one', 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(tmp, 'one', 'dist', 'lab'))).toBe(true);
    expect(existsSync(join(tmp, 'one', 'cdktf.out', 'stacks', 'dev'))).toBe(false);
  });

  test('synth is deterministic: two runs give byte-identical trees', () => {
    const { io } = capture();
    expect(runSynth(['--out', join(tmp, 'a')], io)).toBe(0);
    expect(runSynth(['--out', join(tmp, 'b')], io)).toBe(0);
    const a = tree(join(tmp, 'a'));
    const b = tree(join(tmp, 'b'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [path, content] of a) expect(b.get(path)).toBe(content);
  });

  test('output does not depend on how the spec path is written', () => {
    const { io } = capture();
    expect(runSynth(['--spec', 'clusters/lab.yaml', '--out', join(tmp, 'rel')], io)).toBe(0);
    expect(runSynth(['--spec', join(process.cwd(), 'clusters', '.', 'lab.yaml'), '--out', join(tmp, 'abs')], io)).toBe(0);
    const rel = tree(join(tmp, 'rel'));
    const abs = tree(join(tmp, 'abs'));
    expect([...abs.keys()]).toEqual([...rel.keys()]);
    for (const [path, content] of rel) expect(abs.get(path)).toBe(content);
  });

  test('on a spec error it exits non-zero, prints the error on stderr and writes nothing', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, readFileSync('clusters/lab.yaml', 'utf8').replace('vip: 10.20.0.10', 'vip: 10.20.0.205'));
    const { out, io } = capture();
    const target = join(tmp, 'never');
    const code = runSynth(['--spec', 'clusters/dev.yaml', '--spec', bad, '--out', target], io);
    expect(code).toBe(1);
    expect(out.stderr).toContain(`error: ${bad}: network.vip: the VIP is inside the MetalLB pool`);
    expect(existsSync(target)).toBe(false);
  });

  test('an existing output tree is left untouched when synth fails', () => {
    const target = join(tmp, 'keep');
    const { io } = capture();
    expect(runSynth(['--spec', 'clusters/dev.yaml', '--out', target], io)).toBe(0);
    const before = tree(target);
    expect(runSynth(['--spec', 'clusters/missing.yaml', '--out', target], capture().io)).toBe(1);
    expect(tree(target)).toEqual(before);
  });

  test('a failure after validation leaves the existing output as it was and no temporary folder', () => {
    // GIVEN an earlier synth's output
    const target = join(tmp, 'keep-on-crash');
    expect(runSynth(['--spec', 'clusters/dev.yaml', '--out', target], capture().io)).toBe(0);
    const before = tree(target);
    // WHEN the infra synth fails while dist/ is being written in the background
    const spy = jest.spyOn(infraApp, 'synthInfra').mockImplementation(() => {
      throw new Error('simulated cdktf failure');
    });
    const { out, io } = capture();
    let code: number;
    try {
      code = runSynth(['--spec', 'clusters/lab.yaml', '--out', target], io);
    } finally {
      spy.mockRestore();
    }
    // THEN exit 1 with the cause, the old tree unchanged, nothing else in the folder
    expect(code).toBe(1);
    expect(out.stderr).toContain('simulated cdktf failure');
    expect(tree(target)).toEqual(before);
    expect(readdirSync(target).sort()).toEqual(['cdktf.out', 'dist']);
  });

  test('a failure after validation removes an output folder synth created and prints no stack trace', () => {
    // GIVEN an output folder that does not exist yet
    const target = join(tmp, 'new', 'nested');
    const spy = jest.spyOn(infraApp, 'synthInfra').mockImplementation(() => {
      throw new Error('simulated cdktf failure');
    });
    const { out, io } = capture();
    let code: number;
    try {
      code = runSynth(['--spec', 'clusters/dev.yaml', '--out', target], io);
    } finally {
      spy.mockRestore();
    }
    // THEN exit 1, the cause in one line, and no folder left behind
    expect(code).toBe(1);
    expect(out.stderr).toContain('error: synth failed: simulated cdktf failure\n');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmp, 'new'))).toBe(false);
  });

  test('with --spec, the cross-cluster rules still see every spec in clusters/', () => {
    // GIVEN a new spec whose VM IDs clash with clusters/lab.yaml (same Proxmox cluster)
    const file = join(tmp, 'lab2.yaml');
    writeFileSync(file, readFileSync('clusters/dev.yaml', 'utf8').replace('name: dev', 'name: lab2').replace('- name: pve-dev', '- name: pve1').replace('vmIdBase: 3000', 'vmIdBase: 2000').replace('routerId: 52', 'routerId: 53'));
    const { out, io } = capture();
    // WHEN only it is synthesized
    const code = runSynth(['--spec', file, '--out', join(tmp, 'clash')], io);
    // THEN it is refused, naming the new file and the field the user wrote
    expect(code).toBe(1);
    expect(out.stderr).toContain(`error: ${file}: proxmox.vmIdBase: VM ID 2001 of lab2-cp-1 is also used by lab-cp-1 in clusters/lab.yaml (same Proxmox cluster)`);
    expect(existsSync(join(tmp, 'clash'))).toBe(false);
  });

  test('with --spec, a spec named like one in clusters/ stands in for it (a variant, not a second cluster)', () => {
    // GIVEN a variant of clusters/lab.yaml with another worker size
    const file = join(tmp, 'lab-variant.yaml');
    writeFileSync(file, readFileSync('clusters/lab.yaml', 'utf8').replace('memory: 16384', 'memory: 32768'));
    // WHEN it is synthesized alone THEN it is not compared with the lab it replaces
    const { out, io } = capture();
    expect(runSynth(['--spec', file, '--out', join(tmp, 'variant')], io)).toBe(0);
    expect(withoutPlaceholderWarnings(out.stderr)).toBe('');
  });

  test('a successful synth leaves only cdktf.out, dist and the users\' apps folder it created in the output folder', () => {
    const target = join(tmp, 'only');
    expect(runSynth(['--out', target], capture().io)).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['apps', 'cdktf.out', 'dist']);
    expect(readdirSync(join(target, 'dist')).sort()).toEqual(['dev', 'lab']);
  });

  test.each([
    [['--bogus'], 'unknown argument "--bogus"'],
    [['--out'], '--out needs a value'],
    [['--spec', '--out', 'x'], '--spec needs a value'],
    [['--out', 'a', '--out', 'b'], '--out given twice'],
  ])('bad flags %j are a usage error', (argv, message) => {
    const { out, io } = capture();
    expect(runSynth(argv, io)).toBe(1);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain('Usage: npm run synth');
  });
});
