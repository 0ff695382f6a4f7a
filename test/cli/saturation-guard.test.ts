/**
 * The saturation guard (issue 33): a generator starved of CPU (pinned by taskset onto a core that
 * a real-time busy loop holds from its first request on) says so in its result and summary, and
 * its thresholds fail even though the numbers would pass; a generator given its CPU (a higher
 * priority than whatever else runs here) is not marked. Needs taskset, chrt and root (this
 * machine's CI has them).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'
import {BIN} from '../helpers/cli.js'

const canPin = spawnSync('sh', ['-c', 'command -v taskset && command -v chrt && test "$(id -u)" = 0']).status === 0

let server: LocalServer
/** Set before a run that is to be starved: the first request it sends starts the starving loop. */
let starveOnFirstRequest = false
let starver: ChildProcess | undefined
beforeAll(async () => {
  server = await startServer((_q, s) => {
    if (starveOnFirstRequest) {
      starveOnFirstRequest = false
      // A real-time busy loop on CPU 0 from the first request on (loadplan is running by then):
      // the kernel leaves other tasks there 50 ms a second, so loadplan's loop runs ~950 ms late.
      starver = spawn(
        'chrt',
        [
          '-f',
          '1',
          'taskset',
          '-c',
          '0',
          process.execPath,
          '-e',
          'const end = Date.now() + 4000; while (Date.now() < end) {}',
        ],
        {stdio: 'ignore'},
      )
    }
    s.end('ok')
  })
})
afterAll(async () => {
  starver?.kill('SIGKILL')
  await server.close()
})

/** `loadplan run` in its own process, pinned to CPU 0 at niceness `nice`. */
function run(args: string[], nice: number): Promise<{code: number | null; stdout: string; stderr: string}> {
  const child = spawn('nice', ['-n', String(nice), 'taskset', '-c', '0', process.execPath, BIN, ...args], {
    env: {...process.env, CI: 'true', NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
}

/** Runs `work` with CPU 0 taken from it from its first request on, for 4 s. */
async function starved<T>(work: () => Promise<T>): Promise<T> {
  starveOnFirstRequest = true
  try {
    return await work()
  } finally {
    starver?.kill('SIGKILL')
  }
}

const RUN = (url: string) => ['run', url, '--arrival-rate', '500/s', '-d', '2s', '--threshold', 'p99<30s']

describe.runIf(canPin)('saturation guard (issue 33)', () => {
  it('a generator starved on a busy core is marked saturated, and its passing threshold fails', async () => {
    const out = await starved(() => run([...RUN(server.url), '--json'], 0))
    const result = JSON.parse(out.stdout) as RunResult
    expect(result.generator?.saturated, JSON.stringify(result.generator)).toBe(true)
    // The threshold itself held (p99 under 30 s): the run fails only for the saturation.
    expect(result.thresholds.every((t) => t.passed)).toBe(true)
    expect(out.code).toBe(3)
    expect(out.stderr).toMatch(/warning: (the load generator was saturated|loadplan sent arrivals late)/)
    expect(out.stderr).toContain('--allow-saturated judges them anyway')
    const allowed = await starved(() => run([...RUN(server.url), '--allow-saturated'], 0))
    expect(allowed.code).toBe(0)
    expect(allowed.stdout).toContain('SATURATED')
  }, 90_000)

  it('a generator with its CPU is not marked, and its thresholds decide', async () => {
    const out = await run([...RUN(server.url), '--json'], -10)
    const result = JSON.parse(out.stdout) as RunResult
    expect(result.generator?.saturated, JSON.stringify(result.generator)).toBe(false)
    expect(result.generator?.cpuPct).toBeGreaterThan(0)
    expect(out.code).toBe(0)
  }, 60_000)
})
