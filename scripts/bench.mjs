#!/usr/bin/env node
/**
 * `npm run bench` (issue 6): wall time of synth against its budget, medians of BENCH_RUNS runs
 * (default 5) each, every command a fresh node process as users run it:
 *
 *   a  floor: node loading cdktf and cdk8s, nothing else
 *   b  our synth of clusters/lab.yaml (infra + cloud-init + all add-ons): lib/bundle/synth.js
 *   b0 the same through the tsc output lib/bin/synth.js (what `npm run synth` ran before the bundle)
 *   e  `npm run synth -- --out DIR` as a user types it, warm, nothing changed: npm's own start, the
 *      bundle freshness check (scripts/run-bundle.js), then b on clusters/ (lab + dev)
 *   c  `cdktf synth` through cdktf-cli on lab.yaml alone, with the app cdktf.json names
 *   d  our synth of lab.yaml grown to one worker pool of 10, 100 and 1,000 workers
 *
 * Budget: b <= 1.5 x a; e <= 1 s; c / b >= 8; 1,000 workers < 3 s and linear in the node count.
 * Prints a markdown table (the README "Performance" section is this output) and exits 1 when b
 * and b0 do not write byte-identical trees. Budget misses are reported, not failed: timings
 * depend on the machine and its load. Run `npm run build` first (`npm run bench` does).
 *
 *   BENCH_RUNS=9 npm run bench      more runs
 *   BENCH_SKIP_CDKTF=1 npm run bench  skip c (cdktf-cli alone takes seconds per run)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { scaledSpecText } = require('./scripts/lib/scale-spec.js');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

for (const f of ['lib/bundle/synth.js', 'lib/bundle/cdktf-app.js', 'lib/bin/synth.js']) {
  if (!existsSync(join(root, f))) {
    console.error(`bench: ${f} is missing; run npm run build (npm run bench does)`);
    process.exit(1);
  }
}

// Terraform: cdktf-cli (case c) looks for a terraform binary. Prefer the project-built one
// (scripts/tools-env.sh), never phone home.
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const toolsBin = join(root, '.cache', 'tools', 'bin');
if (!existsSync(join(toolsBin, 'terraform')) && spawnSync('sh', ['-c', 'command -v terraform'], { env }).status !== 0) {
  console.error('bench: no terraform found; building .cache/tools (bash scripts/tools.sh)');
  if (spawnSync('bash', ['scripts/tools.sh'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
if (existsSync(join(toolsBin, 'terraform'))) {
  env.PATH = `${toolsBin}:${env.PATH}`;
  env.TERRAFORM_BINARY_NAME = join(toolsBin, 'terraform');
  if (existsSync(join(root, '.cache', 'tools', 'terraformrc'))) env.TF_CLI_CONFIG_FILE = join(root, '.cache', 'tools', 'terraformrc');
}

/** Children's CPU seconds so far (user + system of waited-for children), Linux only. */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs each case `runs` times, round-robin so that a change in machine load hits every case alike,
 * after one untimed warm-up each (page cache, V8 code cache). Median wall and CPU seconds per case.
 */
function measure(cases) {
  const rows = cases.map((c) => ({ ...c, times: [], cpus: [] }));
  for (const c of rows) if (c.out) mkdirSync(c.out, { recursive: true });
  for (let i = 0; i <= runs; i++) {
    for (const c of rows) {
      const args = c.argv.map((a) => (a === '{out}' ? join(c.out, `run-${i}`) : a));
      const c0 = childCpu();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(args[0], args.slice(1), { cwd: root, env: { ...env, ...c.env }, encoding: 'utf8', maxBuffer: 64 << 20 });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // Warm means no rebuild: the build ran just before (npm run bench), so a rebuild here is a bug.
      if (c.rebuildFails && r.stderr.includes('building lib/bundle')) {
        console.error(`bench: ${c.label} rebuilt the bundle although nothing changed:\n${r.stderr}`);
        process.exit(1);
      }
      if (r.status !== 0) {
        console.error(`bench: ${c.label} failed (exit ${r.status}): ${args.join(' ')}\n${r.stdout}${r.stderr}`);
        process.exit(1);
      }
      if (i > 0) {
        c.times.push(wall);
        c.cpus.push(childCpu() - c0);
      }
    }
  }
  return rows.map((c) => {
    const row = { ...c, wall: median(c.times), cpu: median(c.cpus), min: Math.min(...c.times), max: Math.max(...c.times) };
    process.stderr.write(`bench: ${c.label}: ${row.wall.toFixed(3)} s (cpu ${row.cpu.toFixed(2)} s)\n`);
    return row;
  });
}

/** Every file below dir with its bytes. */
function tree(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}
function sameTree(a, b) {
  const x = tree(a);
  const y = tree(b);
  return x.size === y.size && [...x].every(([p, bytes]) => y.get(p)?.equals(bytes));
}

/** lab.yaml grown to one pool of `count` workers (scripts/lib/scale-spec.js), as a file. */
function scaledSpec(count) {
  const file = join(tmp, 'specs', `workers-${count}.yaml`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, scaledSpecText(count));
  return file;
}

const node = process.execPath;
const rows = {};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
[rows.a, rows.b, rows.b0, rows.e] = measure([
  { label: 'a floor: node loads cdktf + cdk8s', argv: [node, '-e', "require('cdktf'); require('cdk8s')"] },
  { label: 'b synth lab.yaml (lib/bundle/synth.js)', argv: [node, 'lib/bundle/synth.js', '--spec', 'clusters/lab.yaml', '--out', '{out}'], out: join(tmp, 'b') },
  { label: 'b0 synth lab.yaml (tsc output lib/bin/synth.js)', argv: [node, 'lib/bin/synth.js', '--spec', 'clusters/lab.yaml', '--out', '{out}'], out: join(tmp, 'b0') },
  { label: 'e `npm run synth` as typed, warm (clusters/, --out DIR)', argv: [npm, 'run', 'synth', '--', '--out', '{out}'], out: join(tmp, 'e'), rebuildFails: true },
]);
const identical = sameTree(join(tmp, 'b', 'run-1'), join(tmp, 'b0', 'run-1'));

if (process.env.BENCH_SKIP_CDKTF !== '1') {
  const clusters = join(tmp, 'clusters');
  mkdirSync(clusters);
  copyFileSync(join(root, 'clusters', 'lab.yaml'), join(clusters, 'lab.yaml'));
  [rows.c] = measure([
    {
      label: 'c cdktf synth (cdktf-cli, app from cdktf.json)',
      argv: [join(root, 'node_modules', '.bin', 'cdktf'), 'synth', '--output', '{out}'],
      out: join(tmp, 'c'),
      env: { PVE_K8S_CLUSTERS_DIR: clusters, CI: '1', FORCE_COLOR: '0' },
    },
  ]);
  const cStack = join(tmp, 'c', 'run-1', 'stacks', 'lab', 'cdk.tf.json');
  const bStack = join(tmp, 'b', 'run-1', 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json');
  if (!readFileSync(cStack).equals(readFileSync(bStack))) {
    console.error('bench: cdktf synth and our synth wrote different stacks for lab.yaml');
    process.exitCode = 1;
  }
}

const scale = measure(
  [10, 100, 1000].map((n) => ({
    n,
    label: `d synth ${n} workers`,
    argv: [node, 'lib/bundle/synth.js', '--spec', scaledSpec(n), '--out', '{out}'],
    out: join(tmp, `d${n}`),
  })),
);

const s = (x) => `${x.toFixed(2)} s`;
const lines = [];
lines.push(`${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end; median of ${runs} runs (min–max in brackets); cpu = user + system of the process and its children.`);
lines.push('');
lines.push('| case | wall (median) | cpu | budget |');
lines.push('| --- | --- | --- | --- |');
const row = (r, budget = '') => lines.push(`| ${r.label} | ${s(r.wall)} (${r.min.toFixed(2)}–${r.max.toFixed(2)}) | ${s(r.cpu)} | ${budget} |`);
row(rows.a);
const ba = rows.b.wall / rows.a.wall;
row(rows.b, `b/a = ${ba.toFixed(2)} (≤ 1.5: ${ba <= 1.5 ? 'met' : 'MISSED'})`);
row(rows.b0, `b0/a = ${(rows.b0.wall / rows.a.wall).toFixed(2)}`);
row(rows.e, `≤ 1 s: ${rows.e.wall <= 1 ? 'met' : 'MISSED'}; e/a = ${(rows.e.wall / rows.a.wall).toFixed(2)}`);
if (rows.c) {
  const cb = rows.c.wall / rows.b.wall;
  row(rows.c, `c/b = ${cb.toFixed(1)} (≥ 8: ${cb >= 8 ? 'met' : 'MISSED'})`);
}
for (const d of scale) row(d, d.n === 1000 ? `< 3 s: ${d.wall < 3 ? 'met' : 'MISSED'}` : '');
const [d10, d100, d1000] = scale;
const per = (x, y) => (y.wall - x.wall) / (y.n - x.n);
const early = per(d10, d100);
const late = per(d100, d1000);
const linear = late <= Math.max(early, 0.0005) * 1.5;
lines.push('');
lines.push(`Growth 10 → 1,000 workers: +${s(d1000.wall - d10.wall)} (× ${(d1000.wall / d10.wall).toFixed(2)}), ${(per(d10, d1000) * 1000).toFixed(2)} ms per node; ` +
  `${(early * 1000).toFixed(2)} ms/node from 10 to 100, ${(late * 1000).toFixed(2)} ms/node from 100 to 1,000 (linear: ${linear ? 'yes' : 'NO'}).`);
lines.push(`b and b0 outputs byte-identical: ${identical ? 'yes' : 'NO'}.`);
console.log(lines.join('\n'));
if (!identical) process.exitCode = 1;
