/**
 * Bootstrap secrets. The renderers treat every value as an opaque string and insert it
 * verbatim: the infra layer passes markers it later replaces with Terraform references,
 * review copies pass PLACEHOLDER_SECRETS. Secrets only ever land in root-only files
 * (kubeadm configs, the encryption config, keepalived.conf), never in scripts.
 */
export interface BootstrapSecrets {
  /** kubeadm bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`. */
  readonly bootstrapToken: string;
  /** Key that encrypts the uploaded control-plane certificates: 64 hex characters (32 bytes). */
  readonly certificateKey: string;
  /** Secrets encryption-at-rest key (secretbox): base64 of 32 random bytes. */
  readonly encryptionKey: string;
  /** Keepalived VRRP PASS authentication; at most 8 characters (keepalived truncates). */
  readonly keepalivedPassword: string;
}

/**
 * Readable placeholders for review copies; valid wherever the renderers put a secret (the VRRP
 * one has 8 characters, so even `keepalived -t` accepts a review copy).
 */
export const PLACEHOLDER_SECRETS: BootstrapSecrets = {
  bootstrapToken: '<bootstrap-token>',
  certificateKey: '<certificate-key>',
  encryptionKey: '<encryption-key>',
  keepalivedPassword: '<vrrppw>',
};

/**
 * Puts a secret in a YAML document as a double-quoted scalar, so whatever finally replaces a
 * marker (hex, base64, a token that happens to look like a number) stays a string.
 * Secrets must not contain `"` or `\`.
 */
export function yamlSecret(value: string): string {
  if (/["\\\n]/.test(value)) throw new Error('secret values must not contain ", \\ or newlines');
  return `"${value}"`;
}

/**
 * Stand-ins the renderers see instead of real secrets (no `$`, `%`, braces, quotes or YAML
 * specials, so escaping for Terraform or YAML leaves them intact); fillSecrets swaps them.
 */
export const SECRET_MARKERS: BootstrapSecrets = {
  bootstrapToken: '@@PVE_K8S_SECRET_bootstrapToken@@',
  certificateKey: '@@PVE_K8S_SECRET_certificateKey@@',
  encryptionKey: '@@PVE_K8S_SECRET_encryptionKey@@',
  keepalivedPassword: '@@PVE_K8S_SECRET_keepalivedPassword@@',
};

/** Replaces every SECRET_MARKERS entry in `text` with the matching value of `secrets`. */
export function fillSecrets(text: string, secrets: BootstrapSecrets): string {
  let out = text;
  for (const key of Object.keys(SECRET_MARKERS) as (keyof BootstrapSecrets)[]) {
    yamlSecret(secrets[key]); // the same rule as for direct rendering: no quotes, backslashes or newlines
    out = out.split(SECRET_MARKERS[key]).join(secrets[key]);
  }
  const leftover = /@@PVE_K8S_SECRET_\w+@@/.exec(out);
  if (leftover) throw new Error(`secret marker ${leftover[0]} has no value`);
  return out;
}
