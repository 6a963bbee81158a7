/**
 * `npm run synth [-- --spec FILE --out DIR]`: specs -> cdktf.out/stacks/<name>/cdk.tf.json and
 * dist/<name>/ (GitOps manifests, node cloud-config review copies, versions, RESTORE.md).
 * Everything is built in a temp dir first; on any error nothing is written. Generated files are
 * replaced one by one, never their folders: Terraform's files in cdktf.out/ stay (infra/state-files.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkUpgradePaths, clustersFolder, formatIssue, loadSpecSet, SpecSetError, specFilesIn } from '../spec';
import { synthInfra } from '../infra/app';
import { applyStateMoves, planStateMoves, StateFilesError } from '../infra/state-files';
import { parseSynthArgs, UsageError, USAGE } from './args';
import { installFiles, replaceDir, withTempDir } from './atomic';
import { BackgroundWriter } from './background-writer';
import { topologyTable } from '../runbooks/topology';
import { renderClusterDist, scaffoldAppsFolder, staleClusterDists, staleDistWarning } from './dist';

export interface Output {
  write(text: string): unknown;
}

/** Runs the synth CLI in-process; returns the exit code. */
export function runSynth(argv: readonly string[], io: { stdout: Output; stderr: Output } = process): number {
  try {
    return synth(argv, io);
  } catch (e) {
    if (e instanceof SpecSetError || e instanceof UsageError || e instanceof StateFilesError) {
      io.stderr.write(`error: ${e.message.split('\n').join('\nerror: ')}\n`);
      if (e instanceof UsageError) io.stderr.write(`\n${USAGE}\n`);
    } else {
      // Not a spec problem: a bug or the environment (disk full). The message, never a stack
      // trace, unless PVE_K8S_DEBUG is set.
      const detail = process.env.PVE_K8S_DEBUG ? ((e as Error).stack ?? String(e)) : ((e as Error).message ?? String(e));
      io.stderr.write(`error: synth failed: ${detail}\n`);
    }
    return 1;
  }
}

function synth(argv: readonly string[], io: { stdout: Output; stderr: Output }): number {
  const args = parseSynthArgs(argv);
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const clusters = clustersFolder();
  const files = args.specs.length > 0 ? args.specs : specFilesIn(clusters.dir, clusters.source);
  // With --spec, the cross-cluster rules still see every spec of clusters/ (when there is one).
  const context = args.specs.length > 0 && existsSync(clusters.dir) ? specFilesIn(clusters.dir, clusters.source) : [];
  const specs = loadSpecSet(files, context);
  for (const { model, warnings } of specs) {
    for (const w of warnings) io.stderr.write(`warning: ${formatIssue(model.file, w)}\n`);
  }
  const models = specs.map((s) => s.model);
  const out = resolve(args.out);
  checkUpgradePaths(models, join(out, 'dist'));
  const moves = planStateMoves(models, join(out, 'cdktf.out'));
  withTempDir(out, (tmp) => {
    // dist/ is rendered in memory and written by a second thread while this one runs cdktf.
    const writer = new BackgroundWriter();
    try {
      for (const model of models) writer.write(join(tmp, 'dist', model.name), renderClusterDist(model));
      synthInfra(models, join(tmp, 'cdktf.out'));
    } catch (e) {
      writer.abort();
      throw e;
    }
    writer.finish();
    // Everything is built: only now touch the output folder. In cdktf.out/ only the generated
    // files are replaced: Terraform's state, .terraform/ and lock file, other stacks stay.
    installFiles(join(tmp, 'cdktf.out'), join(out, 'cdktf.out'));
    for (const model of models) replaceDir(join(tmp, 'dist', model.name), join(out, 'dist', model.name));
  });
  for (const note of applyStateMoves(moves)) io.stderr.write(`notice: ${note}\n`);
  // Every spec was synthesized: a generated dist/<name>/ of none of them is left over.
  if (args.specs.length === 0) {
    for (const name of staleClusterDists(join(out, 'dist'), models.map((m) => m.name))) io.stderr.write(`warning: ${staleDistWarning(join(args.out, 'dist', name))}\n`);
  }
  for (const model of models) {
    const apps = scaffoldAppsFolder(model, out);
    io.stdout.write(`synthesized ${model.name}: ${model.nodes.length} nodes -> ${join(args.out, 'cdktf.out', 'stacks', model.name)}, ${join(args.out, 'dist', model.name)}\n`);
    if (apps) io.stdout.write(`  created ${join(args.out, apps)}/ for your own manifests (yours: synth never touches it again; commit it)\n`);
    io.stdout.write(topologyTable(model));
  }
  return 0;
}
