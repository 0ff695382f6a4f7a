/** Output files: checked before a run starts, so a long run never ends in an unwritable path. */
import {accessSync, appendFileSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

/** Why `path` cannot be written, or undefined when it can. */
export function checkWritable(path: string): string | undefined {
  const full = resolve(path)
  const dir = dirname(full)
  if (!existsSync(dir)) return `the folder ${dir} does not exist; create it or choose another path`
  try {
    if (existsSync(full)) {
      if (statSync(full).isDirectory()) return 'is a folder; give a file name such as result.json'
      accessSync(full, constants.W_OK)
    } else accessSync(dir, constants.W_OK)
  } catch (error) {
    return `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  }
  return undefined
}

/** The temporary file a write goes to before it replaces `path`: beside it, so the rename is atomic. */
export const temporaryPathFor = (path: string) => `${path}.loadplan-partial`

/**
 * Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so an
 * older file at `path` survives a full disk or a failed write. Returns why it failed instead of
 * throwing, so callers can keep the data.
 */
export function writeTextFile(path: string, text: string): string | undefined {
  const temporary = temporaryPathFor(path)
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, path)
    return undefined
  } catch (error) {
    try {
      rmSync(temporary, {force: true})
    } catch {
      // A temporary that cannot be removed (a folder in its place) is left; the old file is intact.
    }
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message
  }
}

/** Appends to a file; returns why it failed instead of throwing. */
export function appendTextFile(path: string, text: string): string | undefined {
  try {
    appendFileSync(path, text)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
