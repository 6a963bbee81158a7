/**
 * Rules across several specs (every clusters/*.yaml is synthesized together): distinct cluster
 * names; distinct Keepalived router IDs and node/VIP addresses among clusters whose node networks
 * overlap (same L2 segment); the rest in spec/checks/across.ts.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cidrsOverlap, parseCidr } from './ip';
import { SpecError, SpecSetError, type SpecIssue } from './errors';
import { acrossRules } from './checks/across';
import { loadSpecFile, type LoadedSpec } from './load';

/**
 * Checks each spec against the ones before it, and against `context` (specs not being
 * synthesized, e.g. the rest of clusters/ when synth is given --spec); problems are reported on
 * `specs`, never on the context.
 */
export function setRules(specs: readonly LoadedSpec[], context: readonly LoadedSpec[] = []): SpecError[] {
  const issuesByFile = new Map<string, SpecIssue[]>();
  const add = (file: string, issue: SpecIssue) => issuesByFile.set(file, [...(issuesByFile.get(file) ?? []), issue]);

  specs.forEach(({ model: b }, j) => {
    for (const { model: a } of [...context, ...specs.slice(0, j)]) {
      for (const issue of acrossRules(a, b)) add(b.file, issue);
      if (a.name === b.name) add(b.file, { path: ['name'], message: `cluster name is also used by ${a.file}`, received: b.name });
      if (cidrsOverlap(parseCidr(a.network.cidr), parseCidr(b.network.cidr))) {
        if (a.loadBalancer.routerId === b.loadBalancer.routerId) {
          add(b.file, { path: ['loadBalancer', 'routerId'], message: `Keepalived router ID is also used by ${a.file} on an overlapping node network`, received: b.loadBalancer.routerId });
        }
        const taken = new Map<string, string>([[a.network.vip, `the VIP of ${a.name}`], ...a.nodes.map((n): [string, string] => [n.ip, `node ${n.name}`])]);
        const mine: [string, string, readonly (string | number)[]][] = [[b.network.vip, 'the VIP', ['network', 'vip']], ...b.nodes.map((n): [string, string, readonly (string | number)[]] => [n.ip, `node ${n.name}`, n.ipPath])];
        for (const [ip, what, path] of mine) {
          const owner = taken.get(ip);
          if (owner) add(b.file, { path, message: `${what} has IP ${ip}, already ${owner} in ${a.file}`, received: ip });
        }
      }
    }
  });
  return [...issuesByFile].map(([file, issues]) => new SpecError(file, issues));
}

/**
 * Every *.yaml in a folder, sorted so output order never depends on the file system. A missing
 * folder or one without specs is a SpecSetError; `source` says where the folder name came from
 * (e.g. "PVE_K8S_CLUSTERS_DIR") for the message.
 */
export function specFilesIn(dir: string, source?: string): string[] {
  const fail = (message: string) => new SpecSetError([new SpecError(dir, [{ path: [], message: `${message}${source ? ` (folder from ${source})` : ''}` }])]);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw fail(`cannot read the spec folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const specs = names.filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  if (specs.length === 0) throw fail('no cluster specs (*.yaml) in this folder');
  return specs.map((f) => join(dir, f));
}

/**
 * Loads and checks a set of specs; throws SpecSetError with every file's problems. `contextFiles`
 * (e.g. every clusters/*.yaml when synth got --spec) are loaded only to check the set against:
 * the cross-cluster rules always see every cluster. One of them that does not load is skipped
 * (it is reported when it is synthesized itself), and so is one with the name of a given spec
 * (the given spec is that cluster, e.g. a variant of clusters/lab.yaml being tried).
 */
export function loadSpecSet(files: readonly string[], contextFiles: readonly string[] = []): LoadedSpec[] {
  const loaded: LoadedSpec[] = [];
  const errors: SpecError[] = [];
  for (const file of files) {
    try {
      loaded.push(loadSpecFile(file));
    } catch (e) {
      if (e instanceof SpecError) errors.push(e);
      else throw e;
    }
  }
  const given = new Set(files.map((f) => resolve(f)));
  const context: LoadedSpec[] = [];
  for (const file of contextFiles.filter((f) => !given.has(resolve(f)))) {
    try {
      context.push(loadSpecFile(file));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
  }
  // A context spec of the same cluster name is the cluster a given spec replaces (a variant being tried).
  const names = new Set(loaded.map((s) => s.model.name));
  errors.push(...setRules(loaded, context.filter((s) => !names.has(s.model.name))));
  if (errors.length > 0) throw new SpecSetError(errors);
  return loaded;
}
