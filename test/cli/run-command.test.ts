/** `loadplan run` as a user runs it: the built binary, real servers on 127.0.0.1, exit codes. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/results/run-result.js'
import {runCli, startCli} from '../helpers/cli.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-cli-'))

describe('loadplan --help', () => {
  it('lists the commands', async () => {
    const {code, stdout} = await runCli(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/run\s+Send HTTP load/)
  })

  it('teaches every flag of run with a default and an example', async () => {
    const {code, stdout} = await runCli(['run', '--help'])
    expect(code).toBe(0)
    const flagBlocks = stdout.split('FLAGS')[1]?.split('DESCRIPTION')[0]?.split(/\n(?= {2}-\w, --| {6}--)/).slice(1) ?? []
    expect(flagBlocks.length).toBeGreaterThanOrEqual(25)
    for (const block of flagBlocks) {
      const text = block.replace(/\s+/g, ' ')
      expect(text, text).toMatch(/Default: /)
      expect(text, text).toMatch(/Example: /)
    }
    expect(stdout).toContain('EXAMPLES')
  })
})

describe('loadplan run', () => {
  it('prints a summary table and exits 0', async () => {
    server = await startServer()
    const {code, stdout} = await runCli(['run', `${server.url}/`, '-a', '200', '-c', '4'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/latency\s+│\s+p50/)
    expect(stdout).toMatch(/corrected/)
    expect(stdout).toMatch(/requests\s+200 completed/)
    expect(stdout).toMatch(/status\s+200: 200/)
  })

  it('splits the load over --workers 2 and merges the totals exactly', async () => {
    server = await startServer()
    const {code, stdout} = await runCli(['run', `${server.url}/`, '-a', '1000', '-c', '4', '-w', '2', '--json'])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(server.count).toBe(1000)
    expect(result.totals.completed).toBe(1000)
    expect(result.latency.corrected.count).toBe(1000)
    expect(result.options.workers).toBe(2)
  })

  it('exits 3 and names the failed threshold, its value and its limit', async () => {
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 30))
    const {code, stderr, stdout} = await runCli(['run', `${server.url}/`, '-a', '50', '-c', '5', '--threshold', 'p99<5ms', '--threshold', 'errors<1%'])
    expect(code).toBe(3)
    const line = /threshold failed: p99<5ms {2}p99 was (\d+(?:\.\d+)?) ms, limit < 5\.00 ms/.exec(stderr)
    expect(line, stderr).not.toBeNull()
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(30) // the server's own 30 ms
    expect(stderr).not.toContain('errors<1%')
    expect(stdout).toMatch(/✗ FAIL {2}p99<5ms/)
    expect(stdout).toMatch(/✓ pass {2}errors<1%/)
  })

  it('reports every input problem at once, exits 2, and shows no stack trace', async () => {
    const {code, stderr, stdout} = await runCli(['run', 'ftp://nowhere', '-c', '0', '-d', 'soon', '--threshold', 'p99 ~ 1', '--rate', '10', '--arrival-rate', '5'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    for (const field of ['url:', '--connections:', '--duration:', '--threshold[0]:', '--rate:']) expect(stderr).toContain(field)
    expect(stderr).toContain('(got "0")')
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('reports problems in a service file with their fields', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'bad.yaml'), 'target: http://127.0.0.1:1\nload: { model: arrival-rate, stages: [ { duration: 10, target: -5 } ], conections: 4 }\n')
    const {code, stderr} = await runCli(['run', join(dir, 'bad.yaml')])
    expect(code).toBe(2)
    expect(stderr).toContain('load.conections: unknown key')
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses an --out path it could not write before sending any load', async () => {
    server = await startServer()
    const {code, stderr} = await runCli(['run', `${server.url}/`, '-a', '10', '--out', '/nonexistent-dir/result.json'])
    expect(code).toBe(2)
    expect(stderr).toContain('--out: the folder /nonexistent-dir does not exist')
    expect(server.count).toBe(0)
  })

  it('rejects an unknown flag with exit 2', async () => {
    const {code, stderr} = await runCli(['run', 'http://127.0.0.1:1/', '--conections', '5'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/Nonexistent flag: --conections/)
  })

  it('writes JUnit and Markdown reports and appends to GITHUB_STEP_SUMMARY', async () => {
    server = await startServer()
    const dir = tmp()
    const summary = join(dir, 'step-summary.md')
    writeFileSync(summary, '# earlier step\n')
    const {code} = await runCli(['run', `${server.url}/`, '-a', '20', '-c', '2', '--threshold', 'p99<1ms', '--junit', join(dir, 'r.xml'), '--markdown', join(dir, 'r.md')], {GITHUB_STEP_SUMMARY: summary})
    expect([0, 3]).toContain(code)
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(/<testcase name="p99&lt;1ms" classname="loadplan.thresholds"/)
    const markdown = readFileSync(join(dir, 'r.md'), 'utf8')
    expect(markdown).toMatch(/^### loadplan run: /)
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${markdown}\n`)
  })

  it('redacts secrets in every output', async () => {
    server = await startServer()
    const out = join(tmp(), 'result.json')
    const {code, stdout} = await runCli(['run', `${server.url}/?api_key=s3cr3t-q&page=1`, '-a', '10', '-c', '1', '-H', 'Authorization: Bearer s3cr3t-h', '-H', 'Cookie: sid=s3cr3t-c', '--json', '--out', out])
    expect(code).toBe(0)
    for (const text of [stdout, readFileSync(out, 'utf8')]) {
      expect(text).not.toContain('s3cr3t')
      expect(text).toContain('[redacted]')
    }
  })

  it('on SIGINT stops, writes the partial result and exits 130', async () => {
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 5))
    const out = join(tmp(), 'partial.json')
    const {child, done} = startCli(['run', `${server.url}/`, '-d', '60s', '-c', '4', '--out', out])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    child.kill('SIGINT')
    const {code, stdout} = await done
    expect(code).toBe(130)
    expect(stdout).toContain('interrupted: partial result')
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult
    expect(result.stopReason).toBe('interrupted')
    expect(result.totals.completed).toBeGreaterThan(50)
    expect(result.durationMs).toBeLessThan(10_000)
  })

  it('runs the bundled example plan against the embedded demo server', async () => {
    const {code, stdout} = await runCli(['run', '--demo', '--stage', '2s:100', '--json', '--quiet'])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(result.service).toBe('checkout-api')
    // By hand: a ramp 0 → 100/s over 2 s is 100 arrivals.
    expect(result.totals.sent + result.totals.dropped).toBe(100)
    expect(result.thresholds.map((t) => t.expression)).toEqual(['p99 < 250ms', 'errors < 1%'])
  })
})
