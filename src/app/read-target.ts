/** A command's target argument: a URL, or a service file read and validated (throws InputError). */
import type {ServiceFile} from '../config/service-file.js'
import {readInputFile} from '../io/read-input-file.js'

/** True when the target argument names a service file rather than a URL. */
export function looksLikeServiceFile(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)
}

export async function readTarget(target: string | undefined): Promise<{url?: string; file?: ServiceFile; fileName?: string}> {
  if (target === undefined) return {}
  return looksLikeServiceFile(target) ? {file: await readServiceFile(target), fileName: target} : {url: target}
}

/** Reads and validates a service file. The parser (YAML and zod) loads only when a file is given. */
export async function readServiceFile(path: string): Promise<ServiceFile> {
  const text = readInputFile(path, 'no such file; give a URL (http://…) or the path of a service file')
  const {parseServiceFile} = await import('../config/service-file.js')
  return parseServiceFile(text, path)
}
