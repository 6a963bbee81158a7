/** Strict CLI flag parsing for bin/synth: unknown flags and missing values are errors. */

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

export function parseSynthArgs(argv: readonly string[]): SynthArgs {
  const specs: string[] = [];
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value (received ${JSON.stringify(v ?? null)})`);
      return v;
    };
    switch (flag) {
      case '--spec':
        specs.push(value());
        break;
      case '--out':
        if (out !== undefined) throw new UsageError(`--out given twice (received ${JSON.stringify(out)} and more)`);
        out = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { specs, out: out ?? '.', help };
}
