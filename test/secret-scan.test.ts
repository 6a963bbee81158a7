import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../bin/synth-cli';

/** Shapes of secrets that must never appear literally in anything we write. */
const SECRET_PATTERNS: readonly [string, RegExp][] = [
  ['kubeadm bootstrap token', /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/],
  ['kubeadm certificate key', /certificate[-_]?key["']?\s*[:=]?\s*["']?[0-9a-f]{64}\b/i],
  ['PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['Proxmox API token', /[\w.-]+@[\w.-]+![\w-]+=[0-9a-f]{8}-[0-9a-f]{4}-/],
  ['AWS access key', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['age private key', /AGE-SECRET-KEY-1[0-9A-Z]{58}/],
  ['32-byte base64 key', /\bsecret:\s*["']?[A-Za-z0-9+/]{43}=/],
  ['password literal', /(?<!existing\w*)(password|passwd|auth_pass)["']?([ \t]*[:=][ \t]*|[ \t]+)["']?(?![<$@{]|\S*_(PASSWORD|SECRET))[A-Za-z0-9+/=_-]{8,}/i],
];

export function findSecrets(text: string): string[] {
  return SECRET_PATTERNS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('secret scan', () => {
  test.each([
    ['token: abcdef.0123456789abcdef', 'kubeadm bootstrap token'],
    ['--certificate-key 3f1e6d1c8d9b4b5ea0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d', 'kubeadm certificate key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'PEM private key'],
    [`${'AGE-SECRET-KEY-'}1${'Q'.repeat(58)}`, 'age private key'],
    ['PROXMOX_VE_API_TOKEN=terraform@pve!ci=0b1c2d3e-1111-2222-3333-444455556666', 'Proxmox API token'],
    ['secret: c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=', '32-byte base64 key'],
    ['    auth_pass s3cr3tpw', 'password literal'],
    ['existingSecretAdminPassword: harbor-admin\nadminPassword: hunter2hunter2', 'password literal'],
    ['adminPassword: hunter2hunter2', 'password literal'],
  ])('catches a planted secret: %s', (text, kind) => {
    expect(findSecrets(text)).toContain(kind);
  });

  test('passes references and placeholders', () => {
    expect(findSecrets('auth_pass ${local.keepalived_password}\npassword: <keepalived-password>\nexistingSecret: grafana-admin')).toEqual([]);
  });

  test('nothing synth writes (Terraform JSON, cloud-configs, manifests) holds a secret literal', () => {
    const out = mkdtempSync(join(tmpdir(), 'scan-'));
    try {
      const io = { stdout: { write: () => true }, stderr: { write: () => true } };
      expect(runSynth(['--out', out], io)).toBe(0);
      const all = files(out);
      expect(all.length).toBeGreaterThan(2);
      const hits = all.flatMap((f) => findSecrets(readFileSync(f, 'utf8')).map((kind) => `${f}: ${kind}`));
      expect(hits).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
