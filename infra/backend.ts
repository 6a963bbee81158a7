/** Terraform backend from the spec's `state` block (local by default). */
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { ClusterModel } from '../spec';

export function configureBackend(stack: TerraformStack, model: ClusterModel): void {
  const state = model.spec.state;
  if (state.backend === 's3') {
    new S3Backend(stack, {
      bucket: state.bucket,
      key: state.key ?? `pve-k8s/${model.name}.tfstate`,
      region: state.region,
      ...(state.endpoint
        ? { endpoints: { s3: state.endpoint }, usePathStyle: true, skipCredentialsValidation: true, skipRegionValidation: true }
        : {}),
    });
    return;
  }
  // Relative to the stack's working directory (cdktf.out/stacks/<name>), as cdktf users expect.
  new LocalBackend(stack, { path: state.path ?? `terraform.${model.name}.tfstate` });
}
