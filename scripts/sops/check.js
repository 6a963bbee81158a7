// What Flux decrypts and what the operator is told to create and encrypt must agree, per rendered
// dist/<name>/: every Flux Kustomization with spec.decryption names a Secret that SECRETS.md lists
// in the Kustomization's namespace; .sops.yaml exists exactly when something decrypts, and its
// creation rule matches the YAML files of every decrypting Kustomization's path (and nothing under
// the generated manifests/).
// Usage: node scripts/sops/check.js <dist/<name>> ...   prints one line per problem; exit 1 if any
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const yaml = require('js-yaml');

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []);
}

/** `namespace/name` of every row of SECRETS.md's table (| # | namespace | Secret | keys | used by |). */
function listedSecrets(md) {
  return new Set([...md.matchAll(/^\| \d+ \| ([^ |]+) \| ([^ |]+) \|/gm)].map((m) => `${m[1]}/${m[2]}`));
}

const problems = [];
for (const dist of process.argv.slice(2)) {
  const listed = listedSecrets(readFileSync(join(dist, 'SECRETS.md'), 'utf8'));
  const decrypting = yamlFiles(join(dist, 'manifests'))
    .flatMap((f) => yaml.loadAll(readFileSync(f, 'utf8')).map((obj) => ({ file: relative(dist, f), obj })))
    .filter(({ obj }) => obj?.kind === 'Kustomization' && obj.apiVersion?.startsWith('kustomize.toolkit.fluxcd.io/') && obj.spec?.decryption);
  for (const { file, obj } of decrypting) {
    const ref = `${obj.metadata.namespace}/${obj.spec.decryption.secretRef?.name}`;
    if (!listed.has(ref)) problems.push(`${dist}: ${file}: decrypts with Secret ${ref}, which SECRETS.md does not list (listed: ${[...listed].join(', ') || 'none'})`);
  }
  const config = join(dist, '.sops.yaml');
  if (!existsSync(config)) {
    if (decrypting.length > 0) problems.push(`${dist}: ${decrypting.length} Kustomization(s) decrypt but there is no .sops.yaml to encrypt with`);
    continue;
  }
  if (decrypting.length === 0) problems.push(`${dist}: .sops.yaml encrypts for a folder no Kustomization decrypts`);
  const rules = (yaml.load(readFileSync(config, 'utf8')).creation_rules ?? []).map((r) => new RegExp(r.path_regex ?? ''));
  for (const { file, obj } of decrypting) {
    const sample = `${obj.spec.path.replace(/^\.\//, '')}/my-app/db.secret.yaml`;
    if (!rules.some((r) => r.test(sample))) problems.push(`${dist}: ${file}: .sops.yaml has no creation rule for ${sample}, a file this Kustomization decrypts`);
  }
  const generated = `${relative(join(dist, '..', '..'), dist)}/manifests/x.yaml`;
  if (rules.some((r) => r.test(generated))) problems.push(`${dist}: .sops.yaml would encrypt ${generated}, a generated file`);
}
for (const p of problems) console.log(p);
process.exit(problems.length > 0 ? 1 : 0);
