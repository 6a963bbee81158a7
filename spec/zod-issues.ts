/**
 * zod issues -> spec issues that point at what the user wrote: unknown keys with the closest
 * known key, sizes with their unit, YAML numbers that should have been quoted strings.
 */
import type { z } from 'zod';
import { formatPath, type SpecIssue, type SpecPath, valueAt } from './errors';

/** Unknown keys named in one message; the rest are counted. */
const MAX_KEYS_NAMED = 10;

/** Units of the sizing fields, by key name (the schema's descriptions say the same). */
const UNITS: Readonly<Record<string, { unit: string; example: string }>> = {
  memory: { unit: 'MiB', example: '8192 for 8 GiB' },
  disk: { unit: 'GiB', example: '100 for 100 GiB' },
};

/** The parts of zod's internal schema definitions (`_zod.def`) knownKeysAt reads; which exist depends on `type`. */
interface ZodDef {
  readonly type: string;
  readonly innerType: z.ZodType;
  readonly in: z.ZodType;
  readonly options: z.ZodType[];
  readonly shape: Record<string, z.ZodType>;
  readonly element: z.ZodType;
  readonly valueType: z.ZodType;
}

const defOf = (s: z.ZodType): ZodDef => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** The object keys a schema accepts at `path` (through defaults, optionals, arrays, records and unions). */
export function knownKeysAt(schema: z.ZodType, path: SpecPath): string[] {
  const at = (s: z.ZodType, rest: SpecPath): z.ZodType[] => {
    const def = defOf(s);
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'readonly':
      case 'catch':
        return at(def.innerType, rest);
      case 'pipe':
        return at(def.in, rest);
      case 'union':
        return def.options.flatMap((o) => at(o, rest));
    }
    if (rest.length === 0) return [s];
    const [head, ...tail] = rest;
    if (def.type === 'object' && typeof head === 'string' && def.shape[head]) return at(def.shape[head], tail);
    if (def.type === 'array' && typeof head === 'number') return at(def.element, tail);
    if (def.type === 'record') return at(def.valueType, tail);
    return [];
  };
  const keys = new Set<string>();
  for (const s of at(schema, path)) {
    const def = defOf(s);
    if (def.type === 'object') for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}

/** Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

/** The known key closest to `key`, if close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key, k);
    if (!best || d < best.d) best = { key: k, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

function unknownKeys(schema: z.ZodType, path: SpecPath, keys: readonly string[]): string {
  const known = knownKeysAt(schema, path);
  const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => {
    const near = closestKey(k, known);
    return near ? `${JSON.stringify(k)} (did you mean "${near}"?)` : JSON.stringify(k);
  });
  const more = keys.length > MAX_KEYS_NAMED ? ` and ${keys.length - MAX_KEYS_NAMED} more` : '';
  const allowed = known.length > 0 && known.length <= 20 ? `; known keys here: ${known.join(', ')}` : '';
  return `unknown key(s) ${named.join(', ')}${more}${allowed}`;
}

function sizeMessage(issue: z.core.$ZodIssue, { unit, example }: { unit: string; example: string }): string | undefined {
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)} ${unit}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)} ${unit}`;
  if (issue.code === 'invalid_type' || (issue.code === 'invalid_format' && issue.format === 'int')) return `must be a whole number of ${unit} without a unit suffix, e.g. ${example}`;
  return undefined;
}

/** Translates zod's issues; `doc` is the document as parsed from YAML (for the values received). */
export function zodIssues(schema: z.ZodType, error: z.ZodError, doc: unknown): SpecIssue[] {
  return error.issues.map((issue): SpecIssue => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return { path, message: unknownKeys(schema, path, issue.keys), received: issue.keys.slice(0, MAX_KEYS_NAMED) };
    }
    const received = valueAt(doc, path);
    if (received === undefined && issue.code === 'invalid_type') return { path, message: 'is required', received };
    const last = path[path.length - 1];
    const unit = typeof last === 'string' ? UNITS[last] : undefined;
    const sized = unit ? sizeMessage(issue, unit) : undefined;
    if (sized) return { path, message: sized, received };
    if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof received === 'number') {
      const example = formatPath(path) === 'kubernetes.version' ? '"1.30.3" (an exact x.y.z release)' : `"${String(received)}"`;
      return { path, message: `is a YAML number (read as ${String(received)}); quote it as a string, e.g. ${example}`, received };
    }
    return { path, message: issue.message, received };
  });
}
