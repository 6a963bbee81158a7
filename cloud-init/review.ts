/** Review copies: each node's cloud-config with placeholder secrets, for git review. */
import type { ClusterModel } from '../spec';
import type { ManifestFacts } from './apiserver-files';
import { renderNodeCloudConfig } from './cloud-config';
import { PLACEHOLDER_SECRETS } from './secrets';

export interface ReviewCopy {
  /** Relative to dist/<cluster>/. */
  readonly path: string;
  readonly content: string;
}

/** `nodes/<node>.cloud-config.yaml` for every node, secrets as placeholders. */
export function renderReviewCopies(model: ClusterModel, manifests: ManifestFacts): ReviewCopy[] {
  return model.nodes.map((node) => ({
    path: `nodes/${node.name}.cloud-config.yaml`,
    content: renderNodeCloudConfig(model, node, PLACEHOLDER_SECRETS, manifests),
  }));
}
