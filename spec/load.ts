/** Reading spec files: YAML -> zod shape -> derived model -> cross-field rules. */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { SpecError, type SpecIssue } from './errors';
import { deriveModel, type ClusterModel } from './model';
import { deployModelRules, deploySpecRules } from './checks';
import { placeholderWarnings } from './checks/placeholders';
import { modelRules, specRules, type RuleResult } from './rules';
import { ClusterSpecSchema } from './schema';
import { zodIssues } from './zod-issues';

export interface LoadedSpec {
  readonly model: ClusterModel;
  readonly warnings: readonly SpecIssue[];
}

/** 1-based line of the `---` that starts a second document (js-yaml gives no position for it). */
function secondDocumentLine(text: string): number | undefined {
  const lines = text.split('\n');
  const markers = lines.flatMap((l, i) => (/^---(\s|$)/.test(l) ? [i] : []));
  const content = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !/^(---|%)/.test(l));
  const line = markers.find((m) => m > content) ?? markers[1];
  return line === undefined ? undefined : line + 1;
}

/** Parses YAML text; syntax errors carry line and column. */
export function parseYaml(text: string, file: string): unknown {
  try {
    return yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      if (!e.mark) {
        const line = /single document/.test(e.reason) ? secondDocumentLine(text) : undefined;
        const message = /single document/.test(e.reason)
          ? 'invalid YAML: the file holds more than one document (a "---" line); one spec per file'
          : `invalid YAML: ${e.reason}`;
        throw new SpecError(file, [{ path: [], message, ...(line === undefined ? {} : { line }) }]);
      }
      throw new SpecError(file, [
        { path: [], message: `invalid YAML: ${e.reason}`, line: e.mark.line + 1, column: e.mark.column + 1 },
      ]);
    }
    if (e instanceof RangeError) throw new SpecError(file, [{ path: [], message: 'invalid YAML: nested too deeply' }]);
    throw e;
  }
}

function merge(a: RuleResult, b: RuleResult): RuleResult {
  return { errors: [...a.errors, ...b.errors], warnings: [...a.warnings, ...b.warnings] };
}

/** Validates a parsed document. Throws SpecError listing every problem. */
export function loadSpecDocument(doc: unknown, file: string): LoadedSpec {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SpecError(file, [{ path: [], message: 'the spec must be a YAML mapping', received: doc }]);
  }
  const parsed = ClusterSpecSchema.safeParse(doc);
  if (!parsed.success) throw new SpecError(file, zodIssues(ClusterSpecSchema, parsed.error, doc));
  const spec = parsed.data;
  const first = merge(specRules(spec), deploySpecRules(spec));
  const derived = deriveModel(spec, file);
  const errors = [...first.errors, ...derived.issues];
  const warnings = [...first.warnings, ...placeholderWarnings(doc)];
  if (derived.model) {
    const second = merge(modelRules(spec, derived.model), deployModelRules(spec, derived.model));
    errors.push(...second.errors);
    warnings.push(...second.warnings);
  }
  if (errors.length > 0 || !derived.model) throw new SpecError(file, errors);
  return { model: derived.model, warnings };
}

export function loadSpecText(text: string, file: string): LoadedSpec {
  return loadSpecDocument(parseYaml(text, file), file);
}

export function loadSpecFile(file: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError(file, [{ path: [], message: `cannot read the spec: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return loadSpecText(text, file);
}
