/**
 * The pins manifests/ renders with. They come from spec/versions.ts (the one place versions
 * live); they are passed around as a value so a test can inject a copy with one pin bumped.
 */
import { CHARTS, COMPONENTS, MANIFEST_IMAGES, type ChartPin, type ClusterModel } from '../spec';

export type ChartKey = keyof typeof CHARTS;

export interface PlatformVersions {
  readonly charts: Readonly<Record<ChartKey, ChartPin>>;
  readonly components: Readonly<Record<keyof typeof COMPONENTS, string>>;
  /** Images of the objects manifests/ builds itself (not from a chart). */
  readonly images: Readonly<Record<keyof typeof MANIFEST_IMAGES | 'etcd', string>>;
}

/** The pins of spec/versions.ts for this cluster (etcd follows the Kubernetes minor). */
export function defaultVersions(model: ClusterModel): PlatformVersions {
  return {
    charts: CHARTS,
    components: COMPONENTS,
    images: { ...MANIFEST_IMAGES, etcd: model.kubernetes.etcdImage },
  };
}

/** Throws when an image reference has no explicit tag or digest (":latest" counts as none). */
export function assertPinnedImage(image: string): string {
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes('@') ? lastSegment.split('@')[1] : lastSegment.split(':')[1];
  if (!tag || tag === 'latest') {
    throw new Error(`image must be pinned to a tag or digest (not latest), received: ${JSON.stringify(image)}`);
  }
  return image;
}

/** Deep copy with object keys sorted, for stable JSON output. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * versions.json: every chart, app and image version this cluster's manifests pin, plus the
 * Kubernetes version. Only what the cluster actually deploys is listed under `releases`.
 */
export function versionsDocument(
  model: ClusterModel,
  versions: PlatformVersions,
  releases: readonly { readonly name: string; readonly namespace: string; readonly chart: ChartPin }[],
): string {
  const doc = {
    cluster: model.name,
    kubernetes: model.kubernetes.version,
    gitopsEngine: model.gitops.engine,
    releases: Object.fromEntries(
      releases.map((r) => [r.name, { namespace: r.namespace, repo: r.chart.repo, chart: r.chart.chart, version: r.chart.version, appVersion: r.chart.appVersion }]),
    ),
    charts: versions.charts,
    components: versions.components,
    images: versions.images,
  };
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}
