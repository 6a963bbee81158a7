/** Build a tree in a temporary folder, then move it into place only when everything succeeded. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pve-k8s-synth-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces `target` with `source` (a folder). Falls back to copy when rename crosses devices. */
export function replaceDir(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const staged = `${target}.new-${process.pid}`;
  rmSync(staged, { recursive: true, force: true });
  try {
    renameSync(source, staged);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    cpSync(source, staged, { recursive: true });
  }
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staged, target);
}
