/** Spec problems: every one names the file, the field path and the value received. */

export type SpecPath = readonly (string | number)[];

export interface SpecIssue {
  readonly path: SpecPath;
  readonly message: string;
  /** The value found at `path` (omitted when the field is missing). */
  readonly received?: unknown;
  /** 1-based line/column when known (YAML syntax errors). */
  readonly line?: number;
  readonly column?: number;
}

/** `workers[0].ips[2]`, `network.vip`; the empty path is the document root. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** Longest `received` text and message printed; a value is never serialised further than this. */
export const MAX_RECEIVED_CHARS = 120;
export const MAX_MESSAGE_CHARS = 600;
/** Problems printed per file; the rest are counted. */
export const MAX_ISSUES_PER_FILE = 50;

/** A URL with any user:password part replaced, so a message never repeats a secret. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1***@');
}

/**
 * JSON of a value, cut after `limit` characters without serialising the rest: a YAML alias
 * bomb (a few lines expanding to billions of nodes) costs no more than a short string.
 */
export function boundedJson(value: unknown, limit = MAX_RECEIVED_CHARS): string {
  let out = '';
  const full = () => out.length > limit;
  const walk = (v: unknown): void => {
    if (full()) return;
    if (v === null || typeof v !== 'object') {
      const text = JSON.stringify(typeof v === 'string' ? redactUrl(v) : v);
      out += text === undefined ? String(v) : text.length > limit ? text.slice(0, limit + 1) : text;
      return;
    }
    const entries: [string | undefined, unknown][] = Array.isArray(v) ? v.map((x) => [undefined, x]) : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);
    out += Array.isArray(v) ? '[' : '{';
    for (let i = 0; i < entries.length && !full(); i++) {
      const [key, item] = entries[i]!;
      if (i > 0) out += ',';
      if (key !== undefined) out += `${JSON.stringify(key)}:`;
      walk(item);
    }
    out += Array.isArray(v) ? ']' : '}';
  };
  walk(value);
  return full() ? `${out.slice(0, limit - 3)}...` : out;
}

function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  return boundedJson(value);
}

function bound(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

export function formatIssue(file: string, issue: SpecIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  const received = 'received' in issue ? ` (received ${formatReceived(issue.received)})` : '';
  return `${where}: ${bound(formatPath(issue.path), MAX_RECEIVED_CHARS)}: ${bound(issue.message, MAX_MESSAGE_CHARS)}${received}`;
}

/** One line per problem, at most MAX_ISSUES_PER_FILE of them, then how many more there are. */
function formatIssues(file: string, issues: readonly SpecIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_PER_FILE).map((issue) => formatIssue(file, issue));
  const more = issues.length - shown.length;
  if (more > 0) shown.push(`${file}: ${more} more problem(s) not shown; fix the ones above first`);
  return shown.join('\n');
}

/** Thrown when one or more specs are invalid. The message lists every problem, one per line. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly SpecIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'SpecError';
  }
}

/** Several files' errors together (the whole set is checked before anything is written). */
export class SpecSetError extends Error {
  constructor(readonly errors: readonly SpecError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'SpecSetError';
  }
}

/** Looks a value up by path in the raw document, for `received`. */
export function valueAt(doc: unknown, path: SpecPath): unknown {
  let current: unknown = doc;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}
