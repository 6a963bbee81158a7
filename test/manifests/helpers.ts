/** Test helpers: load the reference spec (optionally edited) and render its manifests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadSpecText, type ClusterModel } from '../../spec';
import { renderManifests, type SynthManifestsOptions } from '../../manifests';
import { restoreDocument } from '../../runbooks/restore';

export const REPO = join(__dirname, '..', '..');

export type SpecDoc = Record<string, any>;

/** clusters/<name>.yaml, parsed, optionally edited, then loaded through the real spec loader. */
export function labModel(edit?: (doc: SpecDoc) => void, name = 'lab'): ClusterModel {
  const file = join(REPO, 'clusters', `${name}.yaml`);
  const doc = yaml.load(readFileSync(file, 'utf8')) as SpecDoc;
  edit?.(doc);
  return loadSpecText(yaml.dump(doc), file).model;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: any;
  [k: string]: any;
}

export function render(model: ClusterModel, options?: SynthManifestsOptions) {
  const out = renderManifests(model, options);
  const objects = [...out.manifests]
    .filter(([file]) => file !== 'kustomization.yaml')
    .map(([file, text]) => ({ file, obj: yaml.load(text) as K8sObject }));
  // RESTORE.md is a runbook (runbooks/restore.ts) written beside the manifests, from their versions.
  return { ...out, objects, restoreMd: restoreDocument(model, out.platform.versions, out.veleroRendered) };
}

/** Every value under `key` anywhere in a JSON tree. */
export function collect(tree: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(tree)) tree.forEach((t) => collect(t, key, out));
  else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      if (k === key) out.push(v);
      collect(v, key, out);
    }
  }
  return out;
}

/** Every (path, value) leaf whose key matches. */
export function leaves(tree: unknown, match: (key: string) => boolean, path = '', out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(tree)) tree.forEach((t, i) => leaves(t, match, `${path}[${i}]`, out));
  else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      const p = path ? `${path}.${k}` : k;
      if (match(k) && (typeof v !== 'object' || v === null)) out.push([p, v]);
      leaves(v, match, p, out);
    }
  }
  return out;
}

/** Lines that differ between two texts (same line count assumed where it matters). */
export function changedLines(a: string, b: string): { before: string[]; after: string[] } {
  const la = a.split('\n');
  const lb = b.split('\n');
  const before = la.filter((l, i) => lb[i] !== l);
  const after = lb.filter((l, i) => la[i] !== l);
  return { before, after };
}
