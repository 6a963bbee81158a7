/** Markdown pieces shared by the runbooks. */

/** A fenced shell block followed by an empty line. */
export const sh = (...lines: string[]): string[] => ['```sh', ...lines, '```', ''];
