// Lint: typescript-eslint's recommended rules plus loadplan's layering rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import {LAYERS, PACKAGE_OWNERS} from './layers.js'

const globals = {
  process: 'readonly',
  console: 'readonly',
  performance: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  URLSearchParams: 'readonly',
  AbortController: 'readonly',
  AbortSignal: 'readonly',
  fetch: 'readonly',
}
const folders = Object.keys(LAYERS)

/** Packages (and their deep paths, e.g. undici/lib/…) a file outside their owners may not import. */
function packageRules(folder) {
  return Object.entries(PACKAGE_OWNERS)
    .filter(([, owners]) => !owners.includes(folder))
    .map(([name, owners]) => ({
      regex: `^${name.replace(/[/.]/g, '\\$&')}(/|$)`,
      message: `only ${owners.map((o) => (o === 'commands' ? 'commands/' : `src/${o}`)).join(', ')} may import ${name} (see layers.js)`,
    }))
}

/** One config block per folder: what it may import, from layers.js, so that no import cycle can come back. */
function layerBlock(folder) {
  const forbidden = folders.filter((f) => f !== folder && !LAYERS[folder].includes(f))
  const inSrc = folder !== 'commands'
  const patterns = [...packageRules(folder)]
  if (forbidden.length > 0)
    patterns.push({
      regex: inSrc
        ? `^(\\.\\./)+(${forbidden.join('|')})(/|\\.js$)`
        : `^\\.\\./(\\.\\./)*src/(${forbidden.join('|')})(/|\\.js$)`,
      message: `src/${folder === 'commands' ? 'commands' : folder} may import only ${LAYERS[folder].join(', ')} (see layers.js)`,
    })
  return {
    files: inSrc ? [`src/${folder}/**/*.{ts,tsx}`, `src/${folder}.ts`] : ['commands/**/*.ts'],
    rules: {'no-restricted-imports': ['error', {patterns}]},
  }
}

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // CommonJS on purpose (bench/sampler/probe.cjs counts child_process calls before systeminformation loads).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {require: 'readonly', __dirname: 'readonly', module: 'writable'},
    },
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  ...folders.map(layerBlock),
  {
    // Below the command boundary nothing prints or exits: src/app returns documents, the core
    // returns data; only src/cli (the boundary) and src/ui (Ink) write to the terminal.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**', 'src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'exit',
          message: 'return data or throw a coded error; commands decide the exit code',
        },
        {object: 'process', property: 'stdout', message: 'return a document; the command prints it'},
        {object: 'process', property: 'stderr', message: 'return warnings or take a log hook; the command prints them'},
      ],
    },
  },
)
