#!/usr/bin/env node
// Plays Terraform's part for the e2e test: from the stack synth wrote (cdk.tf.json), renders each
// node's user data exactly as the Proxmox snippet would hold it (the template's escapes undone and
// the four join-secret locals replaced by freshly generated values of the same shape), and writes a
// NoCloud seed per node plus nodes.json (name, role, address, gateway, resolvers) for the harness.
//
//   node scripts/e2e/user-data.mjs STACK_JSON OUT_DIR
//
// Secrets are generated once per OUT_DIR (OUT_DIR/secrets.json, mode 0600) so a node rebuilt later
// in the same run gets the same ones, as it would from Terraform state.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [stackFile, outDir] = process.argv.slice(2);
if (!stackFile || !outDir) {
  console.error('usage: user-data.mjs STACK_JSON OUT_DIR');
  process.exit(2);
}

const fail = (msg) => {
  console.error(`user-data: ${msg}`);
  process.exit(1);
};

/** What Terraform would put in state: same formats as infra/join-secrets.ts derives from uuid(). */
function newSecrets() {
  const alnum = (n) => Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  return {
    bootstrap_token: `${alnum(6)}.${alnum(16)}`,
    certificate_key: randomBytes(32).toString('hex'),
    encryption_key: Buffer.from(randomBytes(16).toString('hex')).toString('base64'),
    keepalived_password: randomBytes(4).toString('hex'),
  };
}

/** Evaluates a Terraform template string whose only interpolations are ${local.<secret>}. */
function renderTemplate(text, locals, where) {
  return text.replace(/\$\$\{|%%\{|\$\{([^}]*)\}|%\{/g, (match, expr) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    const name = /^local\.(\w+)$/.exec(expr ?? '')?.[1];
    if (name === undefined || !(name in locals)) fail(`${where}: unexpected Terraform interpolation ${match}`);
    return locals[name];
  });
}

const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
const files = stack.resource?.proxmox_virtual_environment_file ?? {};
const vms = stack.resource?.proxmox_virtual_environment_vm ?? {};
const outputs = stack.output?.nodes?.value ?? fail(`${stackFile}: no "nodes" output`);

mkdirSync(outDir, { recursive: true, mode: 0o700 });
const secretsFile = join(outDir, 'secrets.json');
if (!existsSync(secretsFile)) writeFileSync(secretsFile, JSON.stringify(newSecrets()), { mode: 0o600 });
const secrets = JSON.parse(readFileSync(secretsFile, 'utf8'));
for (const name of Object.keys(stack.locals ?? {})) {
  if (!(name in secrets)) fail(`${stackFile}: local.${name} is not a join secret this script knows`);
}

const nodes = [];
for (const [name, node] of Object.entries(outputs)) {
  const vm = vms[name] ?? fail(`no VM resource for node ${name}`);
  const init = vm.initialization;
  const ipv4 = init?.ip_config?.[0]?.ipv4 ?? fail(`${name}: no initialization.ip_config`);
  const [address, prefix] = ipv4.address.split('/');
  if (address !== node.ip) fail(`${name}: initialization address ${ipv4.address} differs from output ip ${node.ip}`);
  const snippet = files[name]?.source_raw?.data ?? fail(`${name}: no cloud-init snippet (proxmox_virtual_environment_file.${name})`);
  const userData = renderTemplate(snippet, secrets, name);
  const seed = join(outDir, 'seeds', name);
  mkdirSync(seed, { recursive: true, mode: 0o700 });
  writeFileSync(join(seed, 'user-data'), userData, { mode: 0o600 });
  writeFileSync(join(seed, 'meta-data'), `instance-id: ${name}-${vm.vm_id ?? node.vm_id}\nlocal-hostname: ${name}\n`);
  const dns = init.dns?.servers ?? [];
  writeFileSync(
    join(seed, 'network-config'),
    JSON.stringify({ version: 1, config: [
      { type: 'physical', name: 'eth0', subnets: [{ type: 'static', address: ipv4.address, gateway: ipv4.gateway }] },
      { type: 'nameserver', address: dns, search: init.dns?.domain ? [init.dns.domain] : [] },
    ] }, null, 2) + '\n',
  );
  nodes.push({ name, role: node.role, ip: address, prefix: Number(prefix), gateway: ipv4.gateway, dns, domain: init.dns?.domain ?? '' });
}
writeFileSync(join(outDir, 'nodes.json'), JSON.stringify(nodes, null, 2) + '\n');
console.log(nodes.map((n) => `${n.name}=${n.role}@${n.ip}`).join(' '));
