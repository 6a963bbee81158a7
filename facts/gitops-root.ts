/**
 * What the node bootstrap (cloud-init/addons.ts) and the GitOps manifests in dist/ (which adopt
 * what the bootstrap created) must render identically: the Flux root GitRepository's spec, and the
 * Argo CD values that let it open a private repository.
 */
import { type ClusterModel, fluxGitRef } from '../spec';

/** spec of the Flux root GitRepository: URL, ref and, for a private repository, the operator's Secret. */
export interface FluxRootSourceSpec {
  readonly interval: string;
  readonly url: string;
  readonly ref: ReturnType<typeof fluxGitRef>;
  readonly secretRef?: { readonly name: string };
  /** addons.gitops.commitSigning: the HEAD commit must be signed by a key of the public keys Secret. */
  readonly verify?: { readonly mode: 'HEAD'; readonly secretRef: { readonly name: string } };
}

export function fluxRootSourceSpec(model: ClusterModel): FluxRootSourceSpec {
  const root = model.gitops.root;
  if (!root) throw new Error(`cluster ${model.name} has no GitOps repository (addons.gitops.repoUrl)`);
  const secret = root.credentials?.secretName;
  const signing = model.gitops.commitSigning;
  return {
    interval: '5m', url: root.repoUrl, ref: fluxGitRef(root.revision),
    ...(secret ? { secretRef: { name: secret } } : {}),
    ...(signing ? { verify: { mode: 'HEAD', secretRef: { name: signing.publicKeysSecret } } } : {}),
  };
}

/**
 * Argo CD chart values for the root's repository: the Git server's SSH host keys (type ssh; Argo CD
 * checks them against argocd-ssh-known-hosts-cm, which the chart writes from these values). The
 * repository Secret itself is the operator's: Argo CD finds it by its label and URL.
 */
export function argoCdRepositoryValues(model: ClusterModel): { configs: { ssh: { extraHosts: string } } } | undefined {
  const knownHosts = model.gitops.root?.credentials?.knownHosts;
  return knownHosts ? { configs: { ssh: { extraHosts: knownHosts } } } : undefined;
}
