/** Explicit command discovery: every command loadplan has, by id. */
import Capacity from './capacity.js'
import Report from './report.js'
import Run from './run.js'

export const COMMANDS = {
  capacity: Capacity,
  report: Report,
  run: Run,
}
