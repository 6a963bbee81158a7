/**
 * cdk8s app entry (cdk8s.yaml: `app: node lib/manifests/main.js`): synthesizes the manifests
 * of every clusters/*.yaml into <outdir>/<name>/. cdk8s-cli sets CDK8S_OUTDIR (and empties it
 * first); without the CLI the outdir is dist/.
 */
import { join } from 'node:path';
import { loadSpecSet, specFilesIn } from '../spec';
import { synthManifests } from './index';

function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const specs = loadSpecSet(specFilesIn('clusters'));
  for (const { model } of specs) {
    synthManifests(model, join(outdir, model.name));
    console.log(`[manifests] ${model.name}: ${join(outdir, model.name, 'manifests')}`);
  }
}

main();
