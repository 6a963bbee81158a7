/** URL rules shared by every URL field: no credentials (never copied into generated files). */
import { redactUrl, type SpecPath } from '../errors';
import type { Report } from './report';


/** Refuses `scheme://user:secret@host`; returns false when it did. */
export function noCredentials(report: Report, path: SpecPath, text: string | undefined): boolean {
  if (text === undefined || !/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(text)) return true;
  if (/^ssh:\/\/[^/:@]+@/i.test(text)) return true; // ssh://git@host: a user name, no secret
  report.error(path, 'must not contain credentials (they would be copied into generated files); give them through the environment', redactUrl(text));
  return false;
}
