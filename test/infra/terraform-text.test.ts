import { escapeTerraformTemplate, interpolateSecrets } from '../../infra/terraform-text';
import { SECRET_MARKERS } from '../../cloud-init';

describe('rendered text inside a Terraform string', () => {
  test('GIVEN text with ${ and %{ WHEN escaped THEN Terraform sees $${ and %%{ (literal text, no interpolation)', () => {
    const text = 'codename=${distro_codename} %{if x} $HOME ${a}${b}';
    expect(escapeTerraformTemplate(text)).toBe('codename=$${distro_codename} %%{if x} $HOME $${a}$${b}');
  });

  test('GIVEN a template with shell variables and a secret marker WHEN interpolated THEN only the marker becomes a Terraform reference', () => {
    const expressions = { bootstrapToken: '${local.t}', certificateKey: '${local.c}', encryptionKey: '${local.e}', keepalivedPassword: '${local.k}' };
    const out = interpolateSecrets(`token: ${SECRET_MARKERS.bootstrapToken}\necho "\${step_name}"\n`, expressions);
    expect(out).toBe('token: ${local.t}\necho "$${step_name}"\n');
  });
});
