/**
 * `terraform_data` with a fixed input map. cdktf's own DataResource would do, but it runs
 * `terraform version` at every synth (a Terraform >= 1.4 check), which makes synth and the tests
 * depend on a terraform binary. Terraform 1.4+ is required at deploy time anyway (we pin 1.8.5).
 */
import type { Construct } from 'constructs';
import { TerraformResource, type LocalExecProvisioner } from 'cdktf';

export interface TerraformDataProps {
  readonly input: Readonly<Record<string, string>>;
  /** lifecycle.ignore_changes = [input]: the first apply's input is kept. @default false */
  readonly ignoreInputChanges?: boolean;
  /** Commands run on the machine running Terraform when the resource is created. @default none */
  readonly provisioners?: readonly LocalExecProvisioner[];
}

export class TerraformData extends TerraformResource {
  private readonly input: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TerraformDataProps) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      lifecycle: props.ignoreInputChanges ? { ignoreChanges: ['input'] } : undefined,
      provisioners: props.provisioners ? [...props.provisioners] : undefined,
    });
    this.input = props.input;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { input: { ...this.input } };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { input: { value: { ...this.input }, isBlock: false, type: 'map', storageClassType: 'stringMap' } };
  }
}
