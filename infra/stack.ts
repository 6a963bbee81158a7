/**
 * One cluster = one Terraform stack.
 *
 * Terraform addresses (construct IDs) are a contract: renaming one destroys and recreates the
 * resource. They are derived from node names (`vm_<node>`), which derive from the cluster and
 * pool names, never from list positions.
 */
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { ClusterModel } from '../spec';
import { configureBackend } from './backend';
import { JoinSecrets } from './join-secrets';

export interface ClusterStackProps {
  readonly model: ClusterModel;
}

export class ClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { model } = props;
    configureBackend(this, model);
    new JoinSecrets(this, 'secrets');
    new TerraformOutput(this, 'api_endpoint', { value: `https://${model.network.controlPlaneEndpoint}` }).overrideLogicalId('api_endpoint');
  }
}
