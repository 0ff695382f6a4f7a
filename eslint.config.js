// Lint: typescript-eslint's recommended rules plus loadplan's layering rules.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import {dirname, resolve} from 'node:path'
import {LAYERS, PACKAGE_OWNERS, moduleLabel, moduleOf} from './layers.js'

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
const ROOT = import.meta.dirname

/**
 * loadplan/layers: an import of another module of src/ must be one the importing module's row of
 * layers.js allows, and a package that PACKAGE_OWNERS gives to some modules is imported only by them.
 * Imports are resolved to the module they reach, so a module's depth in the tree does not matter.
 */
const layersRule = {
  meta: {type: 'problem', docs: {description: 'imports follow the layers of layers.js'}, schema: []},
  create(context) {
    const from = moduleOf(ROOT, context.filename)
    if (from === undefined) return {}
    const allowed = LAYERS[from]
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return
      if (specifier.startsWith('.')) {
        const to = moduleOf(ROOT, resolve(dirname(context.filename), specifier))
        if (to === undefined || to === from || allowed.includes(to)) return
        const may = allowed.length === 0 ? 'nothing' : allowed.map(moduleLabel).join(', ')
        context.report({
          node,
          message: `${moduleLabel(from)} may import only ${may} (see layers.js), not ${moduleLabel(to)}`,
        })
        return
      }
      for (const [name, owners] of Object.entries(PACKAGE_OWNERS)) {
        if ((specifier === name || specifier.startsWith(`${name}/`)) && !owners.includes(from))
          context.report({
            node,
            message: `only ${owners.map(moduleLabel).join(', ')} may import ${name} (see layers.js)`,
          })
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
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
  {
    files: ['src/**/*.{ts,tsx}', 'commands/**/*.ts'],
    plugins: {loadplan: {rules: {layers: layersRule}}},
    rules: {'loadplan/layers': 'error'},
  },
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
