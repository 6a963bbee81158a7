/**
 * Entry point for cdktf-cli (`cdktf synth`, `cdktf deploy <cluster>`; see cdktf.json "app").
 * Loads every clusters/*.yaml; any spec error stops before anything is written.
 */
import { SpecSetError, loadSpecSet, specFilesIn } from '../spec';
import { buildInfraApp } from './app';

try {
  const specs = loadSpecSet(specFilesIn(process.env.PVE_K8S_CLUSTERS_DIR ?? 'clusters'));
  buildInfraApp(specs.map((s) => s.model)).synth();
} catch (e) {
  process.stderr.write(`${e instanceof SpecSetError ? e.message : (e as Error).stack}\n`);
  process.exit(1);
}
