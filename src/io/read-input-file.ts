/** Reads a text file the user named; a file that cannot be read is bad input (exit 2), not a crash. */
import {readFileSync} from 'node:fs'
import {InputError} from '../errors.js'

/**
 * @param missing what to say when the file does not exist
 * @throws InputError naming the path and the reason
 */
export function readInputFile(path: string, missing: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(`Cannot read ${path}:`, [{field: path, message: code === 'ENOENT' ? missing : `cannot be read (${code ?? (error as Error).message})`}])
  }
}
