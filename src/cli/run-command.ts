/** The last step of every command: print the document and its warnings, set the exit code. */
import type {AppResult} from '../app/app-result.js'
import type {ExitCode} from '../contracts/errors.js'
import {reportError} from './report-error.js'

/**
 * Runs one command's work and sets `process.exitCode` from it; errors become messages (see
 * report-error). Never throws.
 * @param heading what the command does, for data errors: `Cannot plan:`
 */
export async function runCommand(heading: string, work: () => Promise<ExitCode> | ExitCode): Promise<void> {
  try {
    process.exitCode = await work()
  } catch (error) {
    process.exitCode = reportError(error, heading)
  }
}

/** Writes the warnings to stderr and `text` to stdout; returns the result's exit code. */
export function emit(result: AppResult<unknown>, text: string): ExitCode {
  for (const warning of result.warnings) process.stderr.write(`${warning}\n`)
  process.stdout.write(text)
  return result.exitCode
}

/** Stdout is a person's terminal (not piped, not CI): the views drawn with Ink go there. */
export function interactiveStdout(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI
}

/** Colour on a terminal unless NO_COLOR is set. */
export function stdoutColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR
}
