/**
 * CronJob schedules as Kubernetes accepts them: the API server parses `spec.schedule` with
 * robfig/cron v3's standard parser (five fields, or a descriptor such as `@daily` or
 * `@every 1h30m`) and refuses `TZ=`/`CRON_TZ=` prefixes (the CronJob's `timeZone` is used instead).
 * Pure functions; the same parse gives the spec rule its message and the alert rules their interval.
 */

export interface CronSchedule {
  /** Longest time between two runs, in seconds (over four years from a fixed date, so leap days count). */
  readonly maxIntervalSeconds: number;
}

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronError extends Error {}

/** Go's time.ParseDuration for the units a schedule can use; returns seconds. */
function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, '\u00b5s': 1e-6, '\u03bcs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    end = re.lastIndex;
  }
  if (text === '' || end !== text.length) throw new CronError(`"@every" needs a Go duration like 1h30m, received ${JSON.stringify(text)}`);
  return total;
}

function parseNumber(field: Field, text: string): number {
  const lower = text.toLowerCase();
  const named = field.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + field.min;
  if (!/^\d+$/.test(text)) throw new CronError(`${field.name}: ${JSON.stringify(text)} is not a number${field.names ? ' or a name' : ''}`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronError(`${field.name}: ${value} is outside ${field.min}-${field.max}`);
  return value;
}

/** One field: comma-separated `*`, `?`, `n`, `a-b`, each with an optional `/step`. */
function parseField(field: Field, text: string): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText, ...extra] = part.split('/');
    if (extra.length > 0 || range === undefined) throw new CronError(`${field.name}: too many "/" in ${JSON.stringify(part)}`);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [field.min, field.max];
      if (stepText === undefined) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new CronError(`${field.name}: too many "-" in ${JSON.stringify(part)}`);
      start = parseNumber(field, bounds[0]!);
      end = bounds.length === 2 ? parseNumber(field, bounds[1]!) : stepText === undefined ? start : field.max;
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronError(`${field.name}: step ${JSON.stringify(stepText)} must be a positive number`);
      step = Number(stepText);
    }
    if (start > end) throw new CronError(`${field.name}: range ${JSON.stringify(range)} starts after it ends`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

const WINDOW_START = Date.UTC(2025, 0, 1);
const WINDOW_DAYS = 4 * 365 + 1;

/** Longest gap between consecutive runs of a five-field schedule over the window (in seconds). */
function maxInterval(fields: ReturnType<typeof parseField>[]): number {
  const [minute, hour, dom, month, dow] = fields as [ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>];
  const times: number[] = [];
  for (const h of [...hour.values].sort((a, b) => a - b)) for (const m of [...minute.values].sort((a, b) => a - b)) times.push(h * 60 + m);
  let first: number | undefined;
  let last: number | undefined;
  let gap = 0;
  for (let day = 0; day < WINDOW_DAYS; day++) {
    const date = new Date(WINDOW_START + day * 86_400_000);
    if (!month.values.has(date.getUTCMonth() + 1)) continue;
    const domOk = dom.values.has(date.getUTCDate());
    const dowOk = dow.values.has(date.getUTCDay());
    // robfig/cron (like Vixie cron): when both day fields are restricted, either one matching is enough.
    if (!(dom.star || dow.star ? domOk && dowOk : domOk || dowOk)) continue;
    for (const t of times) {
      const at = day * 1440 + t;
      if (last !== undefined) gap = Math.max(gap, at - last);
      first ??= at;
      last = at;
    }
  }
  if (first === undefined || last === undefined) throw new CronError('never runs (no date matches the day-of-month, month and day-of-week fields)');
  // The schedule repeats: the wrap from the last run of the window to the first one of the next.
  if (first === last) return WINDOW_DAYS * 86_400;
  return gap * 60;
}

/** Parses a CronJob schedule; throws CronError with a short reason when Kubernetes would refuse it. */
export function parseCronSchedule(schedule: string): CronSchedule {
  const text = schedule.trim();
  if (text === '') throw new CronError('is empty');
  if (/TZ/.test(text)) throw new CronError('TZ= and CRON_TZ= are not allowed in a CronJob schedule (the etcd backup runs in UTC)');
  if (text.startsWith('@')) {
    if (text.startsWith('@every ')) {
      const seconds = parseGoDuration(text.slice('@every '.length).trim());
      if (seconds < 1) throw new CronError('"@every" needs at least 1s');
      return { maxIntervalSeconds: Math.floor(seconds) };
    }
    const expansion = DESCRIPTORS[text];
    if (!expansion) throw new CronError(`unknown descriptor; use ${Object.keys(DESCRIPTORS).join(', ')} or "@every <duration>"`);
    return parseCronSchedule(expansion);
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(`needs 5 fields (minute hour day-of-month month day-of-week) or a descriptor like @daily, found ${parts.length}${parts.length === 6 ? ' (Kubernetes has no seconds field)' : ''}`);
  }
  return { maxIntervalSeconds: maxInterval(parts.map((p, i) => parseField(FIELDS[i]!, p))) };
}
