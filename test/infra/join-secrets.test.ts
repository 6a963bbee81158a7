import { randomUUID } from 'node:crypto';
import { JoinSecretsDerivation, SEEDS, uniformChars, V2_MARKER } from '../../infra/join-secrets';
import { labModel, synthStack } from './helpers';
// The day-2 check's independent derivation (Node's crypto); real Terraform is compared with it there.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script outside the TypeScript build
const { derive } = require('../../scripts/day2/secrets.js');

const SECRETS = ['bootstrap_token', 'certificate_key', 'encryption_key', 'keepalived_password'] as const;
const seedsIn = (expression: string) => [...expression.matchAll(/local\.join_seeds\.(\w+)/g)].map((m) => m[1]);
const seeds = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, randomUUID()]));

describe('join secrets', () => {
  const tf = synthStack(labModel());
  const resource = tf.resource.terraform_data.join_secrets;

  test('GIVEN a new cluster WHEN synthesized THEN its seeds are the v2 uuid() calls, frozen by ignore_changes on input', () => {
    expect(resource.input).toEqual(Object.fromEntries(SEEDS.v2.map((k) => [k, '${uuid()}'])));
    expect(resource.lifecycle).toEqual({ ignore_changes: ['input'] });
    expect(SEEDS.v2).toContain(V2_MARKER);
  });

  test('GIVEN any state WHEN a secret is derived THEN the v2 marker in the state picks the generation and the value is sensitive', () => {
    expect(tf.locals.join_seeds).toBe('${terraform_data.join_secrets.output}');
    expect(tf.locals.join_secrets_v2).toBe(`\${can(local.join_seeds.${V2_MARKER})}`);
    for (const name of SECRETS) {
      expect(tf.locals[name]).toBe(`\${sensitive(local.join_secrets_v2 ? ${JoinSecretsDerivation.v2[name]} : ${JoinSecretsDerivation.v1[name]})}`);
    }
  });

  test('GIVEN a cluster created before v2 (seeds a..f) THEN its derivations are exactly the ones it was created with', () => {
    // Changing one of these would give nodes added later other secrets than the running ones.
    expect(JoinSecretsDerivation.v1).toEqual({
      bootstrap_token: 'format("%s.%s%s", substr(replace(local.join_seeds.a, "-", ""), 0, 6), substr(replace(local.join_seeds.e, "-", ""), 0, 12), substr(replace(local.join_seeds.e, "-", ""), 13, 4))',
      certificate_key: 'format("%s%s", replace(local.join_seeds.b, "-", ""), replace(local.join_seeds.c, "-", ""))',
      encryption_key: 'base64encode(replace(local.join_seeds.d, "-", ""))',
      keepalived_password: 'substr(replace(local.join_seeds.f, "-", ""), 0, 8)',
    });
  });

  test('GIVEN the v2 derivations THEN each secret has its own seeds, only v2 ones, and keys get at least 256 bits of seed', () => {
    const used = SECRETS.map((name) => seedsIn(JoinSecretsDerivation.v2[name]));
    expect(new Set(used.flat())).toEqual(new Set(SEEDS.v2));
    expect(used.flat()).toHaveLength(new Set(used.flat()).size); // no seed shared by two secrets
    // uuid() is 128 random bits: the certificate and encryption keys (256 bits) hash three.
    expect(seedsIn(JoinSecretsDerivation.v2.encryption_key)).toHaveLength(3);
    expect(seedsIn(JoinSecretsDerivation.v2.certificate_key)).toHaveLength(3);
    expect(seedsIn(JoinSecretsDerivation.v2.bootstrap_token)).toHaveLength(2);
  });

  test('GIVEN an alphabet WHEN drawing uniform characters THEN only bytes below the largest multiple of its size are used', () => {
    expect(uniformChars('H', 'abcdefghijklmnopqrstuvwxyz0123456789', 22)).toMatch(/b % 36, 1\) if b < 252\]\), 0, 22\)$/);
    expect(uniformChars('H', '0123456789abcdef', 8)).toContain('if b < 256]');
  });

  test('GIVEN random v2 seeds WHEN derived THEN every secret has the full-strength format its consumer accepts', () => {
    for (let i = 0; i < 200; i += 1) {
      const v = derive.v2(seeds(SEEDS.v2));
      expect(v.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      expect(v.certificateKey).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(v.encryptionKey, 'base64')).toHaveLength(32);
      expect(v.keepalivedPassword).toMatch(/^[A-Za-z0-9+/]{8}$/);
    }
  });

  test('GIVEN v1 seeds WHEN derived THEN the values are the weak ones running v1 clusters hold (the reason for v2)', () => {
    const v = derive.v1(seeds(SEEDS.v1));
    expect(v.encryptionKey).toHaveLength(44);
    expect(Buffer.from(v.encryptionKey, 'base64').toString()).toMatch(/^[0-9a-f]{32}$/); // 128 bits
    expect(v.keepalivedPassword).toMatch(/^[0-9a-f]{8}$/); // 32 bits
  });
});
