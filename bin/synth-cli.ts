/**
 * `npm run synth [-- --spec FILE --out DIR]`: specs -> cdktf.out/stacks/<name>/cdk.tf.json and
 * dist/<name>/ (GitOps manifests, node cloud-config review copies, versions, RESTORE.md), through
 * the one pipeline (bin/pipeline.ts): on any error nothing is written. Generated files are replaced
 * one by one, never their folders: Terraform's files in cdktf.out/ stay (infra/state-files.ts).
 */
import { join } from 'node:path';
import { topologyTable } from '../runbooks/topology';
import { parseSynthArgs, UsageError, USAGE } from './args';
import { errorText, type Output, runAdapter, synthesize } from './pipeline';

export type { Output } from './pipeline';

/** Runs the synth CLI in-process; returns the exit code. */
export function runSynth(argv: readonly string[], io: { stdout: Output; stderr: Output } = process): number {
  let args: ReturnType<typeof parseSynthArgs>;
  try {
    args = parseSynthArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`${errorText(e)}\n${USAGE}\n`);
    return 1;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = args.out;
  return runAdapter(io.stderr, (report) => {
    const { models, createdApps } = synthesize({ specs: args.specs, dist: join(out, 'dist'), cdktf: join(out, 'cdktf.out') }, report);
    for (const model of models) {
      const apps = createdApps.get(model.name);
      io.stdout.write(`synthesized ${model.name}: ${model.nodes.length} nodes -> ${join(out, 'cdktf.out', 'stacks', model.name)}, ${join(out, 'dist', model.name)}\n`);
      if (apps) io.stdout.write(`  created ${join(out, apps)}/ for your own manifests (yours: synth never touches it again; commit it)\n`);
      io.stdout.write(topologyTable(model));
    }
    return 0;
  });
}
