/** Output files: checked before a run starts, so a long run never ends in an unwritable path. */
import {accessSync, appendFileSync, constants, existsSync, statSync, writeFileSync} from 'node:fs'
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

/** Writes a file; returns why it failed instead of throwing, so callers can keep the data. */
export function writeTextFile(path: string, text: string): string | undefined {
  try {
    writeFileSync(path, text)
    return undefined
  } catch (error) {
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
