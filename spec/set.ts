/**
 * Rules across several specs (every clusters/*.yaml is synthesized together): distinct cluster
 * names; distinct VM IDs among clusters on the same Proxmox endpoint; distinct Keepalived router
 * IDs and node/VIP addresses among clusters whose node networks overlap (same L2 segment).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cidrsOverlap, parseCidr } from './ip';
import { SpecError, SpecSetError, type SpecIssue } from './errors';
import { loadSpecFile, type LoadedSpec } from './load';

export function setRules(specs: readonly LoadedSpec[]): SpecError[] {
  const issuesByFile = new Map<string, SpecIssue[]>();
  const add = (file: string, issue: SpecIssue) => issuesByFile.set(file, [...(issuesByFile.get(file) ?? []), issue]);

  specs.forEach(({ model: b }, j) => {
    for (const { model: a } of specs.slice(0, j)) {
      if (a.name === b.name) add(b.file, { path: ['name'], message: `cluster name is also used by ${a.file}`, received: b.name });
      if (new URL(a.spec.proxmox.endpoint).host === new URL(b.spec.proxmox.endpoint).host) {
        const ids = new Map(a.nodes.map((n) => [n.vmId, n.name]));
        for (const node of b.nodes) {
          const other = ids.get(node.vmId);
          if (other) add(b.file, { path: [...node.specPath, 'vmIdStart'], message: `VM ID ${node.vmId} of ${node.name} is also used by ${other} in ${a.file} (same Proxmox endpoint)`, received: node.vmId });
        }
      }
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

/** Loads and checks a set of specs; throws SpecSetError with every file's problems. */
export function loadSpecSet(files: readonly string[]): LoadedSpec[] {
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
  errors.push(...setRules(loaded));
  if (errors.length > 0) throw new SpecSetError(errors);
  return loaded;
}
