/** Runs the bootstrap's shell core for real (bash), with its state and log redirected to a temp dir. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_PATHS } from '../../cloud-init';
import { shellLib } from '../../cloud-init/scripts/lib';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pve-k8s-core-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The shell core with every node path moved under the temp dir, followed by `body`. */
function run(body: string): { status: number | null; out: string } {
  let lib = shellLib();
  for (const p of [NODE_PATHS.log, NODE_PATHS.stateDir, NODE_PATHS.failedMarker, NODE_PATHS.doneMarker]) {
    lib = lib.split(`'${p}'`).join(`'${dir}${p}'`);
  }
  const script = ['set -euo pipefail', `mkdir -p '${dir}/var/log' '${dir}/var/lib'`, lib, body].join('\n');
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const state = (p: string) => join(dir, p);

describe('bootstrap shell core', () => {
  test('a failing command stops its step (errexit), names the step in the failure marker and stops the run', () => {
    const r = run([
      'step_ok() { true; }',
      'step_bad() { false; echo "after false"; }',
      'step_never() { echo never; }',
      'run_step ok step_ok', 'run_step bad step_bad', 'run_step never step_never', 'finish',
    ].join('\n'));
    expect(r.status).not.toBe(0);
    expect(r.out).not.toContain('after false');
    expect(r.out).not.toContain('never');
    expect(readFileSync(state(NODE_PATHS.failedMarker), 'utf8')).toBe('bad\n');
    expect(existsSync(state(`${NODE_PATHS.stateDir}/done/ok`))).toBe(true);
    expect(existsSync(state(`${NODE_PATHS.stateDir}/done/bad`))).toBe(false);
    expect(readFileSync(state(NODE_PATHS.log), 'utf8')).toContain('step bad: FAILED (exit 1)');
  });

  test('a rerun skips completed steps, and success clears the failure marker', () => {
    run('step_a() { echo ran-a; }\nrun_step a step_a\nstep_b() { false; }\nrun_step b step_b');
    const r = run('step_a() { echo ran-a; }\nrun_step a step_a\nstep_b() { echo ran-b; }\nrun_step b step_b\nfinish');
    expect(r.status).toBe(0);
    expect(r.out).toContain('step a: already done');
    expect(r.out).not.toContain('ran-a');
    expect(r.out).toContain('ran-b');
    expect(existsSync(state(NODE_PATHS.failedMarker))).toBe(false);
    expect(existsSync(state(NODE_PATHS.doneMarker))).toBe(true);
  });

  test('retry gives up after the given number of attempts', () => {
    const r = run('n=0\ncount() { n=$((n + 1)); echo "try $n"; return 1; }\nif retry 3 0 count; then echo ok; else echo "gave up after $n"; fi');
    expect(r.out).toContain('gave up after 3');
    expect(r.out).toContain('giving up after 3 attempts: count');
  });

  test('retry returns as soon as the command succeeds', () => {
    const r = run('n=0\nsecond() { n=$((n + 1)); [[ $n -ge 2 ]]; }\nretry 5 0 second\necho "done after $n"');
    expect(r.status).toBe(0);
    expect(r.out).toContain('done after 2');
  });
});
