/** A command's target argument: a URL, or a service file read and validated (throws InputError). */
import {InputError} from '../contracts/errors.js'
import {resolveRunOptions} from '../config/run/resolve-run-options.js'
import {type RunFlags} from '../config/run/run-flags.js'
import type {ServiceFile} from '../config/service-file.js'
import type {RunOptions} from '../core/engine/run-options.js'
import {readBodyFile} from '../adapters/io/read-body-file.js'
import {readDataFile} from '../adapters/io/read-data-file.js'
import {readInputFile} from '../adapters/io/read-input-file.js'
import {readOpenFileLimit} from '../adapters/io/read-open-file-limit.js'

/** True when the target argument names a service file rather than a URL. */
export function looksLikeServiceFile(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)
}

export async function readTarget(
  target: string | undefined,
): Promise<{url?: string; file?: ServiceFile; fileName?: string}> {
  if (target === undefined) return {}
  return looksLikeServiceFile(target) ? {file: await readServiceFile(target), fileName: target} : {url: target}
}

/**
 * Service files larger than this are refused before parsing: YAML took up to 1 s and 70 MB of
 * memory per MiB here, and what makes a file this large is a body, which belongs in bodyFile:.
 */
export const MAX_SERVICE_FILE_BYTES = 32 * 1024 * 1024

/** Reads and validates a service file. The parser (YAML and zod) loads only when a file is given. */
export async function readServiceFile(path: string): Promise<ServiceFile> {
  const text = readInputFile(path, 'no such file; give a URL (http://…) or the path of a service file')
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_SERVICE_FILE_BYTES)
    throw new InputError(`Cannot read ${path}:`, [
      {
        field: path,
        message: `${(bytes / 2 ** 20).toFixed(0)} MiB; a service file holds at most 32 MiB: put large request bodies in files (bodyFile: upload.bin) and split very long journeys`,
      },
    ])
  const {parseServiceFile} = await import('../config/service-file.js')
  return parseServiceFile(text, path)
}

/**
 * What `run` and `capacity` send: the target read, then the run options resolved over it with the
 * data file, this host's open-file limit and loadplan's User-Agent.
 */
export async function readLoadOptions(input: {
  target: string | undefined
  flags: RunFlags
  toolVersion: string
  defaultSeed: number
  env?: Readonly<Record<string, string | undefined>>
}): Promise<{options: RunOptions; file?: ServiceFile; fileName?: string}> {
  const {url, file, fileName} = await readTarget(input.target)
  // The .proto reader (protobufjs, 70 ms) loads only for a file with gRPC scenarios.
  const describeGrpcMethod = file?.scenarios?.some((scenario) => scenario.grpc)
    ? (await import('../adapters/io/describe-grpc-method.js')).describeGrpcMethod
    : undefined
  const options = resolveRunOptions({
    url,
    file,
    fileName,
    flags: input.flags,
    loadDataFile: readDataFile,
    loadBodyFile: readBodyFile,
    ...(describeGrpcMethod ? {describeGrpcMethod} : {}),
    defaultSeed: input.defaultSeed,
    openFileLimit: readOpenFileLimit(),
    userAgent: `loadplan/${input.toolVersion}`,
    nowEpochMs: Date.now(),
    env: input.env ?? process.env,
  })
  return {options, file, fileName}
}
