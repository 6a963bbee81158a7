/**
 * Entry point for cdktf-cli (`cdktf synth`, `cdktf deploy <cluster>`; see cdktf.json "app").
 * Loads every clusters/*.yaml; any spec error stops before anything is written.
 */
import { SpecSetError, loadSpecSet, specFilesIn } from '../spec';
import { buildInfraApp } from './app';

try {
  const fromEnv = process.env.PVE_K8S_CLUSTERS_DIR;
  const specs = loadSpecSet(specFilesIn(fromEnv ?? 'clusters', fromEnv === undefined ? undefined : 'PVE_K8S_CLUSTERS_DIR'));
  buildInfraApp(specs.map((s) => s.model)).synth();
} catch (e) {
  process.stderr.write(`${e instanceof SpecSetError ? e.message : (e as Error).stack}\n`);
  process.exit(1);
}
