/**
 * The namespaces the platform runs privileged pods in, as the add-ons declare them (the security
 * baseline labels them `enforce: privileged`). The node bootstrap exempts exactly these, and
 * kube-system, from the cluster-wide Pod Security default (cloud-init/apiserver-files.ts), so an
 * add-on's pods are admitted even before GitOps has labelled its namespace.
 */
import { App } from 'cdk8s';
import type { ClusterModel } from '../spec';
import { SecurityChart } from './addons/security';
import { buildPlatform } from './build';
import { Platform } from './platform';
import { defaultVersions } from './versions';

const cache = new WeakMap<ClusterModel, readonly string[]>();

/** Sorted names of the platform namespaces whose Pod Security level is privileged (built once per model, ~20 ms). */
export function privilegedNamespaces(model: ClusterModel): readonly string[] {
  let names = cache.get(model);
  if (!names) {
    const platform = new Platform(model, defaultVersions(model));
    buildPlatform(new App({ outdir: 'unused' }), platform);
    names = SecurityChart.exceptions(platform).filter((e) => e.level === 'privileged').map((e) => e.namespace);
    cache.set(model, names);
  }
  return names;
}
