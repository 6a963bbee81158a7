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

function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatIssue(file: string, issue: SpecIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  const received = 'received' in issue ? ` (received ${formatReceived(issue.received)})` : '';
  return `${where}: ${formatPath(issue.path)}: ${issue.message}${received}`;
}

/** Thrown when one or more specs are invalid. The message lists every problem, one per line. */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly SpecIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
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
