/** What every application function returns: a document for src/report to render, never printed here. */
import type {ExitCode} from '../contracts/errors.js'

export interface AppResult<D> {
  /** The command's result as plain data (rendered as a table, JSON, CSV, … by the command). */
  document: D
  /** Lines for stderr, in order: warnings, notes and files that could not be written. */
  warnings: string[]
  exitCode: ExitCode
}
