/**
 * dist/<name>/backup-identity.sh: the cluster identity leaves the first control plane only encrypted,
 * and RESTORE.md's full rebuild restores exactly those files. (The round trip against a stub node:
 * scripts/verify-identity-backup.sh.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY_FILES, identityDecryptCommand, renderBackupIdentityScript } from '../../lifecycle';
import { fullRebuild } from '../../runbooks/restore';
import { lab } from '../cloud-init/helpers';

describe('backup-identity.sh: the cluster identity, encrypted, off the nodes', () => {
  const model = lab();
  const script = renderBackupIdentityScript(model);

  test('GIVEN lab THEN the script reads every CA key, the service-account keys and the encryption configuration from the first control plane', () => {
    for (const f of ['/etc/kubernetes/pki/ca.key', '/etc/kubernetes/pki/sa.key', '/etc/kubernetes/pki/front-proxy-ca.key', '/etc/kubernetes/pki/etcd/ca.key', '/etc/kubernetes/encryption/config.yaml']) {
      expect(IDENTITY_FILES).toContain(f);
      expect(script).toContain(f);
    }
    expect(script).toContain(`readonly NODE_NAME=${model.controlPlanes[0]!.name} NODE_IP=${model.controlPlanes[0]!.ip}`);
  });

  test('GIVEN the script THEN the passphrase is read from a file by openssl, never from an argument or the environment value', () => {
    expect(script).toContain('-pass "file:$pass"');
    expect(script).not.toMatch(/-pass (pass|env):/);
    expect(script).not.toMatch(/-k /);
  });

  test.each([
    ['no passphrase file', {}, 'PVE_K8S_IDENTITY_PASSPHRASE_FILE must name'],
    ['an output inside a Git work tree', { git: true }, 'inside a Git work tree'],
  ])('GIVEN %s WHEN the script runs THEN it stops before contacting the node', (_name, opts: { git?: boolean }, message) => {
    const tmp = mkdtempSync(join(tmpdir(), 'backup-identity-'));
    try {
      writeFileSync(join(tmp, 'pass'), 'x\n');
      writeFileSync(join(tmp, 'exec'), '#!/bin/sh\ntouch "$(dirname "$0")/contacted"\n', { mode: 0o755 });
      if (opts.git) spawnSync('git', ['init', '-q', tmp]);
      const env: NodeJS.ProcessEnv = { ...process.env, PVE_K8S_NODE_EXEC: join(tmp, 'exec') };
      delete env.PVE_K8S_IDENTITY_PASSPHRASE_FILE;
      if (opts.git) env.PVE_K8S_IDENTITY_PASSPHRASE_FILE = join(tmp, 'pass');
      const r = spawnSync('bash', ['-c', script, 'backup-identity.sh', join(tmp, 'out.enc')], { env, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
      expect(spawnSync('test', ['-e', join(tmp, 'contacted')]).status).toBe(1);
      expect(spawnSync('test', ['-e', join(tmp, 'out.enc')]).status).toBe(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('RESTORE.md full rebuild: identity first, one-member etcd, kubeadm init on the restored CA, then joins', () => {
  const model = lab();
  const doc = fullRebuild(model, 'registry.k8s.io/etcd:3.5.12-0').join('\n');

  test('GIVEN lab THEN the identity is decrypted with the same cipher options it was encrypted with and streamed to every control plane', () => {
    for (const cp of model.controlPlanes) expect(doc).toContain(`${identityDecryptCommand('$ARCHIVE', '$PASS')} | ssh ${model.ssh.user}@${cp.ip} 'sudo tar`);
  });

  test('GIVEN lab THEN the steps run in order: reset, identity, snapshot, kubeadm init keeping the etcd data, joins', () => {
    const order = ['kubeadm reset -f', 'openssl enc -d', 'etcdutl snapshot restore', 'kubeadm init --config', 'kubeadm token create'];
    const at = order.map((s) => doc.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(doc).toContain('--ignore-preflight-errors=DirAvailable--var-lib-etcd');
  });

  test('GIVEN the embedded kubeadm configuration THEN it carries no bootstrap token or certificate key', () => {
    expect(doc).not.toContain('bootstrapTokens');
    expect(doc).not.toContain('certificateKey');
    expect(doc).not.toContain('__PVE_K8S_SECRET');
  });
});
