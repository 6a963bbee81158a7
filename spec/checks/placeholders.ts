/**
 * Example values a spec still holds: the reference specs' (clusters/lab.yaml, dev.yaml) and
 * `npm run new`'s placeholders, the one list of them. Synth warns about each field that holds one
 * (a warning, not an error: the examples must synthesize), so a spec copied from an example, or
 * written by `npm run new`, says what is left to change before a deploy.
 *
 * lab.yaml's example values are its DNS names (domain, Proxmox endpoint, Git repository, ACME
 * e-mail, S3 endpoint), all under example.internal, and its sample SSH key. Its addresses
 * (10.20.0.0/24) could be a real network and are not flagged.
 */
import type { SpecIssue, SpecPath } from '../errors';

/**
 * Domains reserved for examples (RFC 2606, RFC 6761; `example.internal` is what our examples use).
 * A DNS name is a placeholder when it is one of these or below one; the bare `example` label only
 * as a top-level domain (`git.example`), never alone (a Git path `org/example` is real).
 */
export const PLACEHOLDER_DOMAINS: readonly string[] = ['example.internal', 'example.com', 'example.net', 'example.org'];
const PLACEHOLDER_TLD = 'example';

/** The sample key of the reference specs (its key blob: the comment may be edited). */
export const SAMPLE_SSH_KEY_BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIHb6c2F0pXvYc0Qk8wBq1d7n3p4u9mGm0cCq2bY1x5Zt';

/** What in `text` is an example value, or undefined. */
export function placeholderIn(text: string): string | undefined {
  if (text.includes(SAMPLE_SSH_KEY_BLOB)) return 'the sample SSH key of the reference specs';
  // DNS names inside the text (a URL's host, an e-mail's domain, the text itself).
  for (const name of text.toLowerCase().split(/[^a-z0-9.-]+/)) {
    const host = name.replace(/^\.+|\.+$/g, '');
    const domain = PLACEHOLDER_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`));
    if (domain) return `the example domain ${domain}`;
    if (host.endsWith(`.${PLACEHOLDER_TLD}`)) return `the example top-level domain .${PLACEHOLDER_TLD}`;
  }
  return undefined;
}

const MESSAGE_START = 'still an example value';

/** Whether a warning is one of placeholderWarnings()' (the reference specs always have some). */
export function isPlaceholderWarning(issue: SpecIssue): boolean {
  return issue.message.startsWith(MESSAGE_START);
}

/** One warning per field of the spec as written (`doc`, before defaults) that holds an example value. */
export function placeholderWarnings(doc: unknown): SpecIssue[] {
  const warnings: SpecIssue[] = [];
  const walk = (value: unknown, path: SpecPath): void => {
    if (typeof value === 'string') {
      // `$schema` is the editor's hint, not a setting.
      const what = path[0] === '$schema' ? undefined : placeholderIn(value);
      if (what) warnings.push({ path, message: `${MESSAGE_START} (${what}): replace it with yours before deploying`, received: value });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(doc, []);
  return warnings;
}
