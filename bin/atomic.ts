/** Build a tree in a temporary folder, then move it into place only when everything succeeded. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Runs `fn` with a fresh temporary folder inside `parent` (created if missing) and removes it
 * afterwards. Inside the output folder rather than the system's temp folder, so that moving the
 * result into place is a rename on the same file system, never a copy (/tmp is often a tmpfs).
 */
export function withTempDir<T>(parent: string, fn: (dir: string) => T): T {
  // The first folder mkdir creates (undefined when `parent` existed): removed again on failure.
  const created = mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, TEMP_PREFIX));
  let ok = false;
  try {
    const result = fn(dir);
    ok = true;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!ok && created !== undefined) rmSync(created, { recursive: true, force: true });
  }
}

/** Name prefix of the temporary folders (.gitignore lists it: a killed synth may leave one). */
export const TEMP_PREFIX = '.pve-k8s-synth-';

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

/**
 * Moves every file of `source` (a folder) to the same relative path under `target`, replacing
 * only those files: whatever else `target` holds (Terraform state, .terraform/, the lock file,
 * another cluster's stack) is left as it is. Each file is replaced by a rename.
 */
export function installFiles(source: string, target: string): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      installFiles(from, to);
    } else {
      mkdirSync(target, { recursive: true });
      renameSync(from, to);
    }
  }
}
