/** Writes charts as manifests/<folder>/<Kind>.<namespace>.<name>.yaml (one object per file). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toYaml as yamlDocument } from '../format/yaml';
import { ApiObject, Chart } from 'cdk8s';
import { chartFolder } from './build';

/**
 * One object as YAML: js-yaml's documents (double quotes, block literals, no line folding), via
 * format/yaml (same bytes, a fraction of the cost; cdk8s' Yaml.stringify costs four times more).
 */
export function toYaml(obj: unknown): string {
  return yamlDocument(obj, { quotingType: '"' });
}

/** Relative path -> file content, sorted by path; the whole manifests/ tree. */
export function renderFiles(charts: readonly Chart[]): Map<string, string> {
  const files = new Map<string, string>();
  validateOnce(charts);
  for (const chart of charts) {
    const folder = chartFolder(chart);
    for (const obj of chartObjects(chart)) {
      const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}.` : '';
      const file = `${folder}/${`${obj.kind}.${ns}${obj.metadata.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}.yaml`;
      if (files.has(file)) throw new Error(`two objects would be written to the same file, received: ${JSON.stringify(file)}`);
      files.set(file, toYaml(obj));
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A chart's own API objects as JSON: what Chart.toJson() returns, minus its ordering. toJson()
 * prepares the whole app again for every chart (dependency inference, validation): with twenty
 * charts that was a fifth of synth. Order does not matter here (one file per object, sorted by
 * path), so each object is serialised directly; the app is validated once, by validateOnce().
 */
/** The fields of a serialised API object the file name is made of. */
interface ObjectJson {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

function chartObjects(chart: Chart): ObjectJson[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart).map((o) => o.toJson());
}

/** cdk8s' own app validation (every construct's node.validate()), with its message format. */
function validateOnce(charts: readonly Chart[]): void {
  const done = new Set<unknown>();
  const errors: string[] = [];
  for (const chart of charts) {
    const root = chart.node.root;
    if (done.has(root)) continue;
    done.add(root);
    for (const c of root.node.findAll()) errors.push(...c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** Every file under `dir`, relative, sorted (for tests and verify). */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}
