/**
 * `capacity --command … --cpus 1,2`: loadplan starts a real CPU-bound service pinned to 1 and then
 * 2 CPUs (taskset), searches each, stops it, and fits Amdahl's serial fraction. A service with one
 * worker per CPU must come out mostly parallel and a single-process one mostly serial; the exact
 * figures depend on the machine (the generator shares these two cores), the order cannot.
 */
import {connect} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {CapacityResult} from '../../src/results/capacity-result.js'
import {runInProcess} from '../helpers/in-process.js'

const SERVICE = join(import.meta.dirname, '..', 'fixtures', 'services', 'cpu-service.cjs')

const closed = (port: number) => new Promise<boolean>((resolve) => connect({host: '127.0.0.1', port}).once('connect', function (this: import('node:net').Socket) {
  this.destroy()
  resolve(false)
}).once('error', () => resolve(true)))

async function measure(workers: string, port: number): Promise<CapacityResult> {
  const {code, stdout, stderr} = await runInProcess(
    ['capacity', `http://127.0.0.1:${port}/`, '--command', `WORKERS=${workers} PORT=${port} exec node ${SERVICE}`, '--cpus', '1,2', '--slo', 'p99<100ms', '--start-rate', '100', '--step-duration', '1s', '--warmup', '300ms', '--precision', '10%', '--no-confirm', '--json', '--quiet'],
  )
  expect(code, stderr).toBe(0)
  // The service was stopped after the last search.
  expect(await closed(port)).toBe(true)
  return JSON.parse(stdout) as CapacityResult
}

describe('capacity --command --cpus', () => {
  it('fits a small serial fraction for one worker per CPU (0.11 here) and a large one for a single process (0.75)', async () => {
    // Another process busy on the second CPU during the 2-CPU measurement takes the speed-up away
    // (seen: 1.0 for the parallel service while other tests ran). Broken pinning would lose the
    // order every time, so the pair is measured up to three times and the order must hold once.
    const seen: string[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const parallel = await measure('cpus', 18_931)
      const serial = await measure('one', 18_932)
      expect(parallel.coreScaling?.points.map((p) => p.cpus)).toEqual([1, 2])
      const p = parallel.coreScaling?.serialFraction as number
      const q = serial.coreScaling?.serialFraction as number
      seen.push(`parallel ${p.toFixed(2)}, single process ${q.toFixed(2)}`)
      if (p < 0.4 && q - p > 0.2) return
    }
    expect.fail(`the serial fractions never came out in order: ${seen.join('; ')}`)
  }, 400_000)
})
