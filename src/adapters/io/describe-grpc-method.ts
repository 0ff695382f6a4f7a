/**
 * Reads a .proto file (and its imports) to check a gRPC scenario before the run: the method
 * exists, what kind of call it is, and the fields its request message has. The engine reads the
 * same file the same way (loadProtoFile) in each thread.
 */
import {resolve} from 'node:path'
import {loadSync, type MethodDefinition} from '@grpc/proto-loader'
import {loadProtoFile} from '../../core/engine/load-proto-file.js'
import type {GrpcCallKind} from '../../core/engine/run-options.js'

export interface GrpcMethodInfo {
  /** Absolute, so that every worker and shard reads the same file. */
  protoFile: string
  includeDirs: string[]
  service: string
  method: string
  call: GrpcCallKind
  /** The request message's fields, by their JSON names. */
  requestFields: string[]
}

interface MessageDescriptor {
  field?: Array<{name: string}>
}

/** `package.Service/Method` (or `package.Service.Method`, as grpcurl takes it). */
function splitMethod(text: string): [string, string] | undefined {
  const at = text.includes('/') ? text.lastIndexOf('/') : text.lastIndexOf('.')
  if (at <= 0 || at === text.length - 1) return undefined
  return [text.slice(0, at).replace(/^\//, ''), text.slice(at + 1)]
}

export function describeGrpcMethod(
  protoFile: string,
  importPaths: readonly string[],
  methodText: string,
): GrpcMethodInfo | {error: string; field: 'proto' | 'method'} {
  const names = splitMethod(methodText)
  if (!names) return {field: 'method', error: 'expected package.Service/Method, e.g. helloworld.Greeter/SayHello'}
  const includeDirs = importPaths.map((dir) => resolve(dir))
  const file = resolve(protoFile)
  let definition: ReturnType<typeof loadSync>
  try {
    definition = loadProtoFile(loadSync, file, includeDirs)
  } catch (error) {
    const {code, path} = error as NodeJS.ErrnoException
    const what = path === undefined || resolve(path) === file ? 'the .proto file' : `${path}, which it imports`
    return {
      field: 'proto',
      error: code
        ? `cannot read ${what} (${code}); check the path (relative to where loadplan runs${what === 'the .proto file' ? '' : ', or importPaths'})`
        : `not a .proto file loadplan can read: ${(error as Error).message.split('\n')[0]}`,
    }
  }
  const [service, method] = names
  const services = Object.entries(definition)
    .filter(([, value]) => typeof value === 'object' && !('format' in value))
    .map(([name]) => name)
  const methods = definition[service] as Record<string, MethodDefinition<object, object>> | undefined
  if (!methods || !services.includes(service))
    return {field: 'method', error: `no service "${service}" in the file; it has ${services.join(', ') || 'none'}`}
  const found = methods[method]
  if (!found)
    return {field: 'method', error: `${service} has no method "${method}"; it has ${Object.keys(methods).join(', ')}`}
  const call: GrpcCallKind = found.requestStream
    ? found.responseStream
      ? 'bidi'
      : 'client-stream'
    : found.responseStream
      ? 'server-stream'
      : 'unary'
  const descriptor = (found.requestType as {type?: MessageDescriptor}).type
  return {
    protoFile: file,
    includeDirs,
    service,
    method,
    call,
    requestFields: (descriptor?.field ?? []).map((f) => f.name),
  }
}
