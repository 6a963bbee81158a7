#!/usr/bin/env node
// The harness's work copy of the e2e spec: the same spec with the signing key of the harness's
// package mirrors in sources.osPackages.signingKey and sources.kubernetesPackages.signingKey
// (the committed spec holds a placeholder key; the harness makes its own throwaway key).
//
//   node scripts/e2e/spec-with-keys.mjs SPEC KEY_ASC OUT
import { readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';

const [specFile, keyFile, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: spec-with-keys.mjs SPEC KEY_ASC OUT');
  process.exit(2);
}
const spec = yaml.load(readFileSync(specFile, 'utf8'));
const key = readFileSync(keyFile, 'utf8');
let replaced = 0;
for (const source of ['osPackages', 'kubernetesPackages']) {
  if (spec.sources?.[source]?.signingKey) {
    spec.sources[source].signingKey = key;
    replaced++;
  }
}
if (replaced === 0) {
  console.error(`${specFile}: no sources.*.signingKey to replace (the e2e spec must point nodes at the harness's mirrors)`);
  process.exit(1);
}
writeFileSync(out, `# Work copy of ${specFile} written by scripts/e2e/spec-with-keys.mjs (mirror keys replaced).\n${yaml.dump(spec, { lineWidth: -1 })}`);
