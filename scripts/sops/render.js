// Renders every clusters/*.yaml as a Flux cluster whose apps folder is SOPS-encrypted for one age
// public key: <repo>/dist/<name>/ (manifests/, SECRETS.md, .sops.yaml) and an empty
// <repo>/apps/<name>/, laid out like the Git repository the operator works in.
// Usage: node scripts/sops/render.js <repo> <age1...>   (after `npx tsc -p scripts/manifests/tsconfig.json`)
const { mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const yaml = require('js-yaml');
const root = join(__dirname, '..', '..');
const { loadSpecText, specFilesIn } = require(join(root, 'lib', 'spec'));
const { synthManifests } = require(join(root, 'lib', 'manifests'));

const [repo, recipient] = process.argv.slice(2);
if (!repo || !recipient) throw new Error('usage: render.js <repo> <age recipient>');
for (const file of specFilesIn(join(root, 'clusters'))) {
  const doc = yaml.load(readFileSync(file, 'utf8'));
  const gitops = doc.addons?.gitops ?? {};
  doc.addons = {
    ...(doc.addons ?? {}),
    gitops: { ...gitops, engine: 'flux', repoUrl: gitops.repoUrl ?? 'https://git.verify.invalid/platform/clusters.git', sops: { ageRecipients: [recipient] } },
  };
  const { model } = loadSpecText(yaml.dump(doc), file);
  synthManifests(model, join(repo, 'dist', model.name));
  mkdirSync(join(repo, model.gitops.appsPath), { recursive: true });
  console.log(model.name);
}
