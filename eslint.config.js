// Lint: typescript-eslint's recommended rules plus loadplan's layering rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly'}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // CommonJS on purpose (bench/sampler/probe.cjs counts child_process calls before systeminformation loads).
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', __dirname: 'readonly', module: 'writable'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // The core is a library: it never prints, exits or renders; only src/ui imports Ink.
    files: ['src/**/*.ts'],
    // src/catalog/build is a maintenance script that reports on stdout.
    ignores: ['src/ui/**', 'src/cli/**', 'src/catalog/build/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', {paths: ['ink', 'react', '@oclif/core'].map((name) => ({name, message: 'only src/ui (Ink) and commands/ (oclif) may import this'}))}],
      'no-restricted-properties': ['error', {object: 'process', property: 'exit', message: 'return data or throw a coded error; commands decide the exit code'}],
    },
  },
)
