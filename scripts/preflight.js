#!/usr/bin/env node
// node scripts/preflight.js [deploy|diff|destroy <stack> [cdktf options]]
//   npm run preflight            checks the deploy environment and says what the provider will use
//   npm run deploy -- <name>     the checks, then `cdktf deploy <name>` (likewise `npm run diff`)
// Checked before Terraform runs (scripts/lib/preflight.js): the Proxmox VE credentials in the
// environment (API and SSH, names only, never values) and the Terraform or OpenTofu binary cdktf
// will run (TERRAFORM_BINARY_NAME, default terraform) and its version. `cdktf synth` needs none of it.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { credentialIssues, terraformIssues } = require('./lib/preflight.js');

const args = process.argv.slice(2);
const binary = process.env.TERRAFORM_BINARY_NAME || 'terraform';
const run = spawnSync(binary, ['version', '-json'], { encoding: 'utf8', timeout: 30_000 });
const creds = credentialIssues(process.env);
const issues = [...creds.issues, ...terraformIssues(binary, run.status === 0 ? run.stdout : undefined)];
if (issues.length > 0) {
  process.stderr.write(`preflight: not ready to ${args[0] ?? 'deploy'}:\n${issues.map((i) => `  - ${i}\n`).join('')}`);
  process.stderr.write('  (README.md, "Deploy"; the bpg/proxmox provider documentation lists every PROXMOX_VE_* variable)\n');
  process.exit(1);
}
const version = JSON.parse(run.stdout).terraform_version;
process.stderr.write(`preflight: ok: Proxmox VE API by ${creds.api}; SSH by ${creds.ssh}; ${binary} ${version}\n`);
if (args.length > 0) {
  const cdktf = path.join(__dirname, '..', 'node_modules', '.bin', 'cdktf');
  const r = spawnSync(cdktf, args, { stdio: 'inherit', cwd: path.join(__dirname, '..') });
  process.exit(r.status ?? 1);
}
