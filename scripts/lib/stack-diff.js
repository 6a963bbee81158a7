#!/usr/bin/env node
// node scripts/lib/stack-diff.js <cdktf.out A> <cdktf.out B> [<allowed JSON path> ...]
// Compares stacks/*/cdk.tf.json of two synth outputs byte for byte. A stack whose bytes differ
// passes only if every difference is at an allowed JSON path (dotted, e.g. //.metadata.version,
// the library version cdktf writes into the comment block Terraform ignores) and the texts differ
// only on the lines holding those values. Prints one line per stack and every differing path with
// both values; exits 1 on any other difference or a stack missing on either side.
'use strict';
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Every JSON path (dotted) at which a and b differ, with both values (leaves, or the node missing). */
function jsonDiff(a, b, path = [], out = []) {
  const isObj = (v) => v !== null && typeof v === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) jsonDiff(a[k], b[k], [...path, k], out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path: path.join('.'), a, b });
  }
  return out;
}

function stacksIn(outdir) {
  const dir = join(outdir, 'stacks');
  return existsSync(dir) ? readdirSync(dir).filter((s) => existsSync(join(dir, s, 'cdk.tf.json'))).sort() : [];
}

/** @returns {{ stack: string, status: 'identical'|'allowed'|'different'|'missing', diffs: object[] }[]} */
function compareOutputs(outA, outB, allowed) {
  const names = [...new Set([...stacksIn(outA), ...stacksIn(outB)])].sort();
  return names.map((stack) => {
    const fa = join(outA, 'stacks', stack, 'cdk.tf.json');
    const fb = join(outB, 'stacks', stack, 'cdk.tf.json');
    if (!existsSync(fa) || !existsSync(fb)) return { stack, status: 'missing', diffs: [{ path: existsSync(fa) ? outB : outA }] };
    const ta = readFileSync(fa, 'utf8');
    const tb = readFileSync(fb, 'utf8');
    if (ta === tb) return { stack, status: 'identical', diffs: [] };
    const diffs = jsonDiff(JSON.parse(ta), JSON.parse(tb));
    const la = ta.split('\n');
    const lb = tb.split('\n');
    // Same layout: the same number of lines, and a differing line only where an allowed value is.
    const changedLines = la.length === lb.length ? la.filter((l, i) => l !== lb[i]).length : Infinity;
    const ok = diffs.length > 0 && diffs.every((d) => allowed.includes(d.path)) && changedLines === diffs.length;
    return { stack, status: ok ? 'allowed' : 'different', diffs };
  });
}

module.exports = { compareOutputs, jsonDiff };

if (require.main === module) {
  const [outA, outB, ...allowed] = process.argv.slice(2);
  if (!outB) {
    process.stderr.write('usage: node scripts/lib/stack-diff.js <cdktf.out A> <cdktf.out B> [<allowed path> ...]\n');
    process.exit(2);
  }
  const results = compareOutputs(outA, outB, allowed);
  if (results.length === 0) {
    process.stderr.write(`no stacks under ${outA}/stacks or ${outB}/stacks\n`);
    process.exit(1);
  }
  let bad = 0;
  for (const r of results) {
    const detail = r.diffs.slice(0, 10).map((d) => `${d.path}: ${JSON.stringify(d.a)} -> ${JSON.stringify(d.b)}`).join('; ');
    const more = r.diffs.length > 10 ? ` (and ${r.diffs.length - 10} more)` : '';
    process.stdout.write(`${r.stack}: ${r.status}${detail ? ` (${detail}${more})` : ''}\n`);
    if (r.status === 'different' || r.status === 'missing') bad++;
  }
  process.exit(bad > 0 ? 1 : 0);
}
