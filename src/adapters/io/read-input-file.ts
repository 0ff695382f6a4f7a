/** Reads a text file the user named; a file that cannot be read is bad input (exit 2), not a crash. */
import {readFileSync} from 'node:fs'
import {InputError} from '../../contracts/errors.js'

/**
 * @param missing what to say when the file does not exist
 * @throws InputError naming the path and the reason
 */
export function readInputFile(path: string, missing: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(`Cannot read ${path}:`, [
      {field: path, message: code === 'ENOENT' ? missing : `cannot be read (${code ?? (error as Error).message})`},
    ])
  }
}

/**
 * Reads and parses a JSON file the user named.
 * @param writtenBy what writes such a file, for the message when it is not JSON
 * @returns the parsed value, or why it cannot be used
 */
export function readJsonFile(path: string, writtenBy: string): {data: unknown} | {error: string} {
  try {
    return {data: JSON.parse(readFileSync(path, 'utf8')) as unknown}
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      error: code
        ? `cannot read it (${code})`
        : `not JSON (${(error as Error).message}); give a file written by ${writtenBy}`,
    }
  }
}
