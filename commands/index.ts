/** Explicit command discovery: every command loadplan has, by id. */
import Run from './run.js'

export const COMMANDS = {
  run: Run,
}
