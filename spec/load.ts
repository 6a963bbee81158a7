/** Reading spec files: YAML -> zod shape -> derived model -> cross-field rules. */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { SpecError, type SpecIssue, valueAt } from './errors';
import { deriveModel, type ClusterModel } from './model';
import { modelRules, specRules } from './rules';
import { ClusterSpecSchema } from './schema';

export interface LoadedSpec {
  readonly model: ClusterModel;
  readonly warnings: readonly SpecIssue[];
}

/** Parses YAML text; syntax errors carry line and column. */
export function parseYaml(text: string, file: string): unknown {
  try {
    return yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      throw new SpecError(file, [
        { path: [], message: `invalid YAML: ${e.reason}`, line: e.mark.line + 1, column: e.mark.column + 1 },
      ]);
    }
    throw e;
  }
}

function zodIssues(error: z.ZodError, doc: unknown): SpecIssue[] {
  return error.issues.map((issue): SpecIssue => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (typo?)`, received: issue.keys };
    }
    const received = valueAt(doc, path);
    if (received === undefined && issue.code === 'invalid_type') return { path, message: 'is required', received };
    return { path, message: issue.message, received };
  });
}

/** Validates a parsed document. Throws SpecError listing every problem. */
export function loadSpecDocument(doc: unknown, file: string): LoadedSpec {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SpecError(file, [{ path: [], message: 'the spec must be a YAML mapping', received: doc }]);
  }
  const parsed = ClusterSpecSchema.safeParse(doc);
  if (!parsed.success) throw new SpecError(file, zodIssues(parsed.error, doc));
  const spec = parsed.data;
  const first = specRules(spec);
  const derived = deriveModel(spec, file);
  const errors = [...first.errors, ...derived.issues];
  const warnings = [...first.warnings];
  if (derived.model) {
    const second = modelRules(spec, derived.model);
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
