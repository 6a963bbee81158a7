/**
 * Putting rendered text (cloud-config with shell `${VAR}`) into a Terraform string attribute.
 * Terraform interpolates `${...}` and `%{...}` in every string, so the text is escaped first
 * (`$${`, `%%{`); then the secret markers are swapped for Terraform references.
 */

export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** Marker for a secret inside rendered text: no `$`, `%` or braces, so escaping leaves it alone. */
export function secretMarker(name: string): string {
  return `@@PVE_K8S_SECRET_${name}@@`;
}

/** Escapes `text`, then replaces each marker with its Terraform expression (e.g. `${local.x}`). */
export function interpolateSecrets(text: string, expressions: Readonly<Record<string, string>>): string {
  let out = escapeTerraformTemplate(text);
  for (const [name, expression] of Object.entries(expressions)) {
    out = out.split(secretMarker(name)).join(expression);
  }
  const leftover = /@@PVE_K8S_SECRET_(\w+)@@/.exec(out);
  if (leftover) throw new Error(`no Terraform expression for secret marker ${leftover[0]}`);
  return out;
}
