// `npm run lint`: typescript-eslint's recommended rules on our TypeScript, without type information
// (that would triple the time; `tsc --noEmit` in `npm test` already type-checks), plus a few
// rules of our own. Formatting is not linted. Generated bindings (imports/), build output and the
// JavaScript under scripts/ are not linted yet.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['imports/**', 'dist/**', 'lib/**', 'cdktf.out/**', '.cdk8s.out/**', '.cache/**', 'coverage/**', 'node_modules/**', 'tools/**', '**/*.{js,mjs,cjs}'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      eqeqeq: ['error', 'always'],
      // Warnings and errors reach the user through the CLI's output (file: field: message), never
      // straight from a renderer.
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // cloud-init/ and manifests/ never import each other: shared facts live in facts/, and what one
  // needs from the other is passed in by bin/ or infra/ (test/architecture/import-boundaries.test.ts
  // also follows indirect imports).
  {
    files: ['cloud-init/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)manifests(/|$)', message: 'cloud-init/ must not import manifests/: move the shared fact to facts/, or take it as a parameter.' }] }] },
  },
  {
    files: ['manifests/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)cloud-init(/|$)', message: 'manifests/ must not import cloud-init/: move the shared fact to facts/.' }] }] },
  },
  {
    // Tests read parsed YAML/JSON documents of any shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
