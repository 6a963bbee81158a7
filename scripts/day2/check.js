#!/usr/bin/env node
// The day-2 plan check (scripts/verify-day2.sh runs it with the pinned Terraform on PATH):
// day 1 = clusters/lab.yaml planned and written to a state as if applied; then every change
// class of scripts/day2/classes.js is planned against that state with -refresh=false and its
// create/update/replace/delete counts per resource type are printed. Fails when a class
// replaces or deletes an existing resource (except the nodes it removes, and cloud-image
// downloads), when a new node's join secrets differ from the ones the state's seeds give the
// running nodes, or when a negative control is NOT flagged.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');
const { classes } = require('./classes');
const { day1State, withSeeds, seedsOf } = require('./state');
const { secretMismatches } = require('./secrets');

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = process.argv[2];
const TF = process.env.TF ?? 'terraform';
if (!WORK) throw new Error('usage: check.js WORKDIR');
const log = (msg) => process.stderr.write(`[verify-day2] ${msg}\n`);
const short = {
  proxmox_virtual_environment_vm: 'vm',
  proxmox_virtual_environment_file: 'snippet',
  proxmox_virtual_environment_download_file: 'image',
  terraform_data: 'secrets',
};
/** The table's column of a resource change (every Proxmox firewall object, its datacenter check included, under "firewall"). */
const column = (rc) => (rc.type.startsWith('proxmox_virtual_environment_firewall_') || rc.address === 'terraform_data.datacenter_firewall_check' ? 'firewall' : short[rc.type] ?? rc.type);
/** Replacing a cloud-image download never touches a VM: each VM's disk was copied from it on create. */
const REPLACEABLE = new Set(['proxmox_virtual_environment_download_file']);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout.slice(-4000)}`);
  return r.stdout;
}

/** Synthesizes one spec (base + overlay) and returns its cdk.tf.json, mutated by the class. */
function synth(id, cls) {
  const doc = yaml.load(fs.readFileSync(path.join(ROOT, 'clusters', 'lab.yaml'), 'utf8'));
  cls.base?.(doc);
  cls.spec?.(doc);
  const dir = path.join(WORK, 'specs', id);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, cls.file ?? 'lab.yaml');
  fs.writeFileSync(file, yaml.dump(doc, { lineWidth: -1 }));
  run('node', [path.join(ROOT, 'lib', 'bundle', 'synth.js'), '--spec', file, '--out', path.join(WORK, 'out', id)]);
  const tf = JSON.parse(fs.readFileSync(path.join(WORK, 'out', id, 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'), 'utf8'));
  cls.stack?.(tf);
  return tf;
}

// Terraform runs where cdktf runs it (cdktf.out/stacks/lab), so the backend's relative state
// path (../../../state/lab.tfstate) resolves inside WORK/tf, as it would in a project.
const stackDir = path.join(WORK, 'tf', 'cdktf.out', 'stacks', 'lab');
const statePath = path.join(WORK, 'tf', 'state', 'lab.tfstate');
const env = {
  ...process.env,
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  CHECKPOINT_DISABLE: '1',
  PROXMOX_VE_ENDPOINT: 'https://127.0.0.1:1/',
  PROXMOX_VE_API_TOKEN: 'dummy@pve!verify=00000000-0000-0000-0000-000000000000',
  PROXMOX_VE_INSECURE: 'true',
};
const tf = (...args) => run(TF, [`-chdir=${stackDir}`, ...args], { env });

/** Plans `config` against the current state (`replace`: addresses forced to be replaced); returns `terraform show -json` of the plan. */
function plan(config, replace = []) {
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(config, null, 2));
  tf('plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', ...replace.map((a) => `-replace=${a}`), '-out=day2.plan');
  return JSON.parse(tf('show', '-json', 'day2.plan'));
}

/** Whether a planned value differs from the prior one, ignoring what is unknown until apply. */
function differs(before, after, unknown) {
  if (unknown === true) return false;
  if (after && typeof after === 'object') {
    const keys = new Set([...Object.keys(after), ...Object.keys(before ?? {})]);
    return [...keys].some((k) => differs(before?.[k], after[k], unknown?.[k]));
  }
  // bpg/proxmox is an SDKv2 provider: it cannot tell null from "", false or 0 (a day-1 state built
  // from planned values holds null where a real apply would have stored the zero value).
  const zero = (v) => (v === null || v === undefined || v === '' || v === false || v === 0 ? null : v);
  return JSON.stringify(zero(before)) !== JSON.stringify(zero(after));
}

const ACTION = { create: 'create', update: 'update', delete: 'delete', 'delete,create': 'replace', 'create,delete': 'replace' };

/** Counts per resource type and action, the in-place attribute changes of VMs, and offences. */
function summarize(p, existing, cls) {
  const counts = {};
  const vmUpdates = new Set();
  const offences = [];
  for (const rc of p.resource_changes) {
    const action = ACTION[rc.change.actions.join(',')];
    if (!action) continue; // no-op, read
    const type = column(rc);
    counts[type] ??= { create: 0, update: 0, replace: 0, delete: 0 };
    counts[type][action] += 1;
    if (rc.type === 'proxmox_virtual_environment_vm' && action === 'update') {
      for (const k of Object.keys(rc.change.after ?? {})) {
        if (differs(rc.change.before?.[k], rc.change.after[k], rc.change.after_unknown?.[k])) vmUpdates.add(k);
      }
    }
    const destructive = action === 'replace' || action === 'delete';
    const allowed =
      ((cls.removed ?? []).includes(rc.name) && action === 'delete') ||
      (cls.deletes === type && action === 'delete') ||
      (action === 'replace' && (REPLACEABLE.has(rc.type) || (cls.replace ?? []).includes(rc.address)));
    if (destructive && existing.has(rc.address) && !allowed) offences.push(`${action} ${rc.address}`);
  }
  return { counts, vmUpdates: [...vmUpdates].sort(), offences };
}

function main() {
  const t0 = Date.now();
  fs.mkdirSync(stackDir, { recursive: true });
  log(`synthesizing the base and ${classes.length} change classes (clusters/lab.yaml + one overlay each)`);
  const base = synth('base', {});
  const configs = classes.map((cls, i) => synth(String(i), cls));

  log('terraform init (offline mirror) and the day-1 plan');
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(base, null, 2));
  tf('init', '-input=false', '-no-color');
  const schemas = JSON.parse(tf('providers', 'schema', '-json'));
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  /** The day-1 state of a config (as if applied), checked to re-plan to no changes. */
  const day1Of = (config, label) => {
    fs.rmSync(statePath, { force: true });
    const day1 = day1State(plan(config), schemas, config);
    fs.writeFileSync(statePath, JSON.stringify(day1, null, 2));
    const existing = new Set(day1.resources.map((r) => `${r.type}.${r.name}`));
    const again = summarize(plan(config), existing, {});
    if (Object.keys(again.counts).length > 0) throw new Error(`${label}: the unchanged spec does not re-plan to no changes: ${JSON.stringify(again.counts)}`);
    log(`day-1 state of ${label}: ${day1.resources.length} resources; the unchanged spec re-plans with no resource changes`);
    return { state: day1, existing };
  };
  const { state, existing } = day1Of(base, 'clusters/lab.yaml');
  // Classes with their own base (e.g. the firewall on) start from that base's day-1 state.
  const byBase = new Map();
  const ownDay1 = new Map();
  classes.forEach((cls, i) => {
    if (!cls.base) return;
    if (!byBase.has(cls.base)) byBase.set(cls.base, day1Of(synth(`base-${i}`, { base: cls.base }), `the base of "${cls.name}"`));
    ownDay1.set(i, byBase.get(cls.base));
  });

  const rows = [];
  classes.forEach((cls, i) => {
    const t = Date.now();
    // A class may plan against an older cluster's state (other join-secret seeds).
    const start = ownDay1.get(i) ?? { state, existing };
    const classState = cls.seeds ? withSeeds(start.state, 'join_secrets', cls.seeds.keys) : start.state;
    fs.writeFileSync(statePath, JSON.stringify(classState, null, 2));
    const p = plan(configs[i], cls.replace);
    fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
    fs.writeFileSync(path.join(WORK, `plan-${i + 1}.json`), JSON.stringify(p)); // kept with DAY2_KEEP=1
    const s = summarize(p, start.existing, cls);
    if (cls.secrets) s.offences.push(...secretMismatches(p, cls.secrets.node, cls.secrets.generation, seedsOf(classState, 'join_secrets')));
    rows.push({ cls, ...s });
    log(`${i + 1}/${classes.length} ${cls.name}: ${s.offences.length ? `FLAGGED (${s.offences.length}: ${s.offences[0]})` : 'ok'} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
  });

  const types = ['vm', 'snippet', 'image', 'secrets', 'firewall'];
  const cell = (c) => (c ? `${c.create}/${c.update}/${c.replace}/${c.delete}` : '-');
  const header = ['change class', ...types, 'VM in-place changes', 'verdict'];
  const lines = rows.map((r) => {
    const flagged = r.offences.length > 0;
    const verdict = r.cls.mustFail ? (flagged ? 'flagged (as it must)' : 'NOT FLAGGED') : flagged ? `FAIL: ${r.offences.join(', ')}` : 'ok';
    return [r.cls.name, ...types.map((t) => cell(r.counts[t])), r.vmUpdates.join(', ') || '-', verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\nDay-2 plan table (create/update/replace/delete per resource type; -refresh=false against the day-1 state)\n`);
  process.stdout.write(`${[fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n')}\n\n`);

  const failures = rows.filter((r) => (r.cls.mustFail ? r.offences.length === 0 : r.offences.length > 0));
  log(`${classes.length} classes planned in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  if (failures.length > 0) {
    for (const r of failures) log(`FAIL ${r.cls.name}: ${r.cls.mustFail ? 'the negative control was not flagged: the check cannot fail' : r.offences.join(', ')}`);
    process.exit(1);
  }
  log('no existing VM, snippet or secret is replaced or deleted, except removed nodes; new control planes get the running nodes\' join secrets; the negative controls are flagged');
}

main();
