/**
 * Putting rendered text (cloud-config with shell `${VAR}`) into a Terraform string attribute.
 * Terraform interpolates `${...}` and `%{...}` in every string, so the text is escaped first
 * (`$${`, `%%{`); then cloud-init's secret markers are swapped for Terraform references.
 */
import { fillSecrets, type BootstrapSecrets } from '../cloud-init';

export function escapeTerraformTemplate(text: string): string {
  // Replacement functions: in a replacement string, `$$` would stand for a single `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Escapes a cloud-init template, then puts the Terraform expressions where its secret markers are. */
export function interpolateSecrets(template: string, expressions: BootstrapSecrets): string {
  return fillSecrets(escapeTerraformTemplate(template), expressions);
}
