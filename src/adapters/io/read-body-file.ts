/**
 * Reads a request body file (`bodyFile:` or `--body-file`) once, as bytes: every request sends the
 * same buffer, so a 50 MB upload costs 50 MB however many requests are in flight.
 */
import {readFileSync, statSync} from 'node:fs'

/** Larger bodies belong to a streaming upload test, not to a buffer held for the whole run. */
export const MAX_BODY_FILE_BYTES = 1024 * 1024 * 1024

export function readBodyFile(path: string): {bytes: Uint8Array} | {error: string} {
  try {
    const {size} = statSync(path)
    if (size > MAX_BODY_FILE_BYTES)
      return {error: `the body file has ${(size / 2 ** 20).toFixed(0)} MiB; at most 1024 MiB is sent`}
    return {bytes: readFileSync(path)}
  } catch (error) {
    return {
      error: `cannot read the body file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path`,
    }
  }
}
