/**
 * `loadplan capacity` settings: defaults in one place, parsed and validated together. Pure.
 */
import type {CapacitySettings} from '../core/engine/capacity-runner.js'
import {ProblemList} from '../contracts/errors.js'
import {parseDurationMs, parseRatePerSec, parseRatio} from '../contracts/parse/parse-units.js'

export const CAPACITY_DEFAULTS = {
  startRate: '10/s',
  growthFactor: '2',
  maxRate: '10000/s',
  precision: '5%',
  stepDuration: '5s',
  warmup: '2s',
  maxDuration: '5m',
  maxErrorRatio: '20%',
  maxInFlight: '1000',
  maxDroppedRatio: 0.01,
  minRatePerSec: 1,
} as const

export interface CapacityFlags {
  startRate?: string
  growthFactor?: string
  maxRate?: string
  precision?: string
  stepDuration?: string
  warmup?: string
  maxDuration?: string
  maxErrorRatio?: string
  maxInFlight?: string
  confirm?: boolean
  concurrency?: string
  command?: string
  cpus?: string
}

export interface CapacityOptions {
  settings: CapacitySettings
  concurrency: number[]
  /** `--command` (and `--cpus`): loadplan starts the service itself, pinned to each CPU count in turn. */
  service?: {command: string; cpus: number[]}
}

/**
 * @throws InputError listing every problem found
 */
export function resolveCapacityOptions(flags: CapacityFlags): CapacityOptions {
  const problems = new ProblemList()
  const D = CAPACITY_DEFAULTS
  const rate = (flag: string, text: string | undefined, fallback: string) => {
    const value = parseRatePerSec(text ?? fallback)
    if (value === undefined || value <= 0) problems.add(flag, 'expected a positive rate such as "50/s"', text)
    return value ?? 1
  }
  const duration = (flag: string, text: string | undefined, fallback: string, allowZero = false) => {
    const value = parseDurationMs(text ?? fallback)
    if (value === undefined || value < 0 || (!allowZero && value === 0))
      problems.add(flag, 'expected a duration such as "10s" or "5m"', text)
    return value ?? 0
  }
  const ratio = (flag: string, text: string | undefined, fallback: string) => {
    const value = parseRatio(text ?? fallback)
    if (value === undefined || value <= 0 || value > 1)
      problems.add(flag, 'expected a percentage between 0% and 100%, e.g. "5%"', text)
    return value ?? 0.05
  }
  const startRatePerSec = rate('--start-rate', flags.startRate, D.startRate)
  const maxRatePerSec = rate('--max-rate', flags.maxRate, D.maxRate)
  const growthFactor = Number(flags.growthFactor ?? D.growthFactor)
  if (!(growthFactor > 1 && growthFactor <= 10))
    problems.add(
      '--growth-factor',
      'expected a number above 1 and at most 10, e.g. 2 (double each ramp step)',
      flags.growthFactor,
    )
  if (startRatePerSec > maxRatePerSec)
    problems.add('--start-rate', `is above --max-rate (${maxRatePerSec}/s)`, flags.startRate)
  const stepDurationMs = duration('--step-duration', flags.stepDuration, D.stepDuration)
  const warmupMs = duration('--warmup', flags.warmup, D.warmup, true)
  const maxDurationMs = duration('--max-duration', flags.maxDuration, D.maxDuration)
  if (stepDurationMs > 0 && maxDurationMs > 0 && maxDurationMs < stepDurationMs + warmupMs) {
    problems.add(
      '--max-duration',
      `is shorter than one step (--warmup + --step-duration = ${(stepDurationMs + warmupMs) / 1000} s)`,
      flags.maxDuration,
    )
  }
  const maxInFlight = Number(flags.maxInFlight ?? D.maxInFlight)
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    problems.add('--max-in-flight', 'expected a whole number ≥ 1', flags.maxInFlight)
  /** A comma-separated list of whole numbers ≥ 1; every bad part is a problem on `flag`. */
  const wholeNumbers = (flag: string, text: string | undefined, expected: string): number[] => {
    const values: number[] = []
    for (const part of text?.split(',') ?? []) {
      const n = Number(part.trim())
      if (!Number.isInteger(n) || n < 1) problems.add(flag, expected, part)
      else values.push(n)
    }
    return values
  }
  const concurrency = wholeNumbers(
    '--concurrency',
    flags.concurrency,
    'expected whole numbers ≥ 1 separated by commas, e.g. 1,2,4,8,16,32',
  )
  if (flags.concurrency !== undefined && new Set(concurrency).size < 3)
    problems.add(
      '--concurrency',
      'the USL fit needs three or more different levels, e.g. 1,2,4,8,16,32',
      flags.concurrency,
    )
  const cpus = wholeNumbers('--cpus', flags.cpus, 'expected whole CPU counts ≥ 1 separated by commas, e.g. 1,2')
  if (flags.cpus !== undefined) {
    if (flags.command === undefined)
      problems.add(
        '--cpus',
        'pins the service loadplan starts: give its --command too, e.g. --command "node app.js"',
        flags.cpus,
      )
    else if (new Set(cpus).size < 2)
      problems.add('--cpus', 'the scaling fit needs two or more different CPU counts, e.g. 1,2', flags.cpus)
  }
  if (flags.command !== undefined && flags.command.trim() === '')
    problems.add('--command', 'expected the command that starts the service, e.g. "node app.js"', flags.command)
  const precision = ratio('--precision', flags.precision, D.precision)
  const maxErrorRatio = ratio('--max-error-ratio', flags.maxErrorRatio, D.maxErrorRatio)
  problems.throwIfAny('Cannot search capacity:')
  return {
    settings: {
      startRatePerSec,
      growthFactor,
      maxRatePerSec,
      precision,
      confirm: flags.confirm ?? true,
      minRatePerSec: D.minRatePerSec,
      stepDurationMs,
      warmupMs,
      maxDurationMs,
      maxErrorRatio,
      maxInFlight,
      maxDroppedRatio: D.maxDroppedRatio,
    },
    concurrency: [...new Set(concurrency)].sort((a, b) => a - b),
    ...(flags.command !== undefined
      ? {service: {command: flags.command, cpus: [...new Set(cpus)].sort((a, b) => a - b)}}
      : {}),
  }
}

export {DEFAULT_SLO} from '../core/capacity/slo.js'
