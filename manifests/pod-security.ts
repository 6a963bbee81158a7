/**
 * The namespaces the platform runs privileged pods in, as the add-ons declare them (the security
 * baseline labels them `enforce: privileged`). The node bootstrap exempts exactly these, and
 * kube-system, from the cluster-wide Pod Security default (cloud-init/apiserver-files.ts), so an
 * add-on's pods are admitted even before GitOps has labelled its namespace. cloud-init does not
 * import this: whoever renders both passes `manifestFacts(model)` to the node renderers.
 */
import { App } from 'cdk8s';
import type { ClusterModel } from '../spec';
import { SecurityChart } from './addons/security';
import { buildPlatform } from './build';
import { Platform } from './platform';
import { defaultVersions } from './versions';

/** What the node bootstrap takes from the manifests (cloud-init's ManifestFacts). */
export interface BootstrapFacts {
  /** Sorted names of the platform namespaces whose Pod Security level is privileged. */
  readonly privilegedNamespaces: readonly string[];
}

const cache = new WeakMap<ClusterModel, BootstrapFacts>();

/** The manifests' facts the node bootstrap needs: one object per model (built once, ~20 ms). */
export function manifestFacts(model: ClusterModel): BootstrapFacts {
  let facts = cache.get(model);
  if (!facts) {
    const platform = new Platform(model, defaultVersions(model));
    buildPlatform(new App({ outdir: 'unused' }), platform);
    facts = { privilegedNamespaces: SecurityChart.exceptions(platform).filter((e) => e.level === 'privileged').map((e) => e.namespace) };
    cache.set(model, facts);
  }
  return facts;
}
