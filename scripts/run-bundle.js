#!/usr/bin/env node
// node scripts/run-bundle.js synth|cdktf-app [args]: runs lib/bundle/<entry>.js (scripts/bundle.mjs)
// in this process (no second node start), rebuilding the bundle first only when one of its inputs
// changed (scripts/lib/freshness.js), and then saying so on stderr.
//   `npm run synth`  -> synth          cdktf.json "app" (`cdktf synth/diff/deploy`) -> cdktf-app
// Type checking is not done here (esbuild only strips types): `npm test` runs `tsc --noEmit`
// first, and `npm run build` (tsc + bundle) is the first step of `npm run verify` (CI: .ci/run).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { BUNDLE_ENTRIES, staleReason } = require('./lib/freshness.js');

const root = path.join(__dirname, '..');
const entry = process.argv[2];
if (!Object.hasOwn(BUNDLE_ENTRIES, entry ?? '')) {
  process.stderr.write(`usage: node scripts/run-bundle.js ${Object.keys(BUNDLE_ENTRIES).join('|')} [args]\n`);
  process.exit(2);
}
const reason = staleReason(root);
if (reason !== undefined) {
  const t0 = Date.now();
  process.stderr.write(`building lib/bundle (${reason}; esbuild, then one training run) ...\n`);
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bundle.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`error: building lib/bundle failed (node scripts/bundle.mjs exited ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
  process.stderr.write(`built lib/bundle in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
// The entry reads its arguments from process.argv.slice(2): drop the entry name.
process.argv.splice(2, 1);
require(path.join(root, 'lib', 'bundle', `${entry}.js`));
