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
  {
    // Tests read parsed YAML/JSON documents of any shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
