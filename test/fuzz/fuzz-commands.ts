/** Runs a command in-process on a fuzzed input and checks the outcome contract. */
import {expect} from 'vitest'
import {runInProcess, type CommandOutcome} from '../helpers/in-process.js'
import {HANG_MS} from './fuzz-settings.js'

/** Text no report should ever print: a value that escaped its formatter. */
const ESCAPED_VALUE = /\bundefined\b|\[object Object\]|\$NaN|\$∞|NaN%/

/**
 * oclif's own errors (a flag it cannot parse) propagate from an in-process run: the binary's
 * handler prints them and exits with their code. Anything else is a crash and fails the test.
 */
function oclifOutcome(error: unknown): CommandOutcome {
  const exit = (error as {oclif?: {exit?: number}}).oclif?.exit
  if (exit === undefined) throw error
  return {code: exit, stdout: '', stderr: (error as Error).message}
}

/**
 * Exit 0 (or 3, thresholds failed) with output free of escaped values, or exit 2 with one message;
 * never a stack trace or an internal error, never longer than HANG_MS (commands get 4×: a forecast
 * backtests several models).
 */
/** Exit codes seen, per command: printed with FUZZ_STATS=1 to show the fuzzing reaches past validation. */
export const exitCodesSeen = new Map<string, Record<number, number>>()

export async function expectCleanExit(args: string[]): Promise<CommandOutcome> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hang: loadplan ${args.join(' ')} took longer than ${4 * HANG_MS} ms`)),
      4 * HANG_MS,
    )
  })
  try {
    const outcome = await Promise.race([runInProcess(args).catch(oclifOutcome), hang])
    const context = `loadplan ${args.join(' ')}\n${outcome.stderr}`
    const seen = exitCodesSeen.get(args[0] as string) ?? {}
    seen[outcome.code] = (seen[outcome.code] ?? 0) + 1
    exitCodesSeen.set(args[0] as string, seen)
    expect([0, 2, 3], context).toContain(outcome.code)
    expect(outcome.stderr, context).not.toMatch(/internal error|\n\s+at .*:\d+/)
    if (outcome.code === 2) expect(outcome.stderr.trim().length, context).toBeGreaterThan(0)
    else expect(outcome.stdout, context).not.toMatch(ESCAPED_VALUE)
    return outcome
  } finally {
    clearTimeout(timer)
  }
}

if (process.env.FUZZ_STATS) {
  const {afterAll} = await import('vitest')
  afterAll(() => console.log('exit codes by command:', JSON.stringify(Object.fromEntries(exitCodesSeen))))
}
