/**
 * The one synth pipeline behind every entry point (`npm run synth`: bin/synth-cli.ts, `cdk8s synth`:
 * bin/cdk8s-run.ts, `cdktf synth/deploy`: bin/cdktf-run.ts):
 *
 *   load every spec (specFolder: one rule for where specs come from)
 *   -> validate: across specs, upgrade paths, Terraform's files, the adapter's own checks
 *   -> render dist/<cluster>/ in memory and the Terraform JSON into a temporary folder
 *   -> write atomically: only when everything is built, generated files replaced, nothing else.
 *
 * Nothing here prints: warnings and notices are collected in a SynthReport, errors are thrown,
 * and the adapter prints both through runAdapter (`warning: `, `notice: `, `error: ` lines on
 * stderr) and exits non-zero on any error, having written nothing.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkUpgradePaths, type ClusterModel, formatIssue, loadSpecSet, SpecSetError, specFilesIn } from '../spec';
import { synthInfra } from '../infra/app';
import { applyStateMoves, planStateMoves, StateFilesError } from '../infra/state-files';
import { UsageError } from './args';
import { installFiles, replaceDir, withTempDir } from './atomic';
import { BackgroundWriter } from './background-writer';
import { renderClusterDist, scaffoldAppsFolder, staleClusterDists, staleDistWarning } from './dist';

/** The environment variable naming the spec folder instead of <root>/clusters. */
export const CLUSTERS_DIR_ENV = 'PVE_K8S_CLUSTERS_DIR';

/** Where the specs come from: $PVE_K8S_CLUSTERS_DIR when set, else clusters/ under the project root. */
export function specFolder(root = '.', env: NodeJS.ProcessEnv = process.env): { readonly dir: string; readonly from?: string } {
  const fromEnv = env[CLUSTERS_DIR_ENV];
  return fromEnv ? { dir: fromEnv, from: CLUSTERS_DIR_ENV } : { dir: join(root, 'clusters') };
}

/** Warnings and notices collected while the pipeline runs, in order; the adapter prints them. */
export class SynthReport {
  readonly lines: string[] = [];
  warning(text: string): void {
    this.lines.push(`warning: ${text}`);
  }
  notice(text: string): void {
    this.lines.push(`notice: ${text}`);
  }
}

export interface SynthRequest {
  /** Project root: its clusters/ is the spec folder unless PVE_K8S_CLUSTERS_DIR is set. @default "." */
  readonly root?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The spec folder, overriding specFolder() (tests). */
  readonly clustersDir?: string;
  /**
   * Only these spec files (the spec folder's others still take part in the cross-cluster rules).
   * @default every spec of the spec folder
   */
  readonly specs?: readonly string[];
  /** Write dist/<cluster>/ below this folder, and create a missing users' apps/<cluster>/ beside it. @default not written */
  readonly dist?: string;
  /** Write the Terraform JSON (manifest.json, stacks/<cluster>/) below this folder. @default not written */
  readonly cdktf?: string;
  /** The adapter's own checks on the loaded models, before anything is written. */
  readonly check?: (models: readonly ClusterModel[]) => void;
}

export interface SynthResult {
  readonly models: readonly ClusterModel[];
  /** The users' folders created (apps/<cluster>/), relative to the dist folder's parent. */
  readonly createdApps: ReadonlyMap<string, string>;
}

/** Loads the specs of a request: every error of every spec at once (SpecSetError), warnings into `report`. */
export function loadModels(request: SynthRequest, report: SynthReport): ClusterModel[] {
  const source = request.clustersDir !== undefined ? { dir: request.clustersDir } : specFolder(request.root, request.env);
  const only = request.specs ?? [];
  const files = only.length > 0 ? only : specFilesIn(source.dir, source.from);
  // With chosen specs, the cross-cluster rules still see every spec of the folder (when there is one).
  const context = only.length > 0 && existsSync(source.dir) ? specFilesIn(source.dir, source.from) : [];
  const specs = loadSpecSet(files, context);
  for (const { model, warnings } of specs) for (const w of warnings) report.warning(formatIssue(model.file, w));
  return specs.map((s) => s.model);
}

/** Runs the pipeline; throws on any error, having written nothing. */
export function synthesize(request: SynthRequest, report: SynthReport): SynthResult {
  const models = loadModels(request, report);
  const { dist, cdktf } = request;
  // The versions each cluster was last synthesized at: in the dist/ written, else beside the spec folder.
  const specDir = request.clustersDir ?? specFolder(request.root, request.env).dir;
  checkUpgradePaths(models, dist ?? join(dirname(specDir), 'dist'));
  request.check?.(models);
  const moves = cdktf !== undefined ? planStateMoves(models, cdktf) : [];
  const out = dirname(dist ?? cdktf ?? '.');
  if (dist !== undefined || cdktf !== undefined) {
    withTempDir(out, (tmp) => {
      // dist/ is rendered in memory and written by a second thread while this one runs cdktf.
      const writer = new BackgroundWriter();
      try {
        if (dist !== undefined) for (const model of models) writer.write(join(tmp, 'dist', model.name), renderClusterDist(model));
        if (cdktf !== undefined) synthInfra(models, join(tmp, 'cdktf.out'));
      } catch (e) {
        writer.abort();
        throw e;
      }
      writer.finish();
      // Everything is built: only now touch the output folders. In cdktf.out/ only the generated
      // files are replaced: Terraform's state, .terraform/ and lock file, other stacks stay.
      if (cdktf !== undefined) installFiles(join(tmp, 'cdktf.out'), cdktf);
      if (dist !== undefined) for (const model of models) replaceDir(join(tmp, 'dist', model.name), join(dist, model.name));
    });
  }
  for (const note of applyStateMoves(moves)) report.notice(note);
  const createdApps = new Map<string, string>();
  if (dist !== undefined) {
    // Every spec was synthesized: a generated dist/<name>/ of none of them is left over.
    if ((request.specs ?? []).length === 0) {
      for (const name of staleClusterDists(dist, models.map((m) => m.name))) report.warning(staleDistWarning(join(dist, name)));
    }
    for (const model of models) {
      const apps = scaffoldAppsFolder(model, dirname(dist));
      if (apps) createdApps.set(model.name, apps);
    }
  }
  return { models, createdApps };
}

export interface Output {
  write(text: string): unknown;
}

/**
 * One error as the user sees it. A spec, usage or state-files problem: its own lines, each
 * `error: ` (spec errors are `file: field: message (received ...)`). Anything else is a bug or
 * the environment (disk full): `error: synth failed: ` and the message, never a stack trace
 * unless PVE_K8S_DEBUG is set.
 */
export function errorText(e: unknown): string {
  if (e instanceof SpecSetError || e instanceof UsageError || e instanceof StateFilesError) return `error: ${e.message.split('\n').join('\nerror: ')}\n`;
  const err = e instanceof Error ? e : new Error(String(e));
  return `error: synth failed: ${process.env.PVE_K8S_DEBUG ? (err.stack ?? err.message) : err.message}\n`;
}

/**
 * Runs an adapter's body with a fresh report; prints the report's lines and, on an error, the
 * error on `stderr`. Returns the exit code (the body's, or 1 on an error).
 */
export function runAdapter(stderr: Output, body: (report: SynthReport) => number): number {
  const report = new SynthReport();
  let code: number;
  let failure: unknown;
  try {
    code = body(report);
  } catch (e) {
    code = 1;
    failure = e;
  }
  for (const line of report.lines) stderr.write(`${line}\n`);
  if (failure !== undefined) stderr.write(errorText(failure));
  return code;
}
