import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

// Layer rules (see ARCHITECTURE.md): ml imports only ml; data imports data and ml types;
// recs imports ml and data types; worker imports ml, recs and data; ui may import anything.
// Only src/data imports Dexie.
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default ts.config(
  { ignores: ['dist', 'node_modules', 'public/data', 'test-results', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
    rules: {
      // Reactive state is always declared with $state/$derived; a URL or Map used as a local
      // value (or deliberately kept out of reactivity, like request ids) is not state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/data/**'],
    rules: restrict([{ group: ['dexie', 'dexie/*'], message: 'Only src/data/ may import Dexie.' }]),
  },
  {
    files: ['src/ml/**'],
    rules: restrict([
      { group: ['dexie', 'dexie/*'], message: 'ml/ is Dexie-free.' },
      { group: ['svelte', 'svelte/*', '*.svelte'], message: 'ml/ is Svelte-free.' },
      { group: ['**/data/*', '**/worker/*', '**/recs/*', '**/ui/*'], message: 'ml/ imports only ml/.' },
    ]),
  },
  {
    files: ['src/recs/**'],
    rules: restrict([
      { group: ['dexie', 'dexie/*'], message: 'Only src/data/ may import Dexie.' },
      {
        group: ['**/ui/*', '**/worker/*', 'svelte', 'svelte/*'],
        message: 'recs/ does not import ui/ or worker/.',
      },
    ]),
  },
  {
    files: ['src/worker/**'],
    rules: restrict([
      { group: ['dexie', 'dexie/*'], message: 'Only src/data/ may import Dexie.' },
      { group: ['**/ui/*', 'svelte', 'svelte/*'], message: 'worker/ does not import ui/.' },
    ]),
  },
  {
    files: ['src/data/**'],
    rules: restrict([
      { group: ['**/ui/*', '**/worker/*', '**/recs/*'], message: 'data/ imports only data/ and ml/ types.' },
    ]),
  },
);
