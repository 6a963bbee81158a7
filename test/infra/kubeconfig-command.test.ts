import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigCommand } from '../../infra/stack';
import { labModel, synthStack } from './helpers';

/**
 * Runs a kubeconfig command with the operator's umask 022 in a scratch folder, with a stand-in
 * `ssh` on PATH that prints a kubeconfig (or fails). Returns the kubeconfig file's mode and text.
 */
function run(command: string, ssh: 'ok' | 'fails', existing?: { text: string; mode: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-command-'));
  try {
    const bin = join(dir, 'bin');
    spawnSync('mkdir', [bin]);
    writeFileSync(join(bin, 'ssh'), ssh === 'ok' ? '#!/bin/sh\necho "apiVersion: v1 # admin"\n' : '#!/bin/sh\necho "ssh: connect refused" >&2\nexit 255\n', { mode: 0o755 });
    const file = join(dir, 'kubeconfig-lab.yaml');
    if (existing) {
      writeFileSync(file, existing.text);
      chmodSync(file, existing.mode);
    }
    const r = spawnSync('sh', ['-c', `umask 022; ${command}`], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
    const st = statSync(file, { throwIfNoEntry: false });
    return { status: r.status, mode: st ? (st.mode & 0o777).toString(8) : 'absent', text: st ? readFileSync(file, 'utf8') : '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('kubeconfig_command', () => {
  const model = labModel();
  const command = kubeconfigCommand(model);

  test('GIVEN the stack WHEN synthesized THEN its kubeconfig_command output is this command', () => {
    expect(synthStack(model).output.kubeconfig_command.value).toBe(command);
    expect(command).toContain('ssh ubuntu@10.20.0.11 sudo cat /etc/kubernetes/admin.conf');
  });

  test('GIVEN an operator umask of 022 WHEN the command runs THEN the admin kubeconfig is written 0600', () => {
    expect(run(command, 'ok')).toEqual({ status: 0, mode: '600', text: 'apiVersion: v1 # admin\n' });
  });

  test('GIVEN a kubeconfig fetched earlier with mode 0644 WHEN the command runs again THEN the file becomes 0600', () => {
    expect(run(command, 'ok', { text: 'old\n', mode: 0o644 })).toEqual({ status: 0, mode: '600', text: 'apiVersion: v1 # admin\n' });
  });

  test('GIVEN ssh fails WHEN the command runs THEN it fails and the existing kubeconfig is untouched', () => {
    expect(run(command, 'fails', { text: 'working\n', mode: 0o600 })).toEqual({ status: 255, mode: '600', text: 'working\n' });
  });

  test('GIVEN the old command (plain redirect) THEN the same harness finds the kubeconfig world-readable (negative control)', () => {
    const old = 'ssh ubuntu@10.20.0.11 sudo cat /etc/kubernetes/admin.conf > kubeconfig-lab.yaml';
    expect(run(old, 'ok').mode).toBe('644');
  });
});
