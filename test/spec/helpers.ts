import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadSpecDocument, type LoadedSpec } from '../../spec';

export const LAB_FILE = join('clusters', 'lab.yaml');

/** The lab spec as a plain object, to mutate in a test. */
export function labDoc(): Record<string, any> {
  return yaml.load(readFileSync(LAB_FILE, 'utf8')) as Record<string, any>;
}

export function load(doc: unknown, file = 'test.yaml'): LoadedSpec {
  return loadSpecDocument(doc, file);
}

export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}
