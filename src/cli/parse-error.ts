/**
 * oclif's flag and argument errors, made short: the error, the nearest flag for a mistyped one,
 * and where the help is. oclif prints the command's whole help under them (a hundred lines for
 * `run`), which buries the one line that says what was wrong.
 */
import {closest} from '../contracts/format/closest.js'

interface ParseErrorLike {
  message: string
  showHelp?: boolean
  /** NonExistentFlagsError: the flags as typed, e.g. `--duraton` or `-n`. */
  flags?: string[]
  parse?: {input?: {flags?: Record<string, {char?: string}>}}
}

/** The flag the user most likely meant: `--duraton` → `--duration`. */
export function nearestFlag(typed: string, flags: Record<string, {char?: string}>): string | undefined {
  const name = typed.replace(/^-+/, '').split('=')[0] ?? ''
  if (!typed.startsWith('--')) return undefined
  const match = closest(name, Object.keys(flags), name.length <= 4 ? 1 : 2)
  return match === undefined ? undefined : `--${match}`
}

/** Turns off oclif's help dump on `error` and names the nearest flag; other errors are left alone. */
export function shortenParseError(error: unknown, commandId: string | undefined): void {
  const parseError = error as ParseErrorLike | undefined
  if (!parseError?.showHelp) return
  parseError.showHelp = false
  const defined = parseError.parse?.input?.flags ?? {}
  const hints = (parseError.flags ?? []).flatMap((typed) => {
    const near = nearestFlag(typed, defined)
    return near ? [`${typed}: did you mean ${near}?`] : []
  })
  const help = `loadplan ${commandId ? `${commandId} ` : ''}--help lists every flag with an example`
  parseError.message = [parseError.message.replace(/\nSee more help with --help$/, ''), ...hints, help].join('\n')
}
