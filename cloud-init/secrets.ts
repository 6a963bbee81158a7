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
