import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronImport = {
  paths: [{ name: 'electron', message: 'electron may only be imported in src/main/electron/ and src/preload/ (see CONVENTIONS.md).' }],
  patterns: [{ group: ['electron/*'], message: 'electron may only be imported in src/main/electron/ and src/preload/.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.electron-native/**', 'bench/results/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // Everything outside the two Electron rooms runs in plain Node (tests, CLI, headless).
      'no-restricted-imports': ['error', electronImport],
    },
  },
  {
    files: ['src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronImport,
          patterns: [
            ...electronImport.patterns,
            { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/shared is pure TypeScript used by every process: no Node modules.' },
            { group: ['**/main/**', '**/renderer/**'], message: 'src/shared depends on nothing else in the tree.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          ...electronImport,
          patterns: [
            ...electronImport.patterns,
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox: no Node modules.' },
            { group: ['**/main/**'], message: 'The renderer talks to main only through SwitchboardClient.' },
          ],
        },
      ],
    },
  },
);
