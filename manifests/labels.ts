/** Labels and annotations every platform object carries. */

export const PART_OF = 'platform';
export const MANAGED_BY = 'cdk8s';

/** app.kubernetes.io/{name,part-of,version,managed-by} for one add-on. */
export function standardLabels(name: string, version: string): Record<string, string> {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new Error(`label name must be a lowercase DNS label, received: ${JSON.stringify(name)}`);
  }
  const v = version.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63);
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/version': v,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Argo CD sync wave annotation key. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** Argo CD: let custom resources wait for their CRD instead of failing the dry run. */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
