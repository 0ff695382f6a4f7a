/**
 * Progress lines on stderr for work with no live view: redrawn in place on a terminal (and cleared
 * when the work ends), one plain line each otherwise, so a CI log keeps them.
 */
export interface ProgressLines {
  show(line: string): void
  /** Clears a line drawn in place, so what follows starts on a clean line. */
  end(): void
}

export function progressLines(stream: NodeJS.WriteStream, interactive = stream.isTTY === true): ProgressLines {
  let drawn = false
  return {
    show(line) {
      if (interactive) {
        stream.write(`\r\x1b[2K${line}`)
        drawn = true
      } else stream.write(`${line}\n`)
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K')
      drawn = false
    },
  }
}
