/**
 * Which `kubernetes.version` changes a running cluster can take: kubeadm upgrades one minor at a
 * time and never downgrades (Kubernetes version skew policy). The running version is what the
 * cluster was last synthesized at (`dist/<name>/versions.json`, committed with the spec), so a
 * spec edit that skips a minor is refused at synth, before any node installs it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError, SpecSetError, type SpecIssue } from './errors';
import type { ClusterModel } from './model';

export type VersionChange = 'none' | 'patch' | 'minor';

const parse = (v: string): [number, number, number] => v.split('.').map(Number) as [number, number, number];

/** Compares two `x.y.z` versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/** The kind of change from `from` to `to`, or the reason kubeadm cannot make it. */
export function versionChange(from: string, to: string): VersionChange | { readonly refused: string } {
  const [f, t] = [parse(from), parse(to)];
  if (compareVersions(to, from) < 0) {
    return { refused: `downgrades are not supported (kubeadm upgrades only forward): the cluster runs ${from}` };
  }
  if (t[0] !== f[0] || t[1] > f[1] + 1) {
    return { refused: `kubeadm upgrades one minor at a time: the cluster runs ${from}; upgrade to ${f[0]}.${f[1] + 1}.x first, then to ${to}` };
  }
  if (t[1] === f[1] + 1) return 'minor';
  return t[2] === f[2] ? 'none' : 'patch';
}

/**
 * Issues for a spec whose cluster was last synthesized at `running` (undefined: a new cluster).
 * `source` names where `running` was read, for the message. `pinned` false: the spec names no
 * version and `wanted` is the toolkit's default, which moves with toolkit releases: a move is
 * refused (never an upgrade nobody asked for, nor new nodes' kubelets newer than the API servers).
 */
export function upgradePathIssues(running: string | undefined, wanted: string, source: string, pinned = true): SpecIssue[] {
  if (running === undefined) return [];
  if (!pinned && running !== wanted) {
    return [{
      path: ['kubernetes', 'version'],
      message: `not set, and the toolkit's default (${wanted}) is not the version this cluster runs (${running}, ${source}): set it to "${running}" to stay, or to "${wanted}" and run upgrade.sh`,
    }];
  }
  const change = versionChange(running, wanted);
  if (typeof change === 'string') return [];
  return [{
    path: ['kubernetes', 'version'],
    message: `${change.refused} (${source}; for a cluster rebuilt from scratch, delete that file)`,
    received: wanted,
  }];
}

/** The Kubernetes version in `<distDir>/<name>/versions.json`, if that file exists and names one. */
export function synthesizedVersion(distDir: string, name: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(join(distDir, name, 'versions.json'), 'utf8')) as { kubernetes?: unknown }).kubernetes;
    return typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses every model whose version the cluster synthesized into `distDir` cannot upgrade to. */
export function checkUpgradePaths(models: readonly ClusterModel[], distDir: string): void {
  const errors = models.flatMap((m) => {
    const issues = upgradePathIssues(synthesizedVersion(distDir, m.name), m.kubernetes.version, `last synthesized in ${join(distDir, m.name, 'versions.json')}`, m.kubernetes.pinned);
    return issues.length > 0 ? [new SpecError(m.file, issues)] : [];
  });
  if (errors.length > 0) throw new SpecSetError(errors);
}
