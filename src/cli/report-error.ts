/**
 * The command boundary's error policy: what the user can fix (a LoadplanError) gets its message and
 * its exit code, no stack; anything else is a bug in loadplan (exit 1, stack shown so it can be
 * reported).
 */
import {DataError, EXIT, InputError, LoadplanError, type ExitCode} from '../contracts/errors.js'

export interface ReportedError {
  message: string
  exitCode: ExitCode
}

/** @param heading what the command was doing, e.g. `Cannot plan:` (prefixes data errors) */
export function describeError(error: unknown, heading?: string): ReportedError {
  if (error instanceof InputError)
    return {message: `${error.message}\nSee more help with --help`, exitCode: error.exitCode}
  if (error instanceof DataError)
    return {message: heading ? `${heading} ${error.message}` : error.message, exitCode: error.exitCode}
  if (error instanceof LoadplanError) return {message: error.message, exitCode: error.exitCode}
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
  return {
    message: `loadplan hit an internal error; please report it with the command you ran:\n${detail}`,
    exitCode: EXIT.bug,
  }
}

/** Writes the error for the user and returns the exit code: the catch-all of every command. */
export function reportError(error: unknown, heading?: string): ExitCode {
  const reported = describeError(error, heading)
  process.stderr.write(`${reported.message}\n`)
  return reported.exitCode
}
