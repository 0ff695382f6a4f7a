/**
 * The layers of loadplan, top to bottom, and what each folder of src/ may import (besides itself).
 * eslint.config.js turns this table into lint errors, and test/unit/layers.test.ts checks that it
 * has no cycle, so a folder-level import cycle cannot come back. README "Layout" explains it.
 */
const CONTRACTS = ['errors', 'format', 'stats', 'results']
const CORE = ['schedule', 'series', 'catalog', 'forecast', 'capacity', 'planning', 'engine', 'deploy', 'importers']
const ADAPTERS = ['io', 'store', 'host', 'demo']

export const LAYERS = {
  // entry: one file per command; flags → one src/app call → render → exit code
  commands: ['cli', 'app', 'config', 'report', 'format', 'errors'],
  cli: ['app', 'config', 'report', 'ui', ...CONTRACTS],
  // application: one function per command, returns a document, never prints
  app: ['config', 'report', ...ADAPTERS, ...CORE, ...CONTRACTS],
  // presentation
  report: [...CORE, ...CONTRACTS],
  ui: ['schedule', ...CONTRACTS],
  // options: service file and flags, all problems at once
  config: [...CORE, ...CONTRACTS],
  // adapters: files, Prometheus, SQLite, /proc and /sys, the demo server
  io: ['store', ...CORE, ...CONTRACTS],
  host: ['store', ...CONTRACTS],
  store: [...CONTRACTS],
  demo: [],
  // core: pure, plain data in and out (the engine does network I/O through injected clients)
  planning: ['capacity', 'catalog', 'forecast', 'series', ...CONTRACTS],
  engine: ['schedule', 'capacity', ...CONTRACTS],
  // manifests that run a plan elsewhere (Kubernetes)
  deploy: [...CONTRACTS],
  // recordings of other tools → service files (HAR)
  importers: [...CONTRACTS],
  capacity: ['catalog', ...CONTRACTS],
  forecast: ['series', ...CONTRACTS],
  schedule: [...CONTRACTS],
  series: [...CONTRACTS],
  catalog: [...CONTRACTS],
  // contracts: result types, formatters, statistics, coded errors
  results: ['errors', 'format', 'stats'],
  stats: ['errors', 'format'],
  format: ['errors'],
  errors: [],
}

/** Third-party packages that belong to one part of the code. */
export const PACKAGE_OWNERS = {
  '@oclif/core': ['commands', 'cli'],
  ink: ['ui'],
  react: ['ui'],
  'better-sqlite3': ['store'],
  systeminformation: ['host'],
  undici: ['engine', 'io'],
}
