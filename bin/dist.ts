/** Writes dist/<cluster>/: everything a reviewer or the GitOps engine reads from git. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderReviewCopies } from '../cloud-init';
import { synthManifests } from '../manifests';
import type { ClusterModel } from '../spec';

export interface DistFile {
  readonly path: string;
  readonly content: string;
}

export function writeFiles(dir: string, files: readonly DistFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
}

/** dist/<cluster>/manifests/ + versions.json + RESTORE.md (manifests/), nodes/*.cloud-config.yaml (cloud-init/). */
export function writeClusterDist(model: ClusterModel, dir: string): void {
  mkdirSync(dir, { recursive: true });
  synthManifests(model, dir);
  writeFiles(dir, renderReviewCopies(model));
}
