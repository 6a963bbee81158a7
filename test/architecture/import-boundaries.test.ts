import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * cloud-init/ (the node bootstrap) and manifests/ (the GitOps charts) are both renderers of the
 * cluster model: what they must agree on lives below them (facts/, spec/, format/), and what one
 * needs from the other is passed in by the caller that renders both (bin/, infra/). Neither may
 * reach the other, directly or through any chain of imports.
 */
const ROOT = resolve(__dirname, '..', '..');

/** Relative import specifiers of a TypeScript source (static, type-only, dynamic, require). */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.[^'"]*)\1/gm)) found.push(m[2]!);
  return found;
}

/** The .ts file an import of `spec` from `file` loads, or undefined (a JSON file, a missing file). */
function resolveImport(file: string, spec: string): string | undefined {
  const base = resolve(dirname(file), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/**
 * The first chain of imports from a file under `from` to a file under `forbidden` (paths relative
 * to the project), or undefined. `read` is the file reader (tests feed it a made-up tree).
 */
function forbiddenChain(
  from: string,
  forbidden: string,
  files: readonly string[],
  read: (file: string) => string,
  resolveFn: (file: string, spec: string) => string | undefined,
): string[] | undefined {
  const inside = (file: string, folder: string) => file.startsWith(`${folder}/`);
  const parent = new Map<string, string | undefined>();
  const queue = files.filter((f) => inside(f, from));
  for (const f of queue) parent.set(f, undefined);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (inside(file, forbidden)) {
      const chain = [file];
      for (let p = parent.get(file); p !== undefined; p = parent.get(p)) chain.unshift(p);
      return chain;
    }
    for (const spec of relativeImports(read(file))) {
      const target = resolveFn(file, spec);
      if (target !== undefined && !parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
  }
  return undefined;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f).split('\\').join('/'));
}

const project = (folder: string) => ({
  files: sourceFiles(folder),
  read: (file: string) => readFileSync(join(ROOT, file), 'utf8'),
  resolve: (file: string, spec: string) => {
    const target = resolveImport(join(ROOT, file), spec);
    return target === undefined ? undefined : relative(ROOT, target).split('\\').join('/');
  },
});

describe('import boundaries', () => {
  it.each([
    ['cloud-init', 'manifests'],
    ['manifests', 'cloud-init'],
  ])('GIVEN the sources of %s/ WHEN every import is followed THEN none reaches %s/', (from, forbidden) => {
    const p = project(from);
    expect(p.files.length).toBeGreaterThan(5);
    expect(forbiddenChain(from, forbidden, p.files, p.read, p.resolve)).toBeUndefined();
  });

  it('GIVEN the shared facts WHEN their imports are followed THEN they reach neither renderer', () => {
    const p = project('facts');
    expect(forbiddenChain('facts', 'cloud-init', p.files, p.read, p.resolve)).toBeUndefined();
    expect(forbiddenChain('facts', 'manifests', p.files, p.read, p.resolve)).toBeUndefined();
  });

  // Negative controls: the check must fail on the forms it forbids.
  const tree: Record<string, string> = {
    'cloud-init/addons.ts': "import { toYaml } from '../format/yaml';\nimport type { X } from '../facts';",
    'facts/index.ts': "export * from './cilium';",
    'facts/cilium.ts': "import { chart } from '../manifests/addons/cilium';",
    'manifests/addons/cilium.ts': 'export const chart = 1;',
    'format/yaml.ts': '',
  };
  const fakeResolve = (file: string, spec: string) => {
    const base = join(dirname(file), spec).split('\\').join('/');
    return [`${base}.ts`, `${base}/index.ts`].find((c) => c in tree);
  };

  it('GIVEN cloud-init reaching manifests through facts/ WHEN checked THEN the whole chain is reported', () => {
    expect(forbiddenChain('cloud-init', 'manifests', Object.keys(tree), (f) => tree[f]!, fakeResolve)).toEqual([
      'cloud-init/addons.ts', 'facts/index.ts', 'facts/cilium.ts', 'manifests/addons/cilium.ts',
    ]);
  });

  it('GIVEN a direct, a type-only, a dynamic and a re-export import WHEN parsed THEN each is seen', () => {
    const source = [
      "import { a } from '../manifests/a';",
      "import type { B } from '../manifests/b';",
      "export { c } from '../manifests/c';",
      "const d = await import('../manifests/d');",
      "import '../manifests/e';",
      "import { f } from 'node:fs';",
    ].join('\n');
    expect(relativeImports(source)).toEqual(['../manifests/a', '../manifests/b', '../manifests/c', '../manifests/d', '../manifests/e']);
  });
});
