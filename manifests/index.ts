/**
 * Public API of manifests/: the GitOps manifests of one cluster.
 *
 *   synthManifests(model, 'dist/<name>')  writes
 *     dist/<name>/manifests/<addon>/<Kind>.<namespace>.<name>.yaml   one object per file
 *     dist/<name>/versions.json                                      every pinned version
 *     dist/<name>/SECRETS.md                                         the Secrets to create before the add-ons sync
 *     dist/<name>/.sops.yaml                                         SOPS creation rule of apps/<name>/ (addons.gitops.sops)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdk8s';
import type { ClusterModel } from '../spec';
import { buildPlatform, chartFolder } from './build';
import { Platform } from './platform';
import { requiredSecrets, secretsDocument } from './secrets';
import { renderSopsConfig } from './sops';
import { defaultVersions, versionsDocument, type PlatformVersions } from './versions';
import { renderFiles } from './writer';

export interface SynthManifestsOptions {
  /**
   * The pins to render with.
   * @default defaultVersions(model): spec/versions.ts
   */
  readonly versions?: PlatformVersions;
}

export interface RenderedManifests {
  /** manifests/ tree: path relative to manifests/ -> YAML. */
  readonly manifests: ReadonlyMap<string, string>;
  readonly versionsJson: string;
  /** Whether Velero's manifests were rendered (RESTORE.md, runbooks/restore.ts, says how to use it). */
  readonly veleroRendered: boolean;
  readonly secretsMd: string;
  /** dist/<name>/.sops.yaml; undefined without addons.gitops.sops. */
  readonly sopsYaml?: string;
  readonly platform: Platform;
}

/** Renders without touching the file system (tests use this). */
export function renderManifests(model: ClusterModel, options: SynthManifestsOptions = {}): RenderedManifests {
  const versions = options.versions ?? defaultVersions(model);
  const platform = new Platform(model, versions);
  const app = new App({ outdir: 'unused' });
  const charts = buildPlatform(app, platform);
  const manifests = renderFiles(charts);
  if (platform.engine === 'flux') {
    // Flux's root Kustomization syncs manifests/: only the gitops folder (one Kustomization per
    // folder, in dependency order) is applied from there.
    const gitopsFiles = [...manifests.keys()].filter((f) => f.startsWith('gitops/'));
    (manifests as Map<string, string>).set('kustomization.yaml', kustomizeFile(gitopsFiles));
  }
  const veleroRendered = charts.some((c) => chartFolder(c) === 'velero');
  return {
    manifests: new Map([...manifests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    versionsJson: versionsDocument(model, versions, platform.releases.map((r) => r.release)),
    veleroRendered,
    secretsMd: secretsDocument(model, requiredSecrets(model, veleroRendered)),
    ...(model.gitops.sops ? { sopsYaml: renderSopsConfig(model) } : {}),
    platform,
  };
}

function kustomizeFile(resources: readonly string[]): string {
  return ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...resources.map((r) => `  - ${r}`), ''].join('\n');
}

/** The files of dist/<cluster>/ this module owns, relative to it: manifests/, versions.json, SECRETS.md (and .sops.yaml). */
export function renderManifestFiles(model: ClusterModel, options: SynthManifestsOptions = {}): { path: string; content: string }[] {
  return manifestFiles(renderManifests(model, options));
}

/** The files of rendered manifests, relative to dist/<cluster>/. */
export function manifestFiles(out: RenderedManifests): { path: string; content: string }[] {
  return [
    ...[...out.manifests].map(([path, content]) => ({ path: `manifests/${path}`, content })),
    { path: 'versions.json', content: out.versionsJson },
    { path: 'SECRETS.md', content: out.secretsMd },
    ...(out.sopsYaml !== undefined ? [{ path: '.sops.yaml', content: out.sopsYaml }] : []),
  ];
}

/** Writes manifests/, versions.json and SECRETS.md under `outdir` (= dist/<cluster>). Deterministic. */
export function synthManifests(model: ClusterModel, outdir: string, options: SynthManifestsOptions = {}): void {
  if (!outdir) throw new Error(`synthManifests: outdir must be a directory like dist/${model.name}, received: ${JSON.stringify(outdir)}`);
  rmSync(join(outdir, 'manifests'), { recursive: true, force: true }); // stale files from an earlier synth disappear
  for (const file of renderManifestFiles(model, options)) {
    mkdirSync(dirname(join(outdir, file.path)), { recursive: true });
    writeFileSync(join(outdir, file.path), file.content);
  }
}

export { defaultVersions, type PlatformVersions } from './versions';
export { Release, type ReleaseProps } from './release';
export { ciliumValues } from '../facts';
export { manifestFacts, type BootstrapFacts } from './pod-security';
