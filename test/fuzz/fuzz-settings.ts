/**
 * Shared settings of the property-based fuzz tests. CI runs a fast subset of each property; the
 * nightly-size run (`npm run test:fuzz`) sets FUZZ_RUNS=10000. A failure prints fast-check's seed
 * and path: `FUZZ_SEED=… FUZZ_PATH=… npx vitest run test/fuzz` replays it.
 */
import fc from 'fast-check'
import {expect} from 'vitest'
import {LoadplanError} from '../../src/contracts/errors.js'

/** Inputs per property: FUZZ_RUNS when set, else the CI subset given. */
export function fuzzRuns(ciRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS)
  return Number.isInteger(n) && n > 0 ? n : ciRuns
}

/**
 * fast-check parameters for a property with `ciRuns` inputs in CI. The seed is chosen here and
 * written to stderr before the property runs: an input that hangs the event loop never reaches
 * fast-check's failure report, and this line is then the only way to replay it.
 */
export function fuzzParameters(ciRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
  process.stderr.write(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed})\n`)
  const parameters: fc.Parameters<unknown> = {numRuns: fuzzRuns(ciRuns), seed}
  if (process.env.FUZZ_PATH) parameters.path = process.env.FUZZ_PATH
  return parameters
}

/** No single input may take longer than this: a parser that loops (or backtracks) on an input hangs a CI job. */
export const HANG_MS = 5000

/**
 * The contract of every parser and loader: a value, or a LoadplanError that is bad input (exit 2)
 * — never another exception (a crash with a stack trace), never a hang.
 */
export function cleanOutcome<T>(work: () => T): {value: T} | {error: LoadplanError} {
  const started = performance.now()
  try {
    return {value: work()}
  } catch (error) {
    if (!(error instanceof LoadplanError)) throw error
    expect(error.exitCode).toBe(2)
    return {error}
  } finally {
    expect(performance.now() - started, 'one input took longer than HANG_MS').toBeLessThan(HANG_MS)
  }
}

/** Text that tries the edges: unicode, control bytes, huge and odd numbers, unit-like fragments. */
export const hostileText = fc.oneof(
  fc.string(),
  fc.string({unit: 'binary', maxLength: 64}),
  fc.constantFrom(
    '',
    ' ',
    '\0',
    '\n',
    'NaN',
    'Infinity',
    '-Infinity',
    '-0',
    '1e309',
    '9'.repeat(400),
    '0x10',
    '1_000',
    '٣',
    '１',
    '.5',
    '5.',
    '1e3',
    '-1',
    '+1',
    '1,5',
    '∞',
    '__proto__',
    'constructor',
    '{{',
    '%',
    '%%',
    '/s',
    '/',
  ),
)

/** A number as users might type it, including the odd ones. */
export const numberText = fc.oneof(
  fc.nat().map(String),
  fc.double({noNaN: false}).map(String),
  fc.constantFrom(
    '0',
    '1',
    '0.5',
    '00',
    '1e3',
    '1e309',
    '9'.repeat(40),
    '-1',
    '-0',
    '.5',
    '5.',
    ' 5',
    '5 ',
    '١',
    'NaN',
  ),
)

/** `<number><unit>` pieces, sometimes repeated (`1m30s`), sometimes with junk between. */
export function quantityText(units: readonly string[]): fc.Arbitrary<string> {
  const part = fc.tuple(numberText, fc.constantFrom(...units, '')).map(([n, u]) => `${n}${u}`)
  return fc.oneof(
    part,
    fc.array(part, {minLength: 2, maxLength: 4}).map((parts) => parts.join('')),
    fc.tuple(part, hostileText, part).map((p) => p.join('')),
    hostileText,
  )
}
