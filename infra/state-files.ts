/**
 * Keeping Terraform's files through every synth.
 *
 * Before this toolkit kept local state outside cdktf.out/, it lived in the stack folder
 * (cdktf.out/stacks/<name>/terraform.<name>.tfstate, or the spec'd path relative to it). Such a
 * state is moved to the new place, never deleted; when both exist, synth stops and says how to
 * decide. cdktf-cli deletes every stack folder its app did not synthesize, so `cdktf synth` stops
 * first when such a folder still holds Terraform files.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ClusterModel } from '../spec';

/** A state location problem synth refuses to guess about; the message says what to do. */
export class StateFilesError extends Error {}

export interface StateMove {
  readonly cluster: string;
  readonly from: string;
  readonly to: string;
}

/** Files Terraform keeps next to a state: the state and its backup. */
const STATE_SUFFIXES = ['', '.backup'];

/** Terraform's files in a stack folder that synth must never remove. */
export function terraformFilesIn(stackDir: string): string[] {
  if (!existsSync(stackDir)) return [];
  return readdirSync(stackDir).filter((f) => f === '.terraform' || f === '.terraform.lock.hcl' || /\.tfstate/.test(f));
}

const shown = (p: string) => relative(process.cwd(), p) || '.';

/**
 * State files at the old place (inside the stack folder) that must move to the new one, for the
 * output folder `outdir` (cdktf.out). Throws StateFilesError when a state exists at both places.
 */
export function planStateMoves(models: readonly ClusterModel[], outdir: string): StateMove[] {
  const moves: StateMove[] = [];
  for (const model of models) {
    const state = model.state;
    if (state.backend !== 'local' || isAbsolute(state.legacyPath)) continue;
    const from = resolve(outdir, 'stacks', model.name, state.legacyPath);
    const to = resolve(dirname(resolve(outdir)), state.path);
    for (const suffix of STATE_SUFFIXES) {
      if (!existsSync(from + suffix)) continue;
      if (existsSync(to + suffix)) {
        throw new StateFilesError(
          `cluster ${model.name}: a Terraform state exists at the old place ${shown(from + suffix)} and at the new place ${shown(to + suffix)}. ` +
            `Nothing was written. Keep the one with the higher "serial" (terraform state pull, or read the file) and move the other out of the project, then synth again.`,
        );
      }
      moves.push({ cluster: model.name, from: from + suffix, to: to + suffix });
    }
  }
  return moves;
}

/** Moves each state (a rename: same file system, never a copy then delete); returns what to tell the user. */
export function applyStateMoves(moves: readonly StateMove[]): string[] {
  const notes: string[] = [];
  for (const move of moves) {
    mkdirSync(dirname(move.to), { recursive: true });
    renameSync(move.from, move.to);
    notes.push(
      `moved Terraform state of ${move.cluster}: ${shown(move.from)} -> ${shown(move.to)} (synth keeps state out of cdktf.out/). ` +
        `Once, before the next deploy: cdktf deploy ${move.cluster} --migrate-state (or terraform -chdir=${shown(dirname(move.from))} init -reconfigure).`,
    );
  }
  return notes;
}

/**
 * cdktf-cli removes every folder under <outdir>/stacks/ that its app did not synthesize. Throws
 * StateFilesError when such a folder still holds Terraform files (.terraform/, the lock file, a state).
 */
export function checkNoOrphanTerraformFiles(models: readonly ClusterModel[], outdir: string): void {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return;
  const names = new Set(models.map((m) => m.name));
  for (const name of readdirSync(stacks).sort()) {
    if (names.has(name)) continue;
    const files = terraformFilesIn(join(stacks, name));
    if (files.length === 0) continue;
    throw new StateFilesError(
      `${shown(join(stacks, name))} holds Terraform files (${files.join(', ')}) but no loaded spec names cluster ${name}, ` +
        `and cdktf synth deletes stack folders it did not synthesize. Nothing was written. Synth with that cluster's spec, ` +
        `or move the folder out of ${shown(stacks)} (after cdktf destroy ${name}, if the cluster is gone).`,
    );
  }
}
