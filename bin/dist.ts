/** dist/<cluster>/: everything a reviewer or the GitOps engine reads from git. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReviewCopies } from '../cloud-init';
import { manifestFacts, manifestFiles, renderManifests } from '../manifests';
import { renderAppsReadme } from '../runbooks/apps-readme';
import { renderOperations } from '../runbooks/operations';
import { restoreDocument } from '../runbooks/restore';
import { renderTopology } from '../runbooks/topology';
import { renderBackupIdentityScript, renderRemoveNodeScript } from '../lifecycle';
import { renderUpgradeRunbook, renderUpgradeScript } from '../upgrade';
import type { ClusterModel } from '../spec';

export interface DistFile {
  /** Relative to dist/<cluster>/. */
  readonly path: string;
  readonly content: string;
}

/**
 * Every file of dist/<cluster>/, in memory: manifests/, versions.json and SECRETS.md (manifests/),
 * nodes/*.cloud-config.yaml (cloud-init/), OPERATIONS.md, RESTORE.md and TOPOLOGY.md (runbooks/), UPGRADE.md and
 * upgrade.sh (upgrade/), remove-node.sh and backup-identity.sh (lifecycle/).
 */
export function renderClusterDist(model: ClusterModel): DistFile[] {
  const manifests = renderManifests(model);
  return [
    ...manifestFiles(manifests),
    { path: 'RESTORE.md', content: restoreDocument(model, manifests.platform.versions, manifests.veleroRendered) },
    ...renderReviewCopies(model, manifestFacts(model)),
    { path: 'OPERATIONS.md', content: renderOperations(model) },
    { path: 'TOPOLOGY.md', content: renderTopology(model) },
    { path: 'UPGRADE.md', content: renderUpgradeRunbook(model) },
    { path: 'upgrade.sh', content: renderUpgradeScript(model) },
    { path: 'remove-node.sh', content: renderRemoveNodeScript(model) },
    { path: 'backup-identity.sh', content: renderBackupIdentityScript(model) },
  ];
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

/**
 * Folders of `distDir` that an earlier synth generated (they hold versions.json) for a cluster not
 * in `names`: the output of a deleted or renamed spec. Never removed by synth: a running cluster
 * may still sync from it, and removing it from Git would make its GitOps engine prune every add-on.
 */
export function staleClusterDists(distDir: string, names: readonly string[]): string[] {
  if (!existsSync(distDir)) return [];
  return readdirSync(distDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !names.includes(e.name) && existsSync(join(distDir, e.name, 'versions.json')))
    .map((e) => e.name)
    .sort();
}

/** The warning for one stale folder (see staleClusterDists). */
export function staleDistWarning(dir: string): string {
  return `${dir}/ was generated for a cluster that no spec defines any more (deleted or renamed spec). Synth leaves it: a running cluster may still sync from it. Once that cluster is gone (or moved to its new name), remove it: git rm -r ${dir}`;
}
