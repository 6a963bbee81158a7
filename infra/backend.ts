/** Terraform backend from the spec's `state` block (local by default). */
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { posix } from 'node:path';
import type { ClusterModel } from '../spec';

/**
 * Terraform runs in <outdir>/stacks/<name>/ (cdktf.out/stacks/<name>/): a relative local path
 * climbs these three levels to the folder that holds cdktf.out/, so the state lives outside
 * everything synth writes, and cdk.tf.json is the same on every clone (cdktf's own default is
 * an absolute path, different per machine).
 */
export const STACK_DIR_TO_ROOT = '../../..';

/** The `path` written into the local backend, for a path relative to the project root. */
export function backendStatePath(rootRelative: string): string {
  return posix.isAbsolute(rootRelative) ? rootRelative : posix.join(STACK_DIR_TO_ROOT, rootRelative);
}

export function configureBackend(stack: TerraformStack, model: ClusterModel): void {
  const state = model.state;
  if (state.backend === 's3') {
    new S3Backend(stack, {
      bucket: state.bucket,
      key: state.key,
      region: state.region,
      encrypt: state.encrypt,
      ...(state.dynamodbTable !== undefined ? { dynamodbTable: state.dynamodbTable } : {}),
      ...(state.endpoint
        ? { endpoints: { s3: state.endpoint }, usePathStyle: true, skipCredentialsValidation: true, skipRegionValidation: true }
        : {}),
    });
    return;
  }
  new LocalBackend(stack, { path: backendStatePath(state.path) });
}
