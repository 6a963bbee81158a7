/** Collects the errors and warnings of the rules in this folder. */
import type { SpecIssue, SpecPath } from '../errors';

export class Report {
  readonly errors: SpecIssue[] = [];
  readonly warnings: SpecIssue[] = [];

  error(path: SpecPath, message: string, received: unknown): void {
    this.errors.push({ path, message, received });
  }

  warn(path: SpecPath, message: string, received: unknown): void {
    this.warnings.push({ path, message, received });
  }
}

/** Every value listed more than once, with the index of each repeat. */
export function repeats<T>(values: readonly T[]): { value: T; index: number }[] {
  const seen = new Set<T>();
  return values.flatMap((value, index) => {
    const again = seen.has(value);
    seen.add(value);
    return again ? [{ value, index }] : [];
  });
}
