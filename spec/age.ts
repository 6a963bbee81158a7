/**
 * age public keys (recipients) as age-keygen prints them: "age1" + the bech32 encoding of a 32-byte
 * X25519 key. The checksum is verified, so a mistyped or truncated key is refused on load instead
 * of failing the first `sops --encrypt`.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BIP 173 checksum state over 5-bit values. */
function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    GENERATOR.forEach((g, i) => { if ((top >>> i) & 1) chk ^= g; });
  }
  return chk;
}

/** Why `text` is not an X25519 age recipient, or undefined when it is one. */
export function ageRecipientProblem(text: string): string | undefined {
  const shape = 'an age public key: "age1" and 58 more characters, as age-keygen prints it (# public key: ...)';
  if (text.startsWith('AGE-SECRET-KEY-')) return 'is an age private key: give its public key (age-keygen -y <key file>); the private key goes only into the cluster Secret';
  if (!/^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/.test(text)) return `must be ${shape}`;
  const hrp = 'age';
  const data = [...text.slice(4)].map((c) => CHARSET.indexOf(c));
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];
  if (polymod([...expanded, ...data]) !== 1) return 'has a wrong checksum (a typo or a truncated copy): copy the public key again from age-keygen';
  return undefined;
}
