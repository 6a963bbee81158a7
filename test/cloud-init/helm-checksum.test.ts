/**
 * The Helm CLI the first control plane installs: the tarball's SHA-256 must be the one pinned in
 * spec/versions.ts (never a checksum fetched from the same host). The rendered step runs in bash
 * with dpkg and curl stubbed to serve a tarball made here.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_PATHS } from '../../cloud-init/paths';
import { helmStep } from '../../cloud-init/scripts/addon-steps';
import { COMPONENTS, HELM_DOWNLOAD } from '../../spec';
import { lab } from './helpers';

let tmp: string;
let tarball: string;
let tarballSum: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-helm-'));
  const src = join(tmp, 'src');
  mkdirSync(join(src, 'linux-amd64'), { recursive: true });
  writeFileSync(join(src, 'linux-amd64', 'helm'), '#!/bin/sh\necho not-helm\n', { mode: 0o755 });
  tarball = join(tmp, 'served.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', src, 'linux-amd64']);
  tarballSum = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  writeFileSync(join(tmp, 'mode'), 'init\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the rendered step as the bootstrap would (on the cluster's first node, an `arch` machine). */
function run(pins: Readonly<Record<string, string>>, arch = 'amd64') {
  const installed = join(tmp, `helm-${Object.values(pins).join('-').slice(0, 12)}-${arch}`);
  const step = helmStep(lab(), pins);
  const script = [
    'set -euo pipefail',
    'log() { echo "$*" >&2; }',
    'retry() { shift 2; "$@"; }',
    `dpkg() { echo ${arch}; }`,
    `curl() { cp ${tarball} "$3"; }`,
    step.body.replaceAll('/usr/local/bin/helm', installed).replaceAll(NODE_PATHS.bootstrapMode, join(tmp, 'mode')),
    `${step.func}`,
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '-c', script], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });
  return { status: r.status, stderr: r.stderr, installed: existsSync(installed) };
}

describe('Helm CLI download', () => {
  test('every pinned checksum is a SHA-256 in hex, for amd64 and arm64', () => {
    expect(Object.keys(HELM_DOWNLOAD.sha256).sort()).toEqual(['amd64', 'arm64']);
    for (const sum of Object.values(HELM_DOWNLOAD.sha256)) expect(sum).toMatch(/^[0-9a-f]{64}$/);
  });

  test('GIVEN the pinned checksums WHEN the step renders THEN it names each one and fetches no .sha256sum', () => {
    const body = helmStep(lab()).body;
    for (const sum of Object.values(HELM_DOWNLOAD.sha256)) expect(body).toContain(sum);
    expect(body).not.toContain('.sha256sum');
    expect(body).toContain(`helm-${COMPONENTS.helm}-linux-$arch.tar.gz`);
  });

  test('GIVEN a served tarball whose SHA-256 is not the pinned one WHEN the step runs THEN it refuses and installs nothing', () => {
    const out = run(HELM_DOWNLOAD.sha256);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`SHA-256 ${tarballSum}, not the pinned ${HELM_DOWNLOAD.sha256.amd64}: refused`);
    expect(out.installed).toBe(false);
  });

  test('GIVEN a node architecture with no pinned checksum THEN the step refuses before downloading', () => {
    const out = run({ amd64: tarballSum }, 'riscv64');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('no pinned Helm');
    expect(out.installed).toBe(false);
  });

  test('GIVEN the tarball whose SHA-256 is pinned THEN Helm is installed', () => {
    const out = run({ amd64: tarballSum });
    expect(out.stderr).not.toContain('refused');
    expect(out.status).toBe(0);
    expect(out.installed).toBe(true);
  });
});
