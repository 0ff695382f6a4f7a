/** Reads a service file from disk; the parsing itself is pure (`src/config/service-file.ts`). */
import {readFileSync} from 'node:fs'
import {InputError} from '../errors.js'
import {parseServiceFile, type ServiceFile} from '../config/service-file.js'

export function readServiceFile(path: string): ServiceFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(`Cannot read ${path}:`, [
      {field: path, message: code === 'ENOENT' ? 'no such file; give a URL (http://…) or the path of a service file' : `cannot be read (${code ?? (error as Error).message})`},
    ])
  }
  return parseServiceFile(text, path)
}

/** True when the target argument names a service file rather than a URL. */
export function looksLikeServiceFile(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)
}

/** A command's target argument: a URL, or a service file read and validated (throws InputError). */
export function readTarget(target: string | undefined): {url?: string; file?: ServiceFile; fileName?: string} {
  if (target === undefined) return {}
  return looksLikeServiceFile(target) ? {file: readServiceFile(target), fileName: target} : {url: target}
}
