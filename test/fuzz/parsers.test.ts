/**
 * Property-based fuzzing of every pure parser: units, run flags, service files, thresholds,
 * horizons, redundancy, timestamps. Each input gives a clean value or bad input (exit 2), never
 * another exception, never a hang; values that pass satisfy the limits the engine relies on.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import {MAX_DURATION_MS} from '../../src/config/field-parsers.js'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {type RunFlags} from '../../src/config/run/run-flags.js'
import {parseServiceFile} from '../../src/config/service-file.js'
import {horizonSteps} from '../../src/core/series/horizon.js'
import {parseRedundancy} from '../../src/config/plan-options.js'
import {
  parseBytes,
  parseDurationMs,
  parseMonthlyRate,
  parseRatePerSec,
  parseRatio,
} from '../../src/contracts/parse/parse-units.js'
import {parseTimestamp} from '../../src/adapters/io/read-series-csv.js'
import {parseThreshold} from '../../src/contracts/stats/thresholds.js'
import {cleanOutcome, fuzzParameters, hostileText, quantityText} from './fuzz-settings.js'

const EXAMPLE_PLAN = readFileSync(join(import.meta.dirname, '..', '..', 'plans', 'example.yaml'), 'utf8')
const OPEN_FILE_LIMIT = 1024

const isCleanNumber = (v: number | undefined) =>
  v === undefined || (typeof v === 'number' && !Number.isNaN(v) && v >= 0)

describe('units', () => {
  it('durations, rates, ratios, monthly rates and sizes: undefined or a number ≥ 0, never NaN, never a throw', () => {
    fc.assert(
      fc.property(
        quantityText([
          'ms',
          's',
          'm',
          'h',
          'd',
          'us',
          'µs',
          'min',
          '/s',
          '/m',
          '/min',
          '/h',
          '%',
          '%/mo',
          '%/month',
          'B',
          'kB',
          'MiB',
          'GB',
          'w',
          'mo',
          'y',
        ]),
        (text) => {
          for (const parse of [parseDurationMs, parseRatePerSec, parseRatio, parseMonthlyRate, parseBytes]) {
            expect(isCleanNumber(parse(text)), `${parse.name}(${JSON.stringify(text)})`).toBe(true)
          }
        },
      ),
      fuzzParameters(1000),
    )
  })

  it('timestamps: a number or NaN, never a throw; horizons: a whole number of steps ≥ 1 or undefined', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileText,
          fc.date({noInvalidDate: false}).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
          quantityText(['h', 'd', 'w', 'mo', 'y', '']),
        ),
        fc.constantFrom('hour', 'day', 'month'),
        (text, resolution) => {
          expect(typeof parseTimestamp(text)).toBe('number')
          const steps = horizonSteps(text, resolution as 'hour')
          if (steps !== undefined) {
            expect(Number.isInteger(steps)).toBe(true)
            expect(steps).toBeGreaterThanOrEqual(1)
          }
        },
      ),
      fuzzParameters(1000),
    )
  })

  it('thresholds and redundancy rules: a value or undefined/an error message, never a throw', () => {
    const expression = fc
      .tuple(
        fc.constantFrom(
          'p99',
          'p50',
          'p99.9',
          'avg',
          'max',
          'errors',
          'rps',
          'status_5xx',
          'dropped',
          'p100',
          'p0',
          'p',
          'x',
        ),
        fc.constantFrom('<', '<=', '>', '>=', '=', '!', ''),
        quantityText(['ms', 's', '%', '/s', '']),
      )
      .map((p) => p.join(' '))
    fc.assert(
      fc.property(fc.oneof(expression, hostileText), (text) => {
        cleanOutcome(() => parseThreshold(text))
        cleanOutcome(() => parseRedundancy(text))
      }),
      fuzzParameters(1000),
    )
  })
})

/** Flags as a user might combine them: mostly plausible values, some hostile. */
const runFlags: fc.Arbitrary<RunFlags> = fc.record(
  {
    connections: fc.oneof(quantityText(['']), hostileText),
    pipelining: quantityText(['']),
    duration: quantityText(['ms', 's', 'm', 'h', 'd']),
    amount: quantityText(['']),
    rate: quantityText(['/s', '/m', '']),
    arrivalRate: quantityText(['/s', '/m', '']),
    stage: fc.array(
      fc.tuple(quantityText(['s', 'm', 'h', 'ms']), quantityText(['', '/s'])).map(([d, r]) => `${d}:${r}`),
      {maxLength: 3},
    ),
    maxInFlight: quantityText(['']),
    workers: quantityText(['']),
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'get', 'PATCH', 'BREW', ''), hostileText),
    header: fc.array(
      fc.oneof(
        fc.tuple(hostileText, hostileText).map(([k, v]) => `${k}: ${v}`),
        hostileText,
      ),
      {maxLength: 2},
    ),
    body: hostileText,
    json: fc.oneof(fc.json(), hostileText),
    query: fc.array(
      fc.oneof(
        fc.tuple(hostileText, hostileText).map(([k, v]) => `${k}=${v}`),
        hostileText,
      ),
      {maxLength: 2},
    ),
    timeout: quantityText(['ms', 's', 'm', 'h', 'd']),
    threshold: fc.array(hostileText, {maxLength: 2}),
    gracefulStop: quantityText(['ms', 's', 'h', 'd']),
    warmup: quantityText(['ms', 's', 'h']),
    seed: fc.oneof(fc.integer().map(String), hostileText),
    segment: fc.oneof(
      fc.tuple(fc.nat(12), fc.nat(12)).map(([i, n]) => `${i}/${n}`),
      fc.constantFrom('0/1', '1/3', '-1/2', '1/0', '1.5/3', '0/99999999', ' 2 / 4 '),
      hostileText,
    ),
    startAt: fc.oneof(
      fc.date({noInvalidDate: true, min: new Date(0), max: new Date(4e12)}).map((d) => d.toISOString()),
      fc.nat().map((n) => `@${n}`),
      fc.constantFrom('2026-12-01T09:30:00', '2026-12-01T09:30:00+25:00', '@', '@1e99'),
      hostileText,
    ),
    target: fc.oneof(
      fc.webUrl(),
      fc.constantFrom(
        'http://127.0.0.1:8080/a?x={{seq}}',
        'ftp://u:p@h/',
        'http://[::1',
        'http://h:99999/',
        'https://h/?api_key=s',
      ),
      hostileText,
    ),
  },
  {requiredKeys: []},
)

/** The limits the engine relies on, for options that passed validation. */
function expectRunnable(options: ReturnType<typeof resolveRunOptions>): void {
  const {load} = options
  expect(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 && options.timeoutMs <= MAX_DURATION_MS).toBe(true)
  expect(
    Number.isFinite(options.gracefulStopMs) && options.gracefulStopMs >= 0 && options.gracefulStopMs <= MAX_DURATION_MS,
  ).toBe(true)
  expect(Number.isInteger(options.workers) && options.workers >= 1).toBe(true)
  expect(options.scenarios.length).toBeGreaterThan(0)
  expect(Number.isInteger(load.connections) && load.connections >= 1 && load.connections <= OPEN_FILE_LIMIT).toBe(true)
  if (options.segment) {
    const {index, count} = options.segment
    expect(Number.isInteger(index) && index >= 0 && index < count).toBe(true)
    // Every shard has a connection for each of its workers.
    expect(Math.floor(load.connections / count)).toBeGreaterThanOrEqual(count > 1 ? options.workers : 1)
  }
  if (options.startAtEpochMs !== undefined) expect(Number.isFinite(options.startAtEpochMs)).toBe(true)
  if (load.model === 'closed') {
    if (load.durationMs !== undefined) expect(load.durationMs > 0 && load.durationMs <= MAX_DURATION_MS).toBe(true)
    if (load.ratePerSec !== undefined) expect(Number.isFinite(load.ratePerSec) && load.ratePerSec > 0).toBe(true)
    if (options.warmupMs !== undefined && load.durationMs !== undefined)
      expect(options.warmupMs).toBeLessThan(load.durationMs)
  } else {
    for (const stage of load.stages) {
      expect(Number.isFinite(stage.durationMs) ? stage.durationMs <= MAX_DURATION_MS : load.stages.length === 1).toBe(
        true,
      )
      expect(Number.isFinite(stage.targetRatePerSec) && stage.targetRatePerSec >= 0).toBe(true)
    }
  }
}

describe('run options', () => {
  it('any combination of flags: runnable options within every limit, or bad input naming the problems', () => {
    fc.assert(
      fc.property(runFlags, fc.option(fc.webUrl(), {nil: undefined}), (flags, url) => {
        const outcome = cleanOutcome(() =>
          resolveRunOptions({
            url: url ?? 'http://127.0.0.1:8080/',
            flags,
            defaultSeed: 1,
            openFileLimit: OPEN_FILE_LIMIT,
            nowEpochMs: 1_764_500_000_000,
          }),
        )
        if ('value' in outcome) expectRunnable(outcome.value)
        else expect(outcome.error.message).toMatch(/\n {2}- /) // every problem listed, one per line
      }),
      fuzzParameters(1000),
    )
  })
})

/** Mutations of the bundled example: characters dropped, duplicated or replaced; lines shuffled. */
const mutatedYaml = fc.oneof(
  fc
    .tuple(fc.nat(EXAMPLE_PLAN.length), fc.nat(40), fc.string({maxLength: 8}))
    .map(([at, cut, insert]) => EXAMPLE_PLAN.slice(0, at) + insert + EXAMPLE_PLAN.slice(at + cut)),
  fc.shuffledSubarray(EXAMPLE_PLAN.split('\n')).map((lines) => lines.join('\n')),
  fc.anything().map((value) => String(stringify(value) ?? '')),
  fc.nat(6).map((depth) =>
    [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        {length: depth},
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n'),
  ),
  hostileText,
)

describe('service files', () => {
  it('any text as a service file: a service file whose options are runnable, or bad input', () => {
    fc.assert(
      fc.property(mutatedYaml, runFlags, fc.boolean(), (text, flags, withFlags) => {
        const parsed = cleanOutcome(() => parseServiceFile(text, 'fuzz.yaml'))
        if (!('value' in parsed)) return
        const resolved = cleanOutcome(() =>
          resolveRunOptions({
            file: parsed.value,
            fileName: 'fuzz.yaml',
            flags: withFlags ? flags : {},
            defaultSeed: 1,
            openFileLimit: OPEN_FILE_LIMIT,
          }),
        )
        if ('value' in resolved) expectRunnable(resolved.value)
      }),
      fuzzParameters(300),
    )
  })
})
