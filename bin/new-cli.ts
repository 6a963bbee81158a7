/**
 * `npm run new -- <name>`: writes clusters/<name>.yaml (or PVE_K8S_CLUSTERS_DIR/<name>.yaml), a
 * spec with VM IDs, a Keepalived router ID and a node network that the existing specs leave free
 * (read through the spec loader, so every rule and default applies), its placeholders marked
 * `# CHANGE ME`. The text is loaded and checked against the existing specs before it is written;
 * an invalid or taken name, or an existing spec that does not load, writes nothing and exits 1.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterSpecSchema, loadSpecSet, loadSpecText, setRules, SpecError, SpecSetError, specFilesIn, type LoadedSpec } from '../spec';
import { specFolder } from './pipeline';
import { freeSlots, newSpecText } from './new-spec';
import type { Output } from './synth-cli';

export const NEW_USAGE = `Usage: npm run new -- <name>

  Writes clusters/<name>.yaml (PVE_K8S_CLUSTERS_DIR/<name>.yaml when set): a cluster spec whose
  VM IDs, Keepalived router ID and node network are free among the existing specs. Edit the
  values marked CHANGE ME, then run npm run synth. Nothing is overwritten.`;

/** Runs the command in-process; returns the exit code. */
export function runNew(argv: readonly string[], io: { stdout: Output; stderr: Output } = process): number {
  try {
    return create(argv, io);
  } catch (e) {
    if (e instanceof SpecSetError) io.stderr.write(`error: ${e.message.split('\n').join('\nerror: ')}\n`);
    else io.stderr.write(`error: new failed: ${process.env.PVE_K8S_DEBUG ? (e as Error).stack : (e as Error).message}\n`);
    return 1;
  }
}

function create(argv: readonly string[], io: { stdout: Output; stderr: Output }): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${NEW_USAGE}\n`);
    return 0;
  }
  if (argv.length !== 1 || argv[0]!.startsWith('-')) {
    io.stderr.write(`error: expected one cluster name (received ${JSON.stringify(argv)})\n\n${NEW_USAGE}\n`);
    return 1;
  }
  const name = argv[0]!;
  const folder = specFolder();
  const file = join(folder.dir, `${name}.yaml`);
  const fail = (issue: { path: (string | number)[]; message: string; received?: unknown }) => {
    throw new SpecSetError([new SpecError(file, [issue])]);
  };
  const named = ClusterSpecSchema.shape.name.safeParse(name);
  if (!named.success) fail({ path: ['name'], message: named.error.issues.map((i) => i.message).join('; '), received: name });
  if (existsSync(file)) fail({ path: ['name'], message: 'a spec file of this name exists already: choose another name', received: name });

  // The existing specs, checked together as synth checks them: a free value is only known from a valid set.
  const existing = loadSpecSet(existingSpecFiles(folder.dir, folder.from));
  const taken = existing.find((s) => s.model.name === name);
  if (taken) fail({ path: ['name'], message: `cluster name is already used by ${taken.model.file}`, received: name });
  const slots = freeSlots(existing.map((s) => s.model));
  if ('exhausted' in slots) fail({ path: [], message: `cannot pick free values: ${slots.exhausted}` });

  const text = newSpecText(name, slots as Exclude<typeof slots, { exhausted: string }>);
  const loaded: LoadedSpec = loadSpecText(text, file);
  const clashes = setRules([loaded], existing);
  if (clashes.length > 0) throw new SpecSetError(clashes); // a bug in freeSlots: never write a spec synth refuses
  writeFileSync(file, text, { flag: 'wx' });
  const { vmIdBase } = slots as Exclude<typeof slots, { exhausted: string }>;
  io.stdout.write(
    `wrote ${file}: VM IDs from ${vmIdBase + 1}, Keepalived router ID ${loaded.model.loadBalancer.routerId}, node network ${loaded.model.network.cidr} (free among ${existing.length} other spec(s))\n` +
      `next: replace the values marked CHANGE ME, then npm run synth (it warns about example values still in place)\n`,
  );
  return 0;
}

/** The folder's specs; none when it exists but holds none (a first cluster). A missing folder is an error. */
function existingSpecFiles(dir: string, source: string | undefined): string[] {
  try {
    return specFilesIn(dir, source);
  } catch (e) {
    if (e instanceof SpecSetError && existsSync(dir)) return [];
    throw e;
  }
}
