/**
 * The .proto files a gRPC scenario loads: the file itself and every file it imports, found the way
 * proto-loader finds them (each import directory in order, then the importing file's own
 * directory), so that `loadplan k8s` can ship them all to the shards.
 */
import {accessSync, constants, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

/** Imports protobufjs answers from its own copies (the well-known types): no file is read. */
const WELL_KNOWN_IMPORT = /^google\/protobuf\//

export interface ProtoFile {
  absolutePath: string
  /** Relative to the working directory (starts with .. when outside it). */
  path: string
  text: string
}

/** `import "x.proto";` (also `public`, `weak`, single quotes) outside comments. */
export function protoImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '')
  return [...code.matchAll(/(?:^|;|\s)import\s+(?:public\s+|weak\s+)?(["'])([^"'\n]+)\1\s*;/g)].map(
    (match) => match[2] as string,
  )
}

const readable = (path: string): boolean => {
  try {
    accessSync(path, constants.R_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Every file `protoFile` loads, itself first, each once, well-known types left out.
 * @param importPaths the scenario's import directories, relative to the working directory
 * @returns the files, or the first import that cannot be found or read
 */
export function protoImportClosure(
  protoFile: string,
  importPaths: readonly string[],
): {files: ProtoFile[]} | {error: string} {
  const includeDirs = importPaths.map((dir) => resolve(dir))
  const files: ProtoFile[] = []
  const seen = new Set<string>()
  const pending: {absolutePath: string; importedBy?: string}[] = [{absolutePath: resolve(protoFile)}]
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const {absolutePath, importedBy} = next
    if (seen.has(absolutePath)) continue
    seen.add(absolutePath)
    let text: string
    try {
      text = readFileSync(absolutePath, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      return {error: `cannot read ${absolutePath}${importedBy ? `, imported by ${importedBy}` : ''} (${code})`}
    }
    files.push({absolutePath, path: relative(process.cwd(), absolutePath), text})
    for (const name of protoImports(text)) {
      if (WELL_KNOWN_IMPORT.test(name)) continue
      const candidates = [...includeDirs.map((dir) => join(dir, name)), resolve(dirname(absolutePath), name)]
      const found = candidates.find(readable)
      if (found === undefined)
        return {
          error: `${absolutePath} imports ${name}, found in none of ${candidates.map((c) => dirname(c)).join(', ')}; add its directory to importPaths`,
        }
      pending.push({absolutePath: found, importedBy: absolutePath})
    }
  }
  return {files}
}
