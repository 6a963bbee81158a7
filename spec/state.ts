/**
 * Where the local Terraform state lives, decided once. State is the only copy of the join secrets
 * and the Secret encryption key: it must never sit in a folder a synth writes or empties.
 */
import { posix } from 'node:path';

/** Folders (relative to the project root) that `npm run synth`, `cdktf synth` or `cdk8s synth` write. */
export const SYNTH_FOLDERS: readonly string[] = ['cdktf.out', 'dist', '.cdk8s.out'];

/** Local state path relative to the project root (the folder that holds cdktf.out/). */
export function localStatePath(name: string, specPath: string | undefined): string {
  return specPath ?? `state/${name}.tfstate`;
}

/** Why a spec'd local state path is unsafe, or undefined when it is fine. */
export function statePathProblem(path: string): string | undefined {
  if (posix.isAbsolute(path)) return undefined;
  const first = posix.normalize(path).split('/')[0]!;
  if (SYNTH_FOLDERS.includes(first)) return `must be outside ${SYNTH_FOLDERS.join(', ')} (synth writes there)`;
  if (first === '.' || posix.normalize(path).endsWith('/')) return 'must name a file';
  return undefined;
}
