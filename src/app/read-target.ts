/** A command's target argument: a URL, or a service file read and validated (throws InputError). */
import {parseServiceFile, type ServiceFile} from '../config/service-file.js'
import {readInputFile} from '../io/read-input-file.js'

/** True when the target argument names a service file rather than a URL. */
export function looksLikeServiceFile(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)
}

export function readTarget(target: string | undefined): {url?: string; file?: ServiceFile; fileName?: string} {
  if (target === undefined) return {}
  return looksLikeServiceFile(target) ? {file: readServiceFile(target), fileName: target} : {url: target}
}

export function readServiceFile(path: string): ServiceFile {
  return parseServiceFile(readInputFile(path, 'no such file; give a URL (http://…) or the path of a service file'), path)
}
