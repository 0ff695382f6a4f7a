/** How the engine and the checks before a run read a .proto file: one way, in every thread. */
import {dropWarnings} from './drop-warnings.js'
import {PROTO_LOAD_OPTIONS} from './run-options.js'

/**
 * proto-loader's loadSync with PROTO_LOAD_OPTIONS, without its warning "X not found in any of the
 * include paths" for each import it then finds beside the importing file (where protoc finds it
 * too, silently); an import found nowhere still fails the load.
 */
export function loadProtoFile<T>(
  loadSync: (file: string, options: typeof PROTO_LOAD_OPTIONS & {includeDirs: string[]}) => T,
  file: string,
  includeDirs: string[],
): T {
  const restore = dropWarnings((message) => message.includes('not found in any of the include paths'))
  try {
    return loadSync(file, {...PROTO_LOAD_OPTIONS, includeDirs})
  } finally {
    restore()
  }
}
