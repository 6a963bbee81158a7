/** Helpers for writing shell from TypeScript. */

/** Single-quotes a value for bash. */
export function sq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Joins words, each single-quoted when it is not a plain shell word. */
export function words(values: readonly string[]): string {
  return values.map((v) => (/^[A-Za-z0-9_./:=+@%-]+$/.test(v) ? v : sq(v))).join(' ');
}

/** A bash function definition from body lines (indented two spaces). */
export function fn(name: string, comment: string, body: readonly string[]): string {
  return [`# ${comment}`, `${name}() {`, ...body.map((l) => (l === '' ? '' : `  ${l}`)), '}', ''].join('\n');
}
