/** `loadplan run` in-process against real servers on 127.0.0.1: outputs, files and exit codes. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, unusedPort, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-cli-'))

describe('loadplan run', () => {
  it('prints a summary table and exits 0', async () => {
    server = await startServer()
    const {code, stdout} = await runInProcess(['run', `${server.url}/`, '-a', '200', '-c', '4'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/latency\s+│\s+p50/)
    expect(stdout).toMatch(/corrected/)
    expect(stdout).toMatch(/requests\s+200 completed/)
    expect(stdout).toMatch(/status\s+200: 200/)
  })

  it('fails (exit 3) and says why when no request got a response, unless --allow-no-response', async () => {
    // Given a port nothing listens on, and no thresholds
    const url = `http://127.0.0.1:${await unusedPort()}/`
    const refused = await runInProcess(['run', url, '-c', '2', '-a', '20', '--json'])
    // Then the run fails, names the reason, and still prints its result
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/no request got a response: all 20 failed \(100 % refused\)/)
    expect(JSON.parse(refused.stdout).totals.completed).toBe(0)
    // And a run that expects it passes, with the warning kept
    const allowed = await runInProcess(['run', url, '-c', '2', '-a', '20', '--json', '--allow-no-response'])
    expect(allowed.code).toBe(0)
    expect(allowed.stderr).toContain('no request got a response')
  })

  it('exits 3 and names the failed threshold, its value and its limit', async () => {
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 30))
    const {code, stderr, stdout} = await runInProcess([
      'run',
      `${server.url}/`,
      '-a',
      '50',
      '-c',
      '5',
      '--threshold',
      'p99<5ms',
      '--threshold',
      'errors<1%',
    ])
    expect(code).toBe(3)
    const line = /threshold failed: p99<5ms {2}p99 was (\d+(?:\.\d+)?) ms, limit < 5\.00 ms/.exec(stderr)
    expect(line, stderr).not.toBeNull()
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(30) // the server's own 30 ms
    expect(stderr).not.toContain('errors<1%')
    expect(stdout).toMatch(/✗ FAIL {2}p99<5ms/)
    expect(stdout).toMatch(/✓ pass {2}errors<1%/)
  })

  it('reports every input problem at once, exits 2, and shows no stack trace', async () => {
    const {code, stderr, stdout} = await runInProcess([
      'run',
      'ftp://nowhere',
      '-c',
      '0',
      '-d',
      'soon',
      '--threshold',
      'p99 ~ 1',
      '--rate',
      '10',
      '--arrival-rate',
      '5',
    ])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    for (const field of ['url:', '--connections:', '--duration:', '--threshold[0]:', '--rate:'])
      expect(stderr).toContain(field)
    expect(stderr).toContain('(got "0")')
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('reports problems in a service file with their fields', async () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 'bad.yaml'),
      'target: http://127.0.0.1:1\nload: { model: arrival-rate, stages: [ { duration: 10, target: -5 } ], conections: 4 }\n',
    )
    const {code, stderr} = await runInProcess(['run', join(dir, 'bad.yaml')])
    expect(code).toBe(2)
    expect(stderr).toContain('load.conections: unknown key')
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses an --out path it could not write before sending any load', async () => {
    server = await startServer()
    const {code, stderr} = await runInProcess([
      'run',
      `${server.url}/`,
      '-a',
      '10',
      '--out',
      '/nonexistent-dir/result.json',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain('--out: the folder /nonexistent-dir does not exist')
    expect(server.count).toBe(0)
  })

  it('writes JUnit and Markdown reports and appends to GITHUB_STEP_SUMMARY', async () => {
    server = await startServer()
    const dir = tmp()
    const summary = join(dir, 'step-summary.md')
    writeFileSync(summary, '# earlier step\n')
    const {code} = await runInProcess(
      [
        'run',
        `${server.url}/`,
        '-a',
        '20',
        '-c',
        '2',
        '--threshold',
        'p99<1ms',
        '--junit',
        join(dir, 'r.xml'),
        '--markdown',
        join(dir, 'r.md'),
      ],
      {env: {GITHUB_STEP_SUMMARY: summary}},
    )
    expect([0, 3]).toContain(code)
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(
      /<testcase name="p99&lt;1ms" classname="loadplan.thresholds"/,
    )
    const markdown = readFileSync(join(dir, 'r.md'), 'utf8')
    expect(markdown).toMatch(/^### loadplan run: /)
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${markdown}\n`)
  })

  it('redacts secrets in every output', async () => {
    server = await startServer()
    const out = join(tmp(), 'result.json')
    const {code, stdout} = await runInProcess([
      'run',
      `${server.url}/?api_key=s3cr3t-q&page=1`,
      '-a',
      '10',
      '-c',
      '1',
      '-H',
      'Authorization: Bearer s3cr3t-h',
      '-H',
      'Cookie: sid=s3cr3t-c',
      '--json',
      '--out',
      out,
    ])
    expect(code).toBe(0)
    for (const text of [stdout, readFileSync(out, 'utf8')]) {
      expect(text).not.toContain('s3cr3t')
      expect(text).toContain('[redacted]')
    }
  })
})
