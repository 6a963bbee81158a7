/** dist/<cluster>/: everything a reviewer or the GitOps engine reads from git. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderReviewCopies } from '../cloud-init';
import { renderManifestFiles } from '../manifests';
import { renderAppsReadme } from '../runbooks/apps-readme';
import { renderOperations } from '../runbooks/operations';
import { renderTopology } from '../runbooks/topology';
import { renderUpgradeRunbook, renderUpgradeScript } from '../upgrade';
import type { ClusterModel } from '../spec';

export interface DistFile {
  /** Relative to dist/<cluster>/. */
  readonly path: string;
  readonly content: string;
}

/**
 * Every file of dist/<cluster>/, in memory: manifests/, versions.json and RESTORE.md (manifests/),
 * nodes/*.cloud-config.yaml (cloud-init/), OPERATIONS.md and TOPOLOGY.md (runbooks/), UPGRADE.md and
 * upgrade.sh (upgrade/).
 */
export function renderClusterDist(model: ClusterModel): DistFile[] {
  return [
    ...renderManifestFiles(model),
    ...renderReviewCopies(model),
    { path: 'OPERATIONS.md', content: renderOperations(model) },
    { path: 'TOPOLOGY.md', content: renderTopology(model) },
    { path: 'UPGRADE.md', content: renderUpgradeRunbook(model) },
    { path: 'upgrade.sh', content: renderUpgradeScript(model) },
  ];
}

export function writeFiles(dir: string, files: readonly DistFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

/** Writes dist/<cluster>/ into `dir` (an empty folder). */
export function writeClusterDist(model: ClusterModel, dir: string): void {
  writeFiles(dir, renderClusterDist(model));
}

/**
 * Creates the users' folder apps/<cluster>/ under `root` with its README, only when the cluster has
 * a GitOps root to sync it and the folder does not exist: synth never writes into an existing one.
 * Returns the folder it created, relative to `root`, or undefined.
 */
export function scaffoldAppsFolder(model: ClusterModel, root: string): string | undefined {
  if (!model.gitops.bootstrap) return undefined;
  const dir = join(root, model.gitops.appsPath);
  if (existsSync(dir)) return undefined;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README.md'), renderAppsReadme(model), { flag: 'wx' });
  return model.gitops.appsPath;
}
