import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs a command in bash after `source scripts/tools-env.sh`, with an empty HOME (no cached version check). */
function withToolsEnv(command: string, home: string) {
  return spawnSync('bash', ['-c', `source scripts/tools-env.sh && ${command}`], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home },
    timeout: 60_000,
  });
}

describe('scripts/tools-env.sh keeps cdktf-cli and cdk8s-cli from phoning home', () => {
  const home = mkdtempSync(join(tmpdir(), 'quiet-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  test('GIVEN the tools environment WHEN sourced THEN cdktf checkpoint and cdk8s upgrade checks are off', () => {
    const r = withToolsEnv('echo "$CHECKPOINT_DISABLE $CDK8S_CHECK_UPGRADE"', home);
    expect(r.stdout.trim()).toBe('1 false');
  });

  // `terraform providers lock` ignores the mirror and asks the registry (scripts/verify-deploy.sh runs both forms).
  test('GIVEN the tools environment WHEN sourced THEN cdktf deploy/diff skip `providers lock` (cdktf reads CDKTF_* options)', () => {
    expect(withToolsEnv('echo "$CDKTF_SKIP_PROVIDER_LOCK"', home).stdout.trim()).toBe('true');
  });

  test('GIVEN the tools environment WHEN cdk8s-cli synthesizes THEN it neither checks for upgrades nor prints a stack trace', () => {
    const out = join(home, 'out');
    const r = withToolsEnv(`node_modules/.bin/cdk8s synth --app 'mkdir -p ${out}' --output ${out}`, home);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/new version|http error|\n\s+at /);
    expect(r.stdout).toContain('Synthesizing application');
    // The check caches what it found in ~/.cdk8s-cli.version: no file, no check.
    expect(spawnSync('ls', ['-A', home], { encoding: 'utf8' }).stdout.trim()).toBe('out');
  });
});
