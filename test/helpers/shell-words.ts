/** Words of a command line as a POSIX shell splits it (plain words and single-quoted ones, as loadplan prints them). */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string),
  )
}
