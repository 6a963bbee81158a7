// The join secrets a node's snippet must carry, computed here from the state's seeds with Node's
// crypto, independently of the Terraform expressions in infra/join-secrets.ts:
//   v1: seeds a..f, hex derivations (clusters created before the v2 seeds; they keep these values)
//   v2: SHA-2 of several uuids per secret (full-strength keys for new clusters)
// and the values a planned snippet actually holds, read from its text.
const crypto = require('node:crypto');

const hex = (uuid) => uuid.replaceAll('-', '');
const sha = (alg, ...parts) => crypto.createHash(alg).update(parts.join(''));

/** Rejection sampling over the SHA-512 bytes: bytes >= 252 (7 x 36) are skipped. */
function tokenV2(s) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const chars = [...sha('sha512', s.token_1, s.token_2).digest()].filter((b) => b < 252).map((b) => alphabet[b % 36]).join('');
  return `${chars.slice(0, 6)}.${chars.slice(6, 22)}`;
}

const derive = {
  v1: (s) => ({
    bootstrapToken: `${hex(s.a).slice(0, 6)}.${hex(s.e).slice(0, 12)}${hex(s.e).slice(13, 17)}`,
    certificateKey: hex(s.b) + hex(s.c),
    encryptionKey: Buffer.from(hex(s.d)).toString('base64'),
    keepalivedPassword: hex(s.f).slice(0, 8),
  }),
  v2: (s) => ({
    bootstrapToken: tokenV2(s),
    certificateKey: sha('sha256', s.certificate_1, s.certificate_2, s.certificate_3).digest('hex'),
    encryptionKey: sha('sha256', s.encryption_1, s.encryption_2, s.encryption_3).digest('base64'),
    keepalivedPassword: sha('sha256', s.keepalived_1).digest('base64').slice(0, 8),
  }),
};

/** Where each secret sits in a control plane's #cloud-config (every occurrence must match). */
const PATTERNS = {
  bootstrapToken: /\btoken: "([^"]*)"/g,
  certificateKey: /\bcertificateKey: "([^"]*)"/g,
  encryptionKey: /\bsecret: "([^"]*)"/g,
  keepalivedPassword: /\bauth_pass (\S*)/g,
};

/**
 * Compares the secrets in `node`'s planned snippet with `generation`'s derivation of `seeds`.
 * Returns the mismatches (names only: secret values are never printed).
 */
function secretMismatches(plan, node, generation, seeds) {
  const rc = plan.resource_changes.find((c) => c.address === `proxmox_virtual_environment_file.${node}`);
  if (!rc) return [`${node}: no planned snippet`];
  if (rc.change.after_unknown?.source_raw?.[0]?.data === true) return [`${node}: its snippet (and so its secrets) is unknown until apply: the seeds changed`];
  const data = rc.change.after?.source_raw?.[0]?.data ?? '';
  const expected = derive[generation](seeds);
  const out = [];
  for (const [key, pattern] of Object.entries(PATTERNS)) {
    const found = [...data.matchAll(pattern)].map((m) => m[1]);
    if (found.length === 0) out.push(`${node}: no ${key} in its snippet`);
    else if (found.some((v) => v !== expected[key])) out.push(`${node}: ${key} differs from the ${generation} derivation of the state's seeds`);
  }
  return out;
}

module.exports = { derive, secretMismatches };
