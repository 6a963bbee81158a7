/**
 * What `cdktf synth` / `cdktf deploy` run (through bin/cdktf-app.ts): every spec (clusters/*.yaml,
 * or PVE_K8S_CLUSTERS_DIR) into <outdir>/stacks/<name>/, through the same pipeline as
 * `npm run synth` (bin/pipeline.ts). Any spec error stops before anything is written; Terraform's
 * own files are kept (infra/state-files.ts).
 */
import { checkNoOrphanTerraformFiles } from '../infra/state-files';
import { type Output, runAdapter, synthesize } from './pipeline';

export interface RunInfraOptions {
  /** Project root (its clusters/ unless PVE_K8S_CLUSTERS_DIR is set). @default "." */
  readonly root?: string;
  /** The spec folder. @default process.env.PVE_K8S_CLUSTERS_DIR, else <root>/clusters */
  readonly clustersDir?: string;
  /** @default cdktf's own: CDKTF_OUTDIR (set by cdktf-cli), else "cdktf.out" */
  readonly outdir?: string;
  /** @default process.stderr */
  readonly stderr?: Output;
}

/** Returns the exit code. */
export function runInfraApp(options: RunInfraOptions = {}): number {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  return runAdapter(options.stderr ?? process.stderr, (report) => {
    synthesize({
      root: options.root,
      clustersDir: options.clustersDir,
      cdktf: outdir,
      // cdktf-cli deletes every stack folder this app did not synthesize: refuse when one holds Terraform's files.
      check: (models) => checkNoOrphanTerraformFiles(models, outdir),
    }, report);
    return 0;
  });
}
