/**
 * The neutral release model: one Helm release of one add-on, independent of the GitOps engine.
 * gitops/argocd.ts and gitops/flux.ts render the same Release objects; nothing else knows the
 * engine.
 */
import { type ChartPin, type GitRevision, isCommitSha } from '../spec';

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface ReleaseProps {
  /** Helm release name (RFC 1123 label); also names the Argo CD Application / Flux HelmRelease. */
  readonly name: string;
  /** Namespace the chart installs into. */
  readonly namespace: string;
  /** The exact chart pin (repository, chart, version). */
  readonly chart: ChartPin;
  /** Helm values, already derived from the cluster model. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Order: lower waves are applied and healthy before higher ones (Argo CD sync wave).
   * @default 0
   */
  readonly wave?: number;
  /**
   * Releases (by name) that must be ready first (Flux dependsOn). Each must have a lower wave.
   * @default []
   */
  readonly dependsOn?: readonly string[];
}

export class Release {
  public readonly name: string;
  public readonly namespace: string;
  public readonly chart: ChartPin;
  public readonly values: Readonly<Record<string, unknown>>;
  public readonly wave: number;
  public readonly dependsOn: readonly string[];

  constructor(props: ReleaseProps) {
    if (!RFC1123_LABEL.test(props.name) || props.name.length > 53) {
      throw new Error(`release name must be an RFC 1123 label of at most 53 characters, received: ${JSON.stringify(props.name)}`);
    }
    if (!RFC1123_LABEL.test(props.namespace)) {
      throw new Error(`release ${props.name}: namespace must be an RFC 1123 label, received: ${JSON.stringify(props.namespace)}`);
    }
    if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(props.chart.version)) {
      throw new Error(`release ${props.name}: chart version must be an exact semantic version, received: ${JSON.stringify(props.chart.version)}`);
    }
    if (!/^(https:\/\/|oci:\/\/)/.test(props.chart.repo)) {
      throw new Error(`release ${props.name}: chart repo must be an https:// or oci:// URL, received: ${JSON.stringify(props.chart.repo)}`);
    }
    const wave = props.wave ?? 0;
    if (!Number.isInteger(wave) || wave < -20 || wave > 20) {
      throw new Error(`release ${props.name}: wave must be an integer in [-20, 20], received: ${JSON.stringify(props.wave)}`);
    }
    const dependsOn = [...(props.dependsOn ?? [])];
    if (dependsOn.includes(props.name)) {
      throw new Error(`release ${props.name}: cannot depend on itself, received dependsOn: ${JSON.stringify(dependsOn)}`);
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.chart = props.chart;
    this.values = props.values;
    this.wave = wave;
    this.dependsOn = dependsOn;
  }

  /** True for OCI-hosted charts (oci://registry/path). */
  public get isOci(): boolean {
    return this.chart.repo.startsWith('oci://');
  }
}

/** Checks dependsOn across a set of releases: every name exists and has a lower wave. */
export function validateReleaseGraph(releases: readonly Release[]): void {
  const byName = new Map<string, Release>();
  for (const r of releases) {
    if (byName.has(r.name)) throw new Error(`duplicate release name, received: ${JSON.stringify(r.name)}`);
    byName.set(r.name, r);
  }
  for (const r of releases) {
    for (const dep of r.dependsOn) {
      const target = byName.get(dep);
      if (!target) {
        throw new Error(`release ${r.name} depends on an unknown release, received: ${JSON.stringify(dep)} (known: ${[...byName.keys()].sort().join(', ')})`);
      }
      if (target.wave >= r.wave) {
        throw new Error(`release ${r.name} (wave ${r.wave}) depends on ${dep} (wave ${target.wave}): a dependency needs a lower wave`);
      }
    }
  }
}

export interface GitManifestsProps {
  /** RFC 1123 label; names the Argo CD Application / Flux GitRepository and Kustomization. */
  readonly name: string;
  /** https:// URL of the Git repository. */
  readonly repo: string;
  /** Folder of plain manifests inside the repository. */
  readonly path: string;
  /** Exact tag (or commit) to deploy. */
  readonly revision: string;
  /**
   * Order, as for a Release (Argo CD sync wave).
   * @default 0
   */
  readonly wave?: number;
}

/**
 * The other kind of delivery unit of the neutral model: plain manifests from a folder of a Git
 * repository at a pinned tag (e.g. CRDs a project publishes without a chart). Argo CD renders a
 * directory Application, Flux a GitRepository + Kustomization.
 */
export class GitManifests {
  public readonly name: string;
  public readonly repo: string;
  public readonly path: string;
  /** The exact tag or commit (never a branch). */
  public readonly revision: GitRevision;
  public readonly wave: number;

  constructor(props: GitManifestsProps) {
    if (!RFC1123_LABEL.test(props.name) || props.name.length > 53) {
      throw new Error(`git manifests name must be an RFC 1123 label of at most 53 characters, received: ${JSON.stringify(props.name)}`);
    }
    if (!/^https:\/\/\S+$/.test(props.repo)) {
      throw new Error(`git manifests ${props.name}: repo must be an https:// URL, received: ${JSON.stringify(props.repo)}`);
    }
    if (!/^[\w.-]+(\/[\w.-]+)*$/.test(props.path) || props.path.split('/').includes('..')) {
      throw new Error(`git manifests ${props.name}: path must be a relative folder, received: ${JSON.stringify(props.path)}`);
    }
    if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(props.revision) && !isCommitSha(props.revision)) {
      throw new Error(`git manifests ${props.name}: revision must be an exact tag or commit, received: ${JSON.stringify(props.revision)}`);
    }
    const wave = props.wave ?? 0;
    if (!Number.isInteger(wave) || wave < -20 || wave > 20) {
      throw new Error(`git manifests ${props.name}: wave must be an integer in [-20, 20], received: ${JSON.stringify(props.wave)}`);
    }
    this.name = props.name;
    this.repo = props.repo;
    this.path = props.path;
    this.revision = { kind: isCommitSha(props.revision) ? 'commit' : 'tag', name: props.revision };
    this.wave = wave;
  }
}
