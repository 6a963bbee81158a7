/**
 * What a Git revision names (a commit, a tag or a branch), decided once for every consumer: the
 * bootstrap's GitOps root, the Flux GitRepository and Argo CD Application in dist/, and the plain
 * manifests delivered from Git (manifests/release.ts).
 */
export type GitRevisionKind = 'commit' | 'tag' | 'branch';

export interface GitRevision {
  readonly kind: GitRevisionKind;
  /** The commit SHA, or the tag or branch name without its `refs/tags/` or `refs/heads/` prefix. */
  readonly name: string;
}

/** A full commit SHA (40 lowercase hex digits), the only form Flux's `ref.commit` takes. */
export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

const FULL_REF = /^refs\/(heads|tags)\/(.+)$/;

/** Why the schema refuses this revision: a `refs/` form other than refs/heads/<branch> or refs/tags/<tag>. */
export function gitRevisionProblem(revision: string): string | undefined {
  return revision.startsWith('refs/') && !FULL_REF.test(revision) ? 'a full ref is refs/heads/<branch> or refs/tags/<tag>' : undefined;
}

/**
 * Reads addons.gitops.revision: a full commit SHA is a commit, `refs/tags/<tag>` a tag,
 * `refs/heads/<branch>` or any other name a branch.
 */
export function parseGitRevision(revision: string): GitRevision {
  if (isCommitSha(revision)) return { kind: 'commit', name: revision };
  const ref = FULL_REF.exec(revision);
  if (ref) return { kind: ref[1] === 'tags' ? 'tag' : 'branch', name: ref[2]! };
  return { kind: 'branch', name: revision };
}

/** Flux's GitRepository `spec.ref`: exactly one of commit, tag or branch. */
export function fluxGitRef(revision: GitRevision): { readonly commit?: string; readonly tag?: string; readonly branch?: string } {
  return { [revision.kind]: revision.name };
}
