/** oclif hook for a mistyped command: say so, suggest the nearest command, exit 2 (bad input). */
import type {Hook} from '@oclif/core'
import {EXIT} from '../contracts/errors.js'
import {closest} from '../contracts/format/closest.js'

const hook: Hook.CommandNotFound = async function (options) {
  const ids = options.config.commandIDs.map((id) => id.replaceAll(':', ' '))
  const typed = options.id.replaceAll(':', ' ')
  const suggestion = closest(typed, ids)
  process.stderr.write(
    `"${typed}" is not a loadplan command.${suggestion ? ` Did you mean "loadplan ${suggestion}"?` : ''} See loadplan --help for the commands.\n`,
  )
  this.exit(EXIT.badInput)
}

export default hook
