/**
 * Large request bodies (issue 35: a 52 MB body inline in a service file took 12 s and 1.96 GB to
 * parse). A body file is read once and every request sends the same bytes: the server receives
 * them exactly, flags and file fields conflict loudly, and an oversized service file is refused
 * before YAML parsing starts.
 */
import {createHash, randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {MAX_SERVICE_FILE_BYTES} from '../../src/app/read-target.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {runInProcess} from '../helpers/in-process.js'

const dir = mkdtempSync(join(tmpdir(), 'loadplan-body-file-'))
const digests: string[] = []
const server = createServer((request, response) => {
  const hash = createHash('sha256')
  request.on('data', (chunk: Buffer) => hash.update(chunk))
  request.on('end', () => {
    digests.push(`${request.headers['content-length']} ${hash.digest('hex')}`)
    response.end('ok')
  })
})
let origin = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, {recursive: true, force: true})
})

describe('body files', () => {
  it('sends the same bytes, byte for byte, on every request (service file and --body-file)', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17) // not text: any re-encoding would change it
    const expected = `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`
    writeFileSync(join(dir, 'upload.bin'), bytes)
    writeFileSync(
      join(dir, 'upload.yaml'),
      `target: ${origin}\nscenarios:\n  - name: upload\n    request: {method: PUT, path: /u, bodyFile: ${join(dir, 'upload.bin')}}\nload: {model: connections, connections: 3, amount: 12}\n`,
    )
    digests.length = 0
    const fromFile = await runInProcess(['run', join(dir, 'upload.yaml'), '--json'])
    expect(fromFile.code).toBe(0)
    const result = JSON.parse(fromFile.stdout) as RunResult
    expect(result.totals.completed).toBe(12)
    expect(result.options.scenarios[0]?.hasBody).toBe(true)
    expect(digests).toEqual(Array.from({length: 12}, () => expected))

    digests.length = 0
    const fromFlag = await runInProcess([
      'run',
      `${origin}/u`,
      '-m',
      'POST',
      '--body-file',
      join(dir, 'upload.bin'),
      '-c',
      '2',
      '-a',
      '4',
      '--json',
    ])
    expect(fromFlag.code).toBe(0)
    expect(digests).toEqual(Array.from({length: 4}, () => expected))
  })

  it('refuses a missing file and conflicting bodies, every problem at once', async () => {
    writeFileSync(
      join(dir, 'both.yaml'),
      `target: ${origin}\nscenarios:\n  - name: a\n    request: {method: POST, body: x, bodyFile: ${join(dir, 'upload.bin')}}\n  - name: b\n    request: {method: POST, bodyFile: ${join(dir, 'missing.bin')}}\n`,
    )
    const both = await runInProcess(['run', join(dir, 'both.yaml'), '-a', '1'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('scenarios[0].request.bodyFile')
    expect(both.stderr).toContain('give one of body:, json: and bodyFile:')
    expect(both.stderr).toMatch(/scenarios\[1\]\.request\.bodyFile.*cannot read the body file \(ENOENT\)/)
    const flags = await runInProcess(['run', origin, '--body', 'x', '--body-file', join(dir, 'upload.bin'), '-a', '1'])
    expect(flags.code).toBe(2)
    expect(flags.stderr).toContain('give one of --body, --json-body and --body-file')
    expect(flags.stderr).not.toContain('    at ')
  })

  it('refuses a service file over the bound before parsing it, and says where large bodies go', async () => {
    const file = join(dir, 'huge.yaml')
    writeFileSync(file, `target: ${origin}\nrequest: {method: POST, body: "${'x'.repeat(MAX_SERVICE_FILE_BYTES)}"}\n`)
    const startedMs = performance.now()
    const huge = await runInProcess(['run', file, '-a', '1'])
    expect(huge.code).toBe(2)
    expect(huge.stderr).toContain('a service file holds at most 32 MiB')
    expect(huge.stderr).toContain('bodyFile:')
    // Parsing it would take several seconds and over a gigabyte; refusing it reads it only.
    expect(performance.now() - startedMs).toBeLessThan(5_000)
  })
})
