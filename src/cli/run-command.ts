/** The last step of every command: print the document and its warnings, set the exit code. */
import type {AppResult} from '../app/app-result.js'
import type {ExitCode} from '../contracts/errors.js'
import {reportError} from './report-error.js'
import {DEFAULT_TEXT_COLUMNS, wrapText} from '../contracts/format/wrap-text.js'

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

/**
 * How wide text output may be on a stream: the terminal's width, else $COLUMNS, else 100 (piped
 * output and CI logs).
 */
export function textColumns(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns) return stream.columns
  const fromEnv = Number(process.env.COLUMNS)
  return Number.isInteger(fromEnv) && fromEnv >= 40 ? fromEnv : DEFAULT_TEXT_COLUMNS
}

/** Writes the warnings to stderr (wrapped to its width) and `text` to stdout; returns the result's exit code. */
export function emit(result: AppResult<unknown>, text: string): ExitCode {
  const columns = textColumns(process.stderr)
  for (const warning of result.warnings) process.stderr.write(`${wrapText(warning, columns, 4)}\n`)
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
