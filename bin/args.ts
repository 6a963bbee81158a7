/** Strict CLI flag parsing for bin/synth: unknown flags and missing values are errors. */
import { parseArgs } from 'node:util';

export interface SynthArgs {
  /** Spec files; empty means every clusters/*.yaml. */
  readonly specs: readonly string[];
  /** Output root; cdktf.out/ and dist/ are written below it. @default "." */
  readonly out: string;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run synth [-- [--spec FILE]... [--out DIR]]

  --spec FILE  synthesize only this spec (repeatable). Default: every clusters/*.yaml
               (or PVE_K8S_CLUSTERS_DIR/*.yaml)
  --out DIR    write DIR/cdktf.out and DIR/dist instead of ./cdktf.out and ./dist
  --help       show this help

On any error nothing is written and the exit code is non-zero.`;

/**
 * Node's util.parseArgs splits the arguments (`--flag value`, `--flag=value`, `-h`); our rules on
 * top: every argument known, every value present and not another flag, --out at most once.
 */
export function parseSynthArgs(argv: readonly string[]): SynthArgs {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { spec: { type: 'string', multiple: true }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const specs: string[] = [];
  let out: string | undefined;
  let help = false;
  for (const token of tokens) {
    if (token.kind !== 'option' || !['spec', 'out', 'help'].includes(token.name)) throw new UsageError(`unknown argument ${JSON.stringify(argv[token.index])}`);
    if (token.name === 'help') {
      help = true;
      continue;
    }
    const v = token.value;
    if (v === undefined || v === '' || (!token.inlineValue && v.startsWith('--'))) throw new UsageError(`${token.rawName} needs a value (received ${JSON.stringify(v ?? null)})`);
    if (token.name === 'spec') specs.push(v);
    else if (out !== undefined) throw new UsageError(`--out given twice (received ${JSON.stringify(out)} and more)`);
    else out = v;
  }
  return { specs, out: out ?? '.', help };
}
