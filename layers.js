/**
 * The layers of loadplan, top to bottom, and what each module of src/ may import (besides itself).
 * src/ shows the layers: the upper ones are a folder each (cli, app, report, ui, config); the lower
 * ones group their modules: adapters/ (I/O), core/ (the pure domain), contracts/ (the types, units,
 * statistics and errors every layer shares). A module is a folder, or a single file, under src/.
 * eslint.config.js turns this table into lint errors and test/unit/layers.test.ts checks that it has
 * no cycle, so a module-level import cycle cannot come back. docs/architecture.md explains it.
 */
import {relative, sep} from 'node:path'

const CONTRACTS = [
  'contracts/errors',
  'contracts/redact',
  'contracts/parse',
  'contracts/format',
  'contracts/stats',
  'contracts/results',
]
const CORE = [
  'core/balancing',
  'core/schedule',
  'core/series',
  'core/catalog',
  'core/forecast',
  'core/capacity',
  'core/planning',
  'core/engine',
  'core/deploy',
  'core/importers',
]
const ADAPTERS = ['adapters/io', 'adapters/store', 'adapters/host', 'adapters/demo']

export const LAYERS = {
  // entry: one file per command; flags → one src/app call → render → exit code
  commands: ['cli', 'app', 'config', 'report', ...CONTRACTS],
  cli: ['app', 'config', 'report', 'ui', ...CONTRACTS],
  // application: one function per command, returns a document, never prints
  app: ['config', 'report', ...ADAPTERS, ...CORE, ...CONTRACTS],
  // presentation
  report: [...CORE, ...CONTRACTS],
  ui: ['core/schedule', ...CONTRACTS],
  // options: service file and flags, all problems at once
  config: [...CORE, ...CONTRACTS],
  // adapters: files, Prometheus, SQLite, /proc and /sys, the demo server
  'adapters/io': ['adapters/store', ...CORE, ...CONTRACTS],
  'adapters/host': ['adapters/store', ...CONTRACTS],
  'adapters/store': [...CONTRACTS],
  'adapters/demo': [],
  // core: pure, plain data in and out (the engine does network I/O through injected clients)
  'core/planning': ['core/capacity', 'core/catalog', 'core/forecast', 'core/series', ...CONTRACTS],
  'core/engine': ['core/schedule', 'core/capacity', 'core/balancing', ...CONTRACTS],
  // manifests that run a plan elsewhere (Kubernetes)
  'core/deploy': [...CONTRACTS],
  // recordings of other tools → service files (HAR)
  'core/importers': [...CONTRACTS],
  'core/capacity': ['core/catalog', 'core/balancing', ...CONTRACTS],
  'core/balancing': [...CONTRACTS],
  'core/forecast': ['core/series', ...CONTRACTS],
  'core/schedule': [...CONTRACTS],
  'core/series': [...CONTRACTS],
  'core/catalog': [...CONTRACTS],
  // contracts: result types, unit parsers and formatters, statistics, coded errors
  'contracts/results': ['contracts/errors', 'contracts/redact', 'contracts/format', 'contracts/stats'],
  'contracts/stats': ['contracts/errors', 'contracts/parse', 'contracts/format'],
  'contracts/format': ['contracts/errors'],
  'contracts/parse': ['contracts/errors'],
  // errors redact every value they echo
  'contracts/errors': ['contracts/redact'],
  'contracts/redact': [],
}

/** Third-party packages that belong to one part of the code. */
export const PACKAGE_OWNERS = {
  '@oclif/core': ['commands', 'cli'],
  ink: ['ui'],
  react: ['ui'],
  'better-sqlite3': ['adapters/store'],
  systeminformation: ['adapters/host'],
  undici: ['core/engine', 'adapters/io'],
}

/**
 * The module (a key of LAYERS) that a path of the repository belongs to, or undefined outside
 * commands/ and src/. `root` is the repository's root; `path` is absolute.
 */
export function moduleOf(root, path) {
  const rel = relative(root, path).split(sep).join('/')
  if (rel === 'commands' || rel.startsWith('commands/')) return 'commands'
  if (!rel.startsWith('src/')) return undefined
  const inSrc = rel.slice(4).replace(/\.(tsx?|jsx?)$/, '')
  let best
  for (const key of Object.keys(LAYERS))
    if ((inSrc === key || inSrc.startsWith(`${key}/`)) && (best === undefined || key.length > best.length)) best = key
  return best
}

/** How a module is named in messages. */
export const moduleLabel = (module) => (module === 'commands' ? 'commands/' : `src/${module}`)
