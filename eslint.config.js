import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'test-results/', 'src/server/db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/web/client/**/*.ts'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', history: 'readonly', fetch: 'readonly', DOMParser: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly', AbortController: 'readonly', HTMLElement: 'readonly', HTMLFormElement: 'readonly', HTMLAnchorElement: 'readonly' },
    },
  },
  {
    // The domain holds pure rules: no I/O, no server or web code.
    files: ['src/domain/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', '**/server/**', '**/web/**', 'pg', 'drizzle-orm*', '@electric-sql/*', 'fastify*'] }],
    },
  },
);
