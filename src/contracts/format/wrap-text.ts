/**
 * Prose lines for a terminal of a given width: long lines break at spaces, and their continuations
 * are indented under the text (a bullet's text, a warning's message), so a reader sees where each
 * item starts. Words longer than the width (a URL) are cut rather than overflow.
 */
import wrapAnsi from 'wrap-ansi'

/** What text output fits when the width is unknown (piped, CI): a common terminal and log width. */
export const DEFAULT_TEXT_COLUMNS = 100

/**
 * Wraps each line of `line` to `columns`, continuation lines indented by `hangingIndent` spaces.
 * @example wrapText('  - a b c d', 7, 4) // => '  - a b\n    c d'
 */
export function wrapText(line: string, columns: number, hangingIndent = 2): string {
  if (line.includes('\n'))
    return line
      .split('\n')
      .map((part) => wrapText(part, columns, hangingIndent))
      .join('\n')
  if (line.length <= columns) return line
  const lead = /^ */.exec(line)?.[0] ?? ''
  const first = wrapAnsi(line.slice(lead.length), columns - lead.length, {hard: true, trim: true}).split('\n')
  const head = `${lead}${first[0] ?? ''}`
  const rest = first.slice(1).join(' ')
  if (rest === '') return head
  const indent = ' '.repeat(hangingIndent < columns - 1 ? hangingIndent : 0)
  const tail = wrapAnsi(rest, columns - indent.length, {hard: true, trim: true})
    .split('\n')
    .map((part) => `${indent}${part}`)
  return [head, ...tail].join('\n')
}
