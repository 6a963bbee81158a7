#!/usr/bin/env node
// node scripts/lib/cdktn-synth.mjs <outdir> [<cdktn node_modules>]
// Synthesizes every clusters/*.yaml (or PVE_K8S_CLUSTERS_DIR) with bin/cdktf-run.ts, bundled by esbuild:
// with cdktf from node_modules, or, given a second argument, with `cdktf` and `constructs` resolved
// to the cdktn fork's packages in that folder (the only change a cdktf -> cdktn migration makes to
// our code is the import path; the generated provider bindings import `cdktf` too).
// Both runs take the same path, so any difference in <outdir>/stacks/*/cdk.tf.json is the library's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [outdir, cdktnModules] = process.argv.slice(2);
if (!outdir) {
  process.stderr.write('usage: node scripts/lib/cdktn-synth.mjs <outdir> [<cdktn node_modules>]\n');
  process.exit(2);
}
mkdirSync(outdir, { recursive: true });
const entry = join(outdir, 'entry.ts');
writeFileSync(
  entry,
  `import { runInfraApp } from ${JSON.stringify(join(root, 'bin', 'cdktf-run'))};\n` +
    `process.exitCode = runInfraApp({ outdir: ${JSON.stringify(join(outdir, 'cdktf.out'))} });\n`,
);
const bundle = join(outdir, 'app.js');
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
  alias: cdktnModules
    ? { cdktf: join(resolve(cdktnModules), 'cdktn'), constructs: join(resolve(cdktnModules), 'constructs') }
    : {},
});
const r = spawnSync(process.execPath, [bundle], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
