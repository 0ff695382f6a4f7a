/**
 * The command boundary's error policy: input problems are the user's to fix (exit 2, no stack);
 * anything else is a bug in loadplan (exit 1, stack shown so it can be reported).
 */
import {InputError} from '../errors.js'
import {EXIT} from './exit-codes.js'

export interface ReportedError {
  message: string
  exitCode: number
}

export function describeError(error: unknown): ReportedError {
  if (error instanceof InputError) {
    return {message: `${error.message}\nSee more help with --help`, exitCode: EXIT.badInput}
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
  return {message: `loadplan hit an internal error; please report it with the command you ran:\n${detail}`, exitCode: EXIT.bug}
}

/** Writes the error for the user and returns the exit code: the catch-all of every command. */
export function reportError(error: unknown): number {
  const reported = describeError(error)
  process.stderr.write(`${reported.message}\n`)
  return reported.exitCode
}
