/**
 * Property-based fuzzing of every file loader through the commands that read it: series CSVs
 * (forecast, plan --history, headroom --csv), data files, saved results (report, plan --capacity),
 * user catalogs and monitor recordings. Each input ends in a clean report or bad input (exit 2).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {readDataFile} from '../../src/adapters/io/read-data-file.js'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {MetricsStore} from '../../src/adapters/store/metrics-store.js'
import {capacityResultFixture, runResultFixture} from '../helpers/fixtures.js'
import {expectCleanExit} from './fuzz-commands.js'
import {fuzzParameters, hostileText, numberText} from './fuzz-settings.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-fuzz-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
let fileIndex = 0
function writeInput(extension: string, content: string | Uint8Array): string {
  const path = join(dir, `input-${fileIndex++}.${extension}`)
  writeFileSync(path, content)
  return path
}

const DEV_SERIES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'dev-series',
  'Twitter_volume_AMZN.csv',
)
const seriesLines = (() => {
  try {
    return readFileSync(DEV_SERIES, 'utf8').split('\n').slice(0, 400)
  } catch {
    return [
      'timestamp,value',
      ...Array.from(
        {length: 400},
        (_, i) => `${new Date(Date.UTC(2026, 0, 1) + i * 300_000).toISOString()},${100 + (i % 37)}`,
      ),
    ]
  }
})()

const timestampText = fc.oneof(
  fc.integer({min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1)}).map((ms) => new Date(ms).toISOString()),
  fc.integer({min: 1_500_000_000, max: 1_900_000_000}).map(String),
  fc.constantFrom('2026-01-01', '2026-01-01 10:00', '2026-13-45T99:99:99Z', '0', '-1', '1e20', 'yesterday'),
  hostileText,
)

/** Series CSVs: well-formed rows with hostile cells, mutated real series, random bytes. */
const seriesCsv: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(',', ';', '\t'),
      fc.boolean(),
      fc.array(fc.tuple(timestampText, fc.oneof(numberText, hostileText)), {maxLength: 120}),
    )
    .map(([d, header, rows]) => `${header ? `time${d}value\n` : ''}${rows.map((r) => r.join(d)).join('\n')}`),
  fc.tuple(fc.nat(seriesLines.length), fc.nat(300), fc.string({maxLength: 6})).map(([at, keep, insert]) => {
    const text = seriesLines.slice(0, Math.max(2, keep)).join('\n')
    const cut = at % Math.max(1, text.length)
    return text.slice(0, cut) + insert + text.slice(cut + insert.length)
  }),
  fc.uint8Array({maxLength: 3000}),
)

describe('series CSV files', () => {
  it('forecast, plan --history and headroom --csv on any CSV: a forecast or plan, or bad input', async () => {
    await fc.assert(
      fc.asyncProperty(seriesCsv, fc.constantFrom('forecast', 'plan', 'headroom'), async (content, command) => {
        const csv = writeInput('csv', content)
        if (command === 'forecast') await expectCleanExit(['forecast', csv, '--horizon', '1d', '--json'])
        else if (command === 'plan')
          await expectCleanExit([
            'plan',
            '--history',
            csv,
            '--per-instance',
            '100/s',
            '--vcpus',
            '2',
            '--family',
            'c7g',
            '--months',
            '3',
            '--json',
          ])
        else await expectCleanExit(['headroom', '--csv', csv, '--vcpus', '2', '--memory', '4', '--json'])
      }),
      fuzzParameters(60),
    )
  })

  it('data files (--data-file): rows and columns, or a message, never a throw', () => {
    fc.assert(
      fc.property(seriesCsv, (content) => {
        const rows = readDataFile(writeInput('csv', content))
        if (!('error' in rows))
          for (const row of rows.rows) for (const column of rows.columns) expect(typeof row[column]).toBe('string')
      }),
      fuzzParameters(200),
    )
  })
})

/**
 * A JSON value with edits at any depth: a field deleted, replaced by a hostile value of any type, or
 * replaced by an odd value of its own type (0, negative, huge, an odd string), which passes the
 * schema and reaches the renderers.
 */
type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
type Edit = [pick: number, kind: 'delete' | 'hostile' | 'same-type', hostile: Json, number: number, text: string]
const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, -1, 0, -0.5, 1e308, -1e308, 2 ** 53, '', 'x', '1', [], {}, true, [null], {x: null}),
  fc.jsonValue() as fc.Arbitrary<Json>,
)
const oddNumber = fc.oneof(
  fc.double({noNaN: true, noDefaultInfinity: true}),
  fc.constantFrom(0, -1, 1e308, 2 ** 53, 1e-300, 0.5),
)
const edits: fc.Arbitrary<Edit[]> = fc.array(
  fc.tuple(
    fc.nat(),
    fc.constantFrom('delete', 'hostile', 'same-type', 'same-type'),
    hostileJson,
    oddNumber,
    hostileText,
  ) as fc.Arbitrary<Edit>,
  {minLength: 1, maxLength: 4},
)

function paths(
  value: Json,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      out.push([...prefix, key])
      paths(child, [...prefix, key], out)
    }
  }
  return out
}

function applyEdits(original: Json, list: Edit[]): Json {
  const value = structuredClone(original)
  for (const [pick, kind, hostile, number, text] of list) {
    const all = paths(value)
    if (all.length === 0) break
    const path = all[pick % all.length] as Array<string | number>
    let parent = value as Record<string | number, Json>
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>
    const last = path.at(-1) as string | number
    const current = parent[last]
    if (kind === 'delete' && !Array.isArray(parent)) delete parent[last]
    else if (kind === 'same-type' && typeof current === 'number') parent[last] = number
    else if (kind === 'same-type' && typeof current === 'string') parent[last] = text
    else if (kind === 'same-type' && typeof current === 'boolean') parent[last] = !current
    else parent[last] = structuredClone(hostile) // a copy: one value inserted twice would make a cycle
  }
  return value
}

const RUN_RESULT = JSON.parse(stringifyResult(runResultFixture(['p99 < 50ms', 'errors < 1%']))) as Json
const CAPACITY_RESULT = JSON.parse(stringifyResult(capacityResultFixture(388))) as Json

describe('saved results', () => {
  it('report (every format) and plan --capacity on an edited RunResult or CapacityResult: a report, or bad input naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        edits,
        fc.constantFrom('summary', 'junit', 'markdown', 'html', 'plan'),
        fc.nat(20),
        async (isRun, list, use, truncateAt) => {
          const text = JSON.stringify(applyEdits(isRun ? RUN_RESULT : CAPACITY_RESULT, list))
          const path = writeInput('json', truncateAt === 0 ? text.slice(0, text.length >> 1) : text)
          if (use === 'plan')
            await expectCleanExit([
              'plan',
              '--capacity',
              path,
              '--growth',
              '5%/mo',
              '--peak',
              '100/s',
              '--family',
              'c7g',
              '--months',
              '3',
              '--json',
            ])
          else
            await expectCleanExit([
              'report',
              path,
              ...(use === 'summary' ? [] : ['--format', use === 'html' ? 'json' : use]),
            ])
        },
      ),
      fuzzParameters(80),
    )
  })
})

/** Two shards of one plan (`run --segment 0/2` and `1/2`). */
const SHARDS = [0, 1].map((index) => ({
  ...(RUN_RESULT as Record<string, Json>),
  segment: {index, count: 2, planDigest: '0123456789abcdef'},
})) as Json[]

describe('shard results', () => {
  it('merge on edited or cut shard results: a merged result, or bad input naming the file and field', async () => {
    await fc.assert(
      fc.asyncProperty(edits, edits, fc.nat(20), async (editsA, editsB, truncateAt) => {
        const texts = [applyEdits(SHARDS[0] as Json, editsA), applyEdits(SHARDS[1] as Json, editsB)].map((value) =>
          JSON.stringify(value),
        )
        const paths = texts.map((text, i) =>
          writeInput('json', i === 1 && truncateAt === 0 ? text.slice(0, text.length >> 1) : text),
        )
        await expectCleanExit(['merge', ...paths, '--json'])
      }),
      fuzzParameters(60),
    )
  })
})

/** A small HAR: a page, a login returning a token, a call using it. */
const HAR: Json = {
  log: {
    pages: [{id: 'p1', title: 'http://shop.test/'}],
    entries: [
      {
        pageref: 'p1',
        startedDateTime: '2026-01-01T00:00:00.000Z',
        time: 5,
        request: {method: 'GET', url: 'http://shop.test/', headers: [{name: 'accept', value: 'text/html'}]},
        response: {status: 200, content: {mimeType: 'text/html', text: '<html></html>'}},
      },
      {
        pageref: 'p1',
        startedDateTime: '2026-01-01T00:00:00.100Z',
        time: 5,
        request: {
          method: 'POST',
          url: 'http://shop.test/login?api_key=s3cr3t',
          headers: [{name: 'x-api-key', value: 'k1'}],
          postData: {mimeType: 'application/json', text: '{"user":"ada"}'},
        },
        response: {status: 200, content: {mimeType: 'application/json', text: '{"token":"tok-123456789"}'}},
      },
      {
        pageref: 'p1',
        startedDateTime: '2026-01-01T00:00:00.500Z',
        time: 5,
        request: {
          method: 'GET',
          url: 'http://shop.test/items',
          headers: [{name: 'authorization', value: 'Bearer tok-123456789'}],
        },
        response: {status: 200, content: {mimeType: 'application/json', text: '{"items":[{"id":123456789}]}'}},
      },
      {
        pageref: 'p1',
        startedDateTime: '2026-01-01T00:00:00.900Z',
        time: 5,
        request: {
          method: 'POST',
          url: 'http://shop.test/orders',
          headers: [],
          postData: {mimeType: 'application/json', text: '{"id":123456789,"ref":"tok-123456789"}'},
        },
        response: {status: 201},
      },
    ],
  },
}

describe('HAR files', () => {
  it('import har on an edited or cut recording: a service file that resolves, or bad input', async () => {
    await fc.assert(
      fc.asyncProperty(edits, fc.nat(20), async (list, truncateAt) => {
        const text = JSON.stringify(applyEdits(HAR, list))
        const path = writeInput('har', truncateAt === 0 ? text.slice(0, text.length >> 1) : text)
        await expectCleanExit(['import', 'har', path])
      }),
      fuzzParameters(80),
    )
  })
})

const USER_CATALOG: Json = {
  schemaVersion: 1,
  pricesAsOf: '2026-01-01',
  sources: [{id: 'contract', description: 'negotiated prices', generatedAt: '2026-01-01'}],
  instances: [
    {
      provider: 'aws',
      type: 'c7g.large',
      family: 'c7g',
      class: 'compute',
      arch: 'arm64',
      vcpu: 2,
      memoryGiB: 4,
      currentGeneration: true,
      priceUsdPerHour: {'us-east-1': 0.05},
      sources: ['contract'],
      verified: true,
    },
    {
      provider: 'aws',
      type: 'c7g.xlarge',
      family: 'c7g',
      class: 'compute',
      arch: 'arm64',
      vcpu: 4,
      memoryGiB: 8,
      currentGeneration: true,
      priceUsdPerHour: {'us-east-1': 0.1},
      sources: ['contract'],
      verified: true,
    },
  ],
  egress: [
    {
      provider: 'aws',
      regions: ['us-east-1'],
      tiers: [
        {upToGB: 100, usdPerGB: 0},
        {upToGB: null, usdPerGB: 0.09},
      ],
      source: 'contract',
    },
  ],
}

describe('user catalogs', () => {
  it('catalog list/show/stats and plan with an edited --catalog: output, or bad input naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(edits, fc.constantFrom('list', 'show', 'stats', 'plan'), async (list, use) => {
        const path = writeInput('json', JSON.stringify(applyEdits(USER_CATALOG, list)))
        if (use === 'plan')
          await expectCleanExit([
            'plan',
            '--catalog',
            path,
            '--peak',
            '300/s',
            '--growth',
            '5%/mo',
            '--per-instance',
            '100/s',
            '--vcpus',
            '2',
            '--family',
            'c7g',
            '--months',
            '3',
            '--json',
          ])
        else
          await expectCleanExit([
            'catalog',
            use,
            ...(use === 'show' ? ['c7g.large'] : use === 'list' ? ['--family', 'c7g'] : []),
            '--catalog',
            path,
          ])
      }),
      fuzzParameters(60),
    )
  })
})

const METRICS = [
  'cpu.busy',
  'mem.used_pct',
  'traffic.requests_per_sec',
  'cgroup.cpu_used_pct',
  'cgroup.mem_used_pct',
  'cgroup.cpu_limit',
  'cgroup.mem_limit_bytes',
]
const cell = fc.oneof(fc.double(), fc.integer(), fc.constantFrom('x', '', '1e999', '-1'))
const recordingRow = fc.tuple(
  fc.oneof(
    fc.integer({min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 2, 1)}).map((t) => Math.floor(t / 60_000) * 60_000),
    fc.integer(),
  ),
  fc.oneof(fc.constantFrom(...METRICS), fc.string({maxLength: 10})),
  cell,
  cell,
  cell,
  fc.oneof(fc.nat(100), cell),
)

/** A monitor database with hostile rows and metadata (SQLite stores text in REAL columns), or random bytes. */
const recording = fc.oneof(
  fc
    .tuple(
      fc.array(recordingRow, {maxLength: 200}),
      fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        hostileText,
      ),
    )
    .map(([rows, inventory]) => ({rows, inventory})),
  fc.uint8Array({maxLength: 4096}),
)

function writeRecording(
  content: {rows: Array<[number, string, unknown, unknown, unknown, unknown]>; inventory: string} | Uint8Array,
): string {
  if (content instanceof Uint8Array) return writeInput('db', content)
  const path = join(dir, `input-${fileIndex++}.db`)
  new MetricsStore(path).close()
  const db = new Database(path)
  const insert = db.prepare(
    'INSERT OR REPLACE INTO rollups (period_start_ms, metric, mean, max, p95, samples) VALUES (?, ?, ?, ?, ?, ?)',
  )
  for (const row of content.rows) insert.run(...row.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)))
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('inventory', ?)").run(content.inventory)
  db.close()
  return path
}

describe('monitor recordings', () => {
  it('forecast --recording, headroom --db and monitor export on any database: output, or bad input', async () => {
    await fc.assert(
      fc.asyncProperty(recording, fc.constantFrom('forecast', 'headroom', 'export'), async (content, use) => {
        const db = writeRecording(content)
        if (use === 'forecast')
          await expectCleanExit([
            'forecast',
            '--recording',
            db,
            '--metric',
            'traffic.requests_per_sec',
            '--horizon',
            '1d',
            '--json',
          ])
        else if (use === 'headroom') await expectCleanExit(['headroom', '--db', db, '--json'])
        else await expectCleanExit(['monitor', 'export', '--db', db])
      }),
      fuzzParameters(60),
    )
  })
})
