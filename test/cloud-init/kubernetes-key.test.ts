/**
 * The pkgs.k8s.io signing key: a downloaded Release.key is used only when its fingerprint is the
 * pinned one. The rendered lines run in bash with curl stubbed to serve a key made here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_PATHS } from '../../cloud-init/paths';
import { kubernetesKeyLines } from '../../cloud-init/scripts/kube-steps';
import { KUBERNETES_APT } from '../../spec';
import { lab } from './helpers';

let tmp: string;
let key: { file: string; fingerprint: string };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-key-'));
  const home = join(tmp, 'gnupg');
  execFileSync('install', ['-d', '-m', '0700', home]);
  execFileSync('gpg', ['--batch', '--homedir', home, '--passphrase', '', '--quick-gen-key', 'not pkgs.k8s.io <test@invalid>', 'ed25519', 'sign', 'never'], { stdio: 'ignore' });
  const file = join(tmp, 'Release.key');
  writeFileSync(file, execFileSync('gpg', ['--batch', '--homedir', home, '--armor', '--export']));
  const colons = execFileSync('gpg', ['--batch', '--homedir', home, '--with-colons', '--fingerprint'], { encoding: 'utf8' });
  key = { file, fingerprint: colons.split('\n').find((l) => l.startsWith('fpr:'))!.split(':')[9]! };
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The rendered lines with the keyring under the temp folder; `pinned` replaces the fingerprint. */
function run(pinned?: string) {
  const keyring = join(tmp, `keyring-${pinned ?? 'real'}.gpg`);
  let lines = kubernetesKeyLines(lab()).join('\n')
    .replaceAll(NODE_PATHS.kubernetesAptKeyring, keyring)
    .replaceAll('/etc/apt/keyrings', tmp)
    .replaceAll('/tmp/kubernetes-release.key', join(tmp, 'downloaded.key'));
  if (pinned) lines = lines.replaceAll(KUBERNETES_APT.signingKeyFingerprint, pinned);
  const script = [
    'set -euo pipefail',
    'log() { echo "$*" >&2; }',
    'retry() { shift 2; "$@"; }',
    `curl() { cp ${key.file} "$3"; }`,
    lines,
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, GNUPGHOME: join(tmp, 'gnupg') } });
  return { status: r.status, stderr: r.stderr, keyring: existsSync(keyring) };
}

describe('pkgs.k8s.io signing key', () => {
  test('the pinned fingerprint is a full 40-digit OpenPGP v4 fingerprint', () => {
    expect(KUBERNETES_APT.signingKeyFingerprint).toMatch(/^[0-9A-F]{40}$/);
  });

  test('GIVEN a Release.key with another fingerprint WHEN the bootstrap downloads it THEN it stops and installs no keyring', () => {
    const out = run();
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`has fingerprint ${key.fingerprint}, not ${KUBERNETES_APT.signingKeyFingerprint}: refused`);
    expect(out.keyring).toBe(false);
  });

  test('GIVEN the key whose fingerprint is pinned THEN the keyring is installed', () => {
    const out = run(key.fingerprint);
    expect(out.stderr).not.toContain('refused');
    expect(out.status).toBe(0);
    expect(out.keyring).toBe(true);
  });
});
