/** Output files are written whole or not at all: an older result survives a failed write. */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {temporaryPathFor, writeTextFile} from '../../src/adapters/io/write-output.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-write-'))
  dirs.push(dir)
  return dir
}

describe('writeTextFile', () => {
  it('replaces the file and leaves no temporary beside it', () => {
    const dir = tmp()
    const path = join(dir, 'result.json')
    writeFileSync(path, 'old')
    expect(writeTextFile(path, 'new')).toBeUndefined()
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['result.json'])
  })

  it('keeps the older result whole when the write fails', () => {
    // The write cannot happen: a folder stands where its temporary file would go.
    const dir = tmp()
    const path = join(dir, 'result.json')
    writeFileSync(path, 'the older result')
    mkdirSync(temporaryPathFor(path))
    expect(writeTextFile(path, 'x'.repeat(1000))).toBe('EISDIR')
    expect(readFileSync(path, 'utf8')).toBe('the older result')
  })

  it('says why a file in a missing folder cannot be written', () => {
    expect(writeTextFile(join(tmp(), 'missing', 'result.json'), 'x')).toBe('ENOENT')
  })
})
