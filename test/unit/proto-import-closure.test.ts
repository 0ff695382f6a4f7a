import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {loadSync} from '@grpc/proto-loader'
import {afterAll, describe, expect, it} from 'vitest'
import {protoImportClosure, protoImports} from '../../src/adapters/io/proto-import-closure.js'
import {loadProtoFile} from '../../src/core/engine/load-proto-file.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-proto-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function write(path: string, text: string): string {
  mkdirSync(join(dir, path, '..'), {recursive: true})
  writeFileSync(join(dir, path), text)
  return join(dir, path)
}

describe('protoImports', () => {
  it('reads plain, public and weak imports in either quote, and none inside comments', () => {
    const text = [
      'syntax = "proto3";',
      'import "a.proto";',
      "import public 'b/c.proto';",
      'import weak "d.proto"; import "e.proto";',
      '// import "commented.proto";',
      '/* import "block.proto";',
      '   import "block2.proto"; */',
      'message important { string imports = 1; }',
    ].join('\n')
    expect(protoImports(text)).toEqual(['a.proto', 'b/c.proto', 'd.proto', 'e.proto'])
  })
})

describe('protoImportClosure', () => {
  it('follows imports through the import directories first, then beside the importing file, each file once', () => {
    const main = write(
      'app/main.proto',
      'import "lib/types.proto";\nimport "sibling.proto";\nimport "google/protobuf/empty.proto";\n',
    )
    write('app/sibling.proto', 'import "lib/types.proto";\n')
    // Beside main.proto there is also a lib/types.proto: the import directory wins, as in proto-loader.
    write('app/lib/types.proto', 'message Wrong {}\n')
    write('shared/lib/types.proto', 'import "common.proto";\n')
    write('shared/lib/common.proto', 'message Common {}\n')
    const closure = protoImportClosure(main, [join(dir, 'shared')])
    if ('error' in closure) throw new Error(closure.error)
    expect(closure.files.map((f) => relative(dir, f.absolutePath))).toEqual([
      'app/main.proto',
      'shared/lib/types.proto',
      'app/sibling.proto',
      'shared/lib/common.proto',
    ])
    expect(closure.files[1]?.path).toBe(relative(process.cwd(), join(dir, 'shared/lib/types.proto')))
    // proto-loader, given the same file and directories, reads the same ones: Common, not Wrong.
    const definition = loadProtoFile(loadSync, main, [join(dir, 'shared')])
    expect(Object.keys(definition).filter((name) => !name.startsWith('google.'))).toEqual(['Common'])
  })

  it('names an import found nowhere, and where it was looked for', () => {
    const main = write('lost/main.proto', 'import "missing.proto";\n')
    const closure = protoImportClosure(main, [join(dir, 'shared')])
    expect('error' in closure && closure.error).toBe(
      `${main} imports missing.proto, found in none of ${join(dir, 'shared')}, ${join(dir, 'lost')}; add its directory to importPaths`,
    )
  })
})
