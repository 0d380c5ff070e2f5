// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { basename } from 'node:path';

/** Files are kebab-case (STYLE.md §4): `send-message-processor.ts`, `remoting-command.test.ts`. */
const kebabCaseFilenames = {
  meta: {
    type: 'suggestion',
    schema: [],
    messages: { bad: 'file name "{{name}}" is not kebab-case' },
  },
  create(context) {
    return {
      Program(node) {
        const name = basename(context.filename);
        if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/.test(name)) {
          context.report({ node, messageId: 'bad', data: { name } });
        }
      },
    };
  },
};

const deepImport = {
  group: ['@rocketmq-ts/*/src/**', '@rocketmq-ts/*/dist/**'],
  message: 'import a package by its name only (STYLE.md §2)',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { local: { rules: { 'kebab-case-filenames': kebabCaseFilenames } } },
    rules: {
      'local/kebab-case-filenames': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'max-params': ['error', 3],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
    },
  },
  {
    // protocol and store are pure / file-only: no sockets (STYLE.md §2).
    files: ['packages/protocol/**/*.ts', 'packages/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:net', message: 'protocol and store never open sockets' },
            { name: 'net', message: 'protocol and store never open sockets' },
          ],
          patterns: [deepImport],
        },
      ],
    },
  },
  {
    files: ['apps/**', 'tools/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    plugins: { local: { rules: { 'kebab-case-filenames': kebabCaseFilenames } } },
    rules: { 'local/kebab-case-filenames': 'error' },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // vitest's expect(...).rejects and friends are awaited through expect; unbound methods are common in spies.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
