/**
 * YAML output: exactly js-yaml's `dump(value, { lineWidth: -1, noRefs: true, quotingType })`,
 * several times faster on the documents synth writes (manifests, cloud-configs).
 *
 * js-yaml decides every string's style character by character in JavaScript; in a short-lived
 * synth process that code never gets optimised, and it was a tenth of synth's time. Here the
 * common cases are decided with regular expressions (native code):
 *   - identifiers, names, image references, paths, prose without YAML indicators -> plain;
 *   - multi-line printable ASCII -> a literal block scalar (`|`, `|-`, `|+`, `|2-`);
 * and every other scalar (numbers that are strings, quoting, escapes, unusual characters) is
 * handed to js-yaml itself. Structure (block mappings and sequences, compact nesting, `{}`, `[]`)
 * follows js-yaml's dumper. test/format/yaml.test.ts compares the two on every document synth
 * writes and on generated strings.
 *
 * Why it is kept (issue 15: an optimisation stays only for >= 10 % of synth time, output-identical):
 * A/B with toYaml swapped for js-yaml's dump, interleaved in-process synths, cpu medians:
 * lab.yaml js-yaml slower in all 7 pairs, by 74 ms on average (+19 %; medians 396 -> 523 ms);
 * 1,000 workers 7.7 -> 8.1 s (+5 %, noisy at load 20); trees byte-identical in both cases.
 */
import * as jsYaml from 'js-yaml';

export interface ToYamlOptions {
  /**
   * Quotes for strings that cannot be plain.
   * @default "'" (js-yaml's default)
   */
  readonly quotingType?: "'" | '"';
}

/** `value` as a YAML document ending in a newline. */
export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  const quotingType = options.quotingType ?? "'";
  const emitter = new Emitter(quotingType);
  const out = emitter.node(value, 0, true);
  return out === undefined ? jsYaml.dump(value, { lineWidth: -1, noRefs: true, quotingType }) : `${out}\n`;
}

/** Plain-safe strings, conservatively: a letter or `/`, then name-like characters; `: `, ` #` excluded. */
const PLAIN = /^[A-Za-z/](?:[A-Za-z0-9_./@=+,()~ -]|:(?=[A-Za-z0-9_./@=+,()~-]))*$/;
/** Plain strings that start with a digit yet read as no number or date: `128Mi`, `10s`, IPs, CIDRs, versions. */
const PLAIN_NUMERIC = /^(?:[1-9][0-9]*[A-Za-z]+|[0-9]+(?:\.[0-9]+){2,}(?:\/[0-9]+|-[0-9A-Za-z.]+)?)$/;
/** Strings that would read back as integers: always quoted. */
const INTEGER_TEXT = /^[-+]?[0-9]+$/;
/** Words another YAML type (or YAML 1.1's booleans, which js-yaml still quotes) would claim. */
const AMBIGUOUS = new Set([
  'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
]);
/** Printable ASCII and line feeds only: js-yaml writes such multi-line strings as literal blocks. */
const LITERAL_SAFE = /^[\x20-\x7e\n]*$/;

class Emitter {
  constructor(private readonly quotingType: "'" | '"') {}

  /**
   * js-yaml's writeNode for `value` at `level`; undefined when this emitter does not handle it
   * (the caller then falls back to js-yaml for the whole document).
   */
  node(value: unknown, level: number, compact: boolean): string | undefined {
    if (value === null) return 'null';
    switch (typeof value) {
      case 'string':
        return this.string(value, level);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
      case 'object':
        if (Array.isArray(value)) return value.length === 0 ? '[]' : this.sequence(value, level, compact);
        if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return undefined;
        return Object.keys(value as object).length === 0 ? '{}' : this.mapping(value as Record<string, unknown>, level, compact);
      default:
        return undefined;
    }
  }

  private mapping(object: Record<string, unknown>, level: number, compact: boolean): string | undefined {
    let result = '';
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue; // js-yaml skips the pair
      const k = this.key(key);
      const v = this.node(value, level + 1, false);
      if (k === undefined || v === undefined) return undefined;
      if (!compact || result !== '') result += newline(level);
      result += k + (v.charCodeAt(0) === 10 ? ':' : ': ') + v;
    }
    return result || '{}';
  }

  private sequence(array: readonly unknown[], level: number, compact: boolean): string | undefined {
    let result = '';
    for (const item of array) {
      const v = this.node(item === undefined ? null : item, level + 1, true);
      if (v === undefined) return undefined;
      if (!compact || result !== '') result += newline(level);
      result += (v.charCodeAt(0) === 10 ? '-' : '- ') + v;
    }
    return result;
  }

  private key(key: string): string | undefined {
    if (key.includes('\n')) return undefined; // explicit keys (`? `): js-yaml's business
    const k = PLAIN.test(key) && !key.endsWith(' ') && !AMBIGUOUS.has(key) ? key : this.fallback(key, 1);
    return k.length > 1024 ? undefined : k;
  }

  private string(s: string, level: number): string {
    if (PLAIN.test(s) && !s.endsWith(' ') && !AMBIGUOUS.has(s)) return s;
    if (PLAIN_NUMERIC.test(s)) return s;
    if (INTEGER_TEXT.test(s)) return this.quotingType + s + this.quotingType;
    if (s.includes('\n') && LITERAL_SAFE.test(s)) return literal(s, 2 * Math.max(1, level));
    return this.fallback(s, level);
  }

  /** js-yaml's rendering of one scalar, re-indented from its top level to `level`. */
  private fallback(s: string, level: number): string {
    const dumped = jsYaml.dump(s, { lineWidth: -1, noRefs: true, quotingType: this.quotingType }).slice(0, -1);
    const extra = 2 * Math.max(1, level) - 2;
    if (extra === 0 || !dumped.includes('\n')) return dumped;
    return dumped.replace(/\n(?!\n|$)/g, `\n${' '.repeat(extra)}`);
  }
}

function newline(level: number): string {
  return `\n${' '.repeat(2 * level)}`;
}

/** js-yaml's STYLE_LITERAL: header (indentation indicator, chomping), lines indented, last newline dropped. */
function literal(s: string, indent: number): string {
  const indicator = /^\n* /.test(s) ? '2' : '';
  const clip = s.endsWith('\n');
  const keep = clip && (s[s.length - 2] === '\n' || s === '\n');
  const chomp = keep ? '+' : clip ? '' : '-';
  const pad = ' '.repeat(indent);
  let body = s.replace(/^(?!\n|$)/gm, pad); // indent every non-empty line
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return `|${indicator}${chomp}\n${body}`;
}
