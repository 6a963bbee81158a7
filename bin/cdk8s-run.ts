/**
 * What `cdk8s synth` runs (through bin/cdk8s-app.ts): regenerates dist/<cluster>/ for every spec
 * (clusters/*.yaml, or PVE_K8S_CLUSTERS_DIR) exactly as `npm run synth` does, through the same
 * pipeline (bin/pipeline.ts), and creates a missing users' folder apps/<cluster>/ as it does.
 * Writes nothing else: Terraform's files (state/, cdktf.out/) are never touched.
 *
 * cdk8s-cli empties its output folder before it runs the app, so cdk8s.yaml points that at a
 * scratch folder (.cdk8s.out) and this replaces dist/<cluster>/ itself, only after every spec
 * validated and every file was built: on any error dist/ is left as it was.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { type Output, runAdapter, synthesize } from './pipeline';

export interface RunCdk8sOptions {
  /** Project root. @default the current folder */
  readonly root?: string;
  /** cdk8s-cli's output folder, which gets a copy of the manifests. @default process.env.CDK8S_OUTDIR */
  readonly scratch?: string;
  /**
   * Where warnings, errors and the report go. cdk8s-cli passes the app's stderr through and
   * swallows its stdout, so everything the user must see goes here. @default process.stderr
   */
  readonly stderr?: Output;
}

/** Returns the exit code. */
export function runCdk8sApp(options: RunCdk8sOptions = {}): number {
  const root = options.root ?? '.';
  const dist = join(root, 'dist');
  const stderr = options.stderr ?? process.stderr;
  return runAdapter(stderr, (report) => {
    const { models, createdApps } = synthesize({ root, dist }, report);
    for (const model of models) {
      stderr.write(`[cdk8s] ${model.name}: wrote ${join(dist, model.name)}/ (commit it: the GitOps engine syncs from there); .cdk8s.out/ below is only cdk8s-cli's scratch copy\n`);
      const apps = createdApps.get(model.name);
      if (apps) stderr.write(`[cdk8s] ${model.name}: created ${join(root, apps)}/ for your own manifests (yours: synth never touches it again; commit it)\n`);
    }
    // cdk8s-cli reads its output folder afterwards (plugins, validation): give it a copy.
    const scratch = options.scratch ?? process.env.CDK8S_OUTDIR;
    if (scratch) for (const model of models) cpSync(join(dist, model.name, 'manifests'), join(scratch, model.name), { recursive: true });
    return 0;
  });
}
