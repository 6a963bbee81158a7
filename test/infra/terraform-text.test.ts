import { escapeTerraformTemplate, interpolateSecrets } from '../../infra/terraform-text';
import { SECRET_MARKERS } from '../../cloud-init';

describe('rendered text inside a Terraform string', () => {
  test('GIVEN shell parameter expansions WHEN escaped THEN Terraform sees $${ and %%{ (literal text), never an interpolation', () => {
    expect(escapeTerraformTemplate('exec 3<>/dev/tcp/${target%:*}/${target##*:} %{http_code}')).toBe(
      'exec 3<>/dev/tcp/$${target%:*}/$${target##*:} %%{http_code}',
    );
  });

  test('GIVEN already doubled dollars WHEN escaped THEN each ${ gains exactly one $', () => {
    expect(escapeTerraformTemplate('$${x} ${y}')).toBe('$$${x} $${y}');
  });

  test('GIVEN secret markers WHEN interpolated THEN only they become Terraform references', () => {
    const out = interpolateSecrets(`token: ${SECRET_MARKERS.bootstrapToken} shell: \${HOME}`, {
      bootstrapToken: '${local.bootstrap_token}', certificateKey: 'c', encryptionKey: 'e', keepalivedPassword: 'k',
    });
    expect(out).toBe('token: ${local.bootstrap_token} shell: $${HOME}');
  });
});
