// node scripts/topology/parse.mjs FILE.md...: parses every ```mermaid block with mermaid itself
// (the library GitHub and GitLab render with), in node with jsdom standing in for the browser.
// Exit 1 on the first block mermaid rejects, or when a broken control diagram is accepted.
// Run by scripts/verify-topology.sh, which installs the pinned mermaid and jsdom (MERMAID_DIR).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.MERMAID_DIR, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(require.resolve('mermaid'));

let failed = 0;
const check = async (name, text, expectOk) => {
  try {
    const r = await mermaid.parse(text);
    if (!expectOk) throw new Error(`accepted (${r.diagramType})`);
    console.log(`PASS ${name}: ${r.diagramType}`);
  } catch (e) {
    if (!expectOk && !String(e.message).startsWith('accepted')) return console.log(`PASS ${name}: rejected as it must be`);
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n').slice(0, 4).join(' / ')}`);
  }
};
for (const file of process.argv.slice(2)) {
  const blocks = [...readFileSync(file, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length === 0) {
    failed++;
    console.log(`FAIL ${file}: no mermaid block`);
  }
  for (const [i, b] of blocks.entries()) await check(`${file}#${i + 1}`, b, true);
}
await check('control: an unclosed node label', 'flowchart TB\n  a["x" --> b\n', false);
process.exit(failed ? 1 : 0);
