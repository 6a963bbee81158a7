#!/usr/bin/env node
// Plays Terraform's part for the e2e test: from the stack synth wrote (cdk.tf.json), renders each
// node's user data exactly as the Proxmox snippet would hold it (the template's escapes undone and
// the four join-secret locals replaced by freshly generated values of the same shape), and writes a
// NoCloud seed per node, nodes.json (name, role, address, gateway, resolvers, the pod /24 of the
// harness's CNI) and facts.env (what the harness must serve, read from the user data itself).
//
//   node scripts/e2e/user-data.mjs STACK_JSON OUT_DIR
//
// Secrets are generated once per OUT_DIR (OUT_DIR/secrets.json, mode 0600) so a node rebuilt later
// in the same run gets the same ones, as it would from Terraform state.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

const { derive } = createRequire(import.meta.url)('../day2/secrets.js');

const [stackFile, outDir] = process.argv.slice(2);
if (!stackFile || !outDir) {
  console.error('usage: user-data.mjs STACK_JSON OUT_DIR');
  process.exit(2);
}

const fail = (msg) => {
  console.error(`user-data: ${msg}`);
  process.exit(1);
};

/**
 * What Terraform would put in state: fresh uuid() seeds under the keys of the stack's own
 * terraform_data.join_secrets, and the secrets derived from them as infra/join-secrets.ts does
 * for a new cluster (scripts/day2/secrets.js, the day-2 check's independent derivation).
 */
function newSecrets(seedKeys) {
  const seeds = Object.fromEntries(seedKeys.map((k) => [k, randomUUID()]));
  const d = derive.v2(seeds);
  return { bootstrap_token: d.bootstrapToken, certificate_key: d.certificateKey, encryption_key: d.encryptionKey, keepalived_password: d.keepalivedPassword };
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
const seedKeys = Object.keys(stack.resource?.terraform_data?.join_secrets?.input ?? fail(`${stackFile}: no terraform_data.join_secrets`));
if (!existsSync(secretsFile)) writeFileSync(secretsFile, JSON.stringify(newSecrets(seedKeys)), { mode: 0o600 });
const secrets = JSON.parse(readFileSync(secretsFile, 'utf8'));
for (const name of Object.keys(secrets)) {
  if (!(name in (stack.locals ?? {}))) fail(`${stackFile}: no local.${name} (the join secrets changed: update this script)`);
}

/** The i-th (0-based) /24 of an IPv4 CIDR of prefix <= 24: the harness CNI's pod range of node i. */
function podRange(cidr, i) {
  const [base, bits] = cidr.split('/');
  const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0) + i * 256;
  if (Number(bits) > 24 || i >= 2 ** (24 - Number(bits))) fail(`pod CIDR ${cidr} has no /24 number ${i}`);
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/24`;
}
const fileOf = (doc, path) => (doc.write_files ?? []).find((f) => f.path === path)?.content;

const nodes = [];
const facts = { packages: new Set(), registries: new Set() };
for (const [name, node] of Object.entries(outputs)) {
  const vm = vms[name] ?? fail(`no VM resource for node ${name}`);
  const init = vm.initialization;
  const ipv4 = init?.ip_config?.[0]?.ipv4 ?? fail(`${name}: no initialization.ip_config`);
  const [address, prefix] = ipv4.address.split('/');
  if (address !== node.ip) fail(`${name}: initialization address ${ipv4.address} differs from output ip ${node.ip}`);
  const snippet = files[name]?.source_raw?.data ?? fail(`${name}: no cloud-init snippet (proxmox_virtual_environment_file.${name})`);
  const userData = renderTemplate(snippet, secrets, name);
  const doc = yaml.load(userData);
  for (const p of doc.packages ?? []) facts.packages.add(p);
  for (const f of doc.write_files ?? []) {
    const host = /^\[host\."(https?:\/\/[^"]+)"\]/m.exec(f.content ?? '');
    if (f.path.startsWith('/etc/containerd/certs.d/') && host) facts.registries.add(host[1]);
  }
  const kubeadm = (doc.write_files ?? []).map((f) => f.content ?? '').find((c) => /^kind: InitConfiguration$/m.test(c));
  if (kubeadm) {
    writeFileSync(join(outDir, 'kubeadm-init.yaml'), kubeadm, { mode: 0o600 });
    facts.podSubnet = /podSubnet: (\S+)/.exec(kubeadm)?.[1];
    facts.endpoint = /controlPlaneEndpoint: (\S+)/.exec(kubeadm)?.[1];
    facts.firstControlPlane = name;
  }
  const script = fileOf(doc, '/usr/local/sbin/pve-k8s-bootstrap') ?? '';
  facts.kubeVersion ??= /kubeadm=(\S+)/.exec(script)?.[1];
  facts.criToolsVersion ??= /cri-tools=(\S+)/.exec(script)?.[1];
  facts.kubernetesRepo ??= /^deb \[[^\]]*\] (\S+) \/$/m.exec(fileOf(doc, '/etc/pve-k8s/apt/kubernetes.list') ?? '')?.[1];
  facts.osMirror ??= /^deb \[[^\]]*\] (\S+) /m.exec(doc.apt?.sources_list ?? '')?.[1];
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
for (const key of ['podSubnet', 'endpoint', 'kubeVersion', 'criToolsVersion', 'kubernetesRepo', 'osMirror']) {
  if (!facts[key]) fail(`the user data does not say ${key} (is this the e2e spec, with its mirrors?)`);
}
nodes.forEach((n, i) => { n.podCidr = podRange(facts.podSubnet, i + 1); });
writeFileSync(join(outDir, 'nodes.json'), JSON.stringify(nodes, null, 2) + '\n');
const env = {
  FIRST_CP: facts.firstControlPlane, API_ENDPOINT: facts.endpoint, POD_SUBNET: facts.podSubnet,
  KUBE_VERSION: facts.kubeVersion, CRI_TOOLS_VERSION: facts.criToolsVersion,
  K8S_REPO_URL: facts.kubernetesRepo, OS_MIRROR_URL: facts.osMirror,
  REGISTRY_ENDPOINTS: [...facts.registries].join(' '), PACKAGES: [...facts.packages].join(' '),
};
writeFileSync(join(outDir, 'facts.env'), Object.entries(env).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n');
console.log(nodes.map((n) => `${n.name}=${n.role}@${n.ip}`).join(' '));
