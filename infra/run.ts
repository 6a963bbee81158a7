/**
 * What `cdktf synth` / `cdktf deploy` run (through infra/main.ts): every clusters/*.yaml (or
 * PVE_K8S_CLUSTERS_DIR) into <outdir>/stacks/<name>/. Any spec error stops before anything is
 * written; Terraform's own files are kept (infra/state-files.ts).
 */
import { dirname, join } from 'node:path';
import { SpecSetError, checkUpgradePaths, clustersFolder, loadSpecSet, specFilesIn } from '../spec';
import { buildInfraApp } from './app';
import { applyStateMoves, checkNoOrphanTerraformFiles, planStateMoves, StateFilesError } from './state-files';

export interface RunInfraOptions {
  /** @default process.env.PVE_K8S_CLUSTERS_DIR, else "clusters" */
  readonly clustersDir?: string;
  /** @default cdktf's own (CDKTF_OUTDIR set by cdktf-cli, else "cdktf.out") */
  readonly outdir?: string;
  readonly stderr?: { write(text: string): unknown };
}

/** Returns the exit code. */
export function runInfraApp(options: RunInfraOptions = {}): number {
  const stderr = options.stderr ?? process.stderr;
  try {
    const { dir: clustersDir, source }: { dir: string; source?: string } = options.clustersDir === undefined ? clustersFolder() : { dir: options.clustersDir };
    const specs = loadSpecSet(specFilesIn(clustersDir, source));
    const models = specs.map((s) => s.model);
    // dist/ beside the spec folder holds the version each cluster was last synthesized at.
    checkUpgradePaths(models, join(dirname(clustersDir), 'dist'));
    const app = buildInfraApp(models, { outdir: options.outdir });
    // cdktf-cli writes into app.outdir and then deletes stack folders this app did not synthesize.
    checkNoOrphanTerraformFiles(models, app.outdir);
    const moves = planStateMoves(models, app.outdir);
    app.synth();
    for (const note of applyStateMoves(moves)) stderr.write(`notice: ${note}\n`);
    return 0;
  } catch (e) {
    stderr.write(`${e instanceof SpecSetError || e instanceof StateFilesError ? e.message : (e as Error).stack}\n`);
    return 1;
  }
}
