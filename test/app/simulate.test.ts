/** `loadplan simulate` in-process. The simulation itself is checked against queueing theory in test/models/fleet-simulation.test.ts. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {SimulationDocument} from '../../src/contracts/results/simulation-document.js'
import {stringifyResult} from '../../src/contracts/results/run-result.js'
import {capacityResultFixture, encoded} from '../helpers/fixtures.js'
import {runInProcess} from '../helpers/in-process.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'loadplan-simulate-'))

describe('loadplan simulate', () => {
  it('finds the smallest fleet that meets the SLO: the size below it misses, and surviving a loss costs instances', async () => {
    const args = [
      'simulate',
      '--service-time',
      'exp:10ms',
      '--concurrency',
      '1',
      '--rate',
      '700/s',
      '--balance',
      'least-conn',
      '--slo',
      'p99<60ms',
      '--requests',
      '100000',
      '--json',
    ]
    const {code, stdout} = await runInProcess(args)
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as SimulationDocument
    expect(doc).toMatchObject({
      schema: 'loadplan/fleet-simulation',
      balance: 'least-conn',
      slo: 'p99<60ms',
      loss: 'none',
    })
    const smallest = doc.smallest as number
    // 700/s × 10 ms = 7 busy servers: 8 is the smallest stable fleet, 10 by the 70 % rule.
    expect(smallest).toBeGreaterThanOrEqual(8)
    expect(doc.byUtilisation).toEqual({targetUtilisation: 0.7, instances: 10})
    expect(doc.rows.find((r) => r.instances === smallest)?.meetsSlo).toBe(true)
    expect(doc.rows.find((r) => r.instances === smallest - 1)?.meetsSlo).toBe(false)

    const withLoss = JSON.parse((await runInProcess([...args, '--lose', '2'])).stdout) as SimulationDocument
    expect(withLoss.smallest).toBe(smallest + 2)
    expect(withLoss.rows.find((r) => r.instances === smallest + 2)?.serving).toBe(smallest)
  })

  it('takes the service time from the lowest passing step of a capacity result and the concurrency from its peak rate', async () => {
    const dir = tmp()
    const capacity = capacityResultFixture()
    // Every step's requests took 10 ms (constant): the peak achieved rate of 390/s needs 390 × 0.01 ≈ 4 at once.
    capacity.steps = capacity.steps.map((step) => ({...step, histogram: encoded(Array.from({length: 1000}, () => 10))}))
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacity))
    const {code, stdout} = await runInProcess([
      'simulate',
      '--capacity',
      join(dir, 'cap.json'),
      '--rate',
      '1000/s',
      '--slo',
      'p99<50ms',
      '--requests',
      '20000',
      '--json',
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as SimulationDocument
    expect(doc.service.concurrency).toBe(4)
    expect(doc.service.meanServiceTimeMs).toBeCloseTo(10, 1)
    expect(doc.service.source).toMatch(/step 1 \(200\/s\)/)
    // The served peak (390/s) and the search's offered sustainable rate (388/s) are named apart (issue 28).
    expect(doc.service.source).toContain('peak served 390/s')
    expect(doc.service.source).toContain('the sustainable 388/s capacity reports is the rate offered')
    // Constant 10 ms service, 4 at once: 1000/s keeps 2.5 instances' slots busy; 3 is the smallest stable fleet.
    expect(doc.rows.find((r) => r.instances === 2)).toMatchObject({
      stable: false,
      offeredUtilisation: expect.closeTo(1.25, 2),
    })
    expect(doc.rows.find((r) => r.stable)?.instances).toBe(3)
  })

  it('measures the burstiness of arrivals from a recorded rate, and bursty arrivals need a larger fleet', async () => {
    const {arrivalGapSampler} = await import('../../src/core/capacity/service-time.js')
    const {createRandom} = await import('../../src/contracts/stats/random.js')
    // 2,000 seconds of arrivals at 200/s with gamma gaps of cv² 4, as one rate per second.
    const gap = arrivalGapSampler(200, 4, createRandom(3))
    const counts = new Array<number>(2000).fill(0)
    for (let t = gap(); t < 2_000_000; t += gap())
      counts[Math.floor(t / 1000)] = (counts[Math.floor(t / 1000)] as number) + 1
    const dir = tmp()
    writeFileSync(
      join(dir, 'rate.csv'),
      `timestamp,requests_per_sec\n${counts.map((n, i) => `${new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString()},${n}`).join('\n')}\n`,
    )
    const args = [
      'simulate',
      '--service-time',
      'exp:20ms',
      '--concurrency',
      '2',
      '--rate',
      '400/s',
      '--slo',
      'p99<100ms',
      '--requests',
      '100000',
      '--json',
    ]
    const bursty = await runInProcess([...args, '--arrivals-csv', join(dir, 'rate.csv')])
    expect(bursty.code).toBe(0)
    const doc = JSON.parse(bursty.stdout) as SimulationDocument
    expect(Math.abs(doc.arrivals.cv2 / 4 - 1)).toBeLessThan(0.1)
    expect(doc.arrivals.source).toMatch(/index of dispersion .* over 1940 periods of 1\.00 s/)
    const poisson = JSON.parse((await runInProcess(args)).stdout) as SimulationDocument
    expect(doc.smallest as number).toBeGreaterThan(poisson.smallest as number)

    const both = await runInProcess([...args, '--arrivals-csv', join(dir, 'rate.csv'), '--arrival-cv2', '2'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--arrivals-csv: give one of --arrival-cv2, --arrivals-csv/)
  })

  it('exits 3 when the fleet given cannot meet the SLO, and shows it overloaded', async () => {
    const {code, stdout} = await runInProcess([
      'simulate',
      '--service-time',
      'const:10ms',
      '--concurrency',
      '2',
      '--rate',
      '500/s',
      '--instances',
      '2',
      '--requests',
      '10000',
    ])
    expect(code).toBe(3)
    expect(stdout).toMatch(/✗ overloaded/)
    expect(stdout).toMatch(/no fleet simulated meets p99<250ms/)
  })

  it('says at once when the service time alone breaks the SLO, instead of trying every fleet size', async () => {
    const {code, stdout, stderr} = await runInProcess([
      'simulate',
      '--service-time',
      'exp:20ms',
      '--concurrency',
      '2',
      '--rate',
      '400/s',
      '--slo',
      'p99<80ms',
    ])
    expect(code).toBe(3)
    // Exponential 20 ms: p99 = 20 × ln 100 = 92.1 ms.
    expect(stderr).toMatch(/the service time alone has p99 92\.1 ms, not below p99<80ms: no fleet size can meet it/)
    expect(stdout).not.toMatch(/┌/)
  })

  it('keeps to --max-instances: a load needing more is no answer, not a fleet at 100 % "meeting" the SLO (issue 35)', async () => {
    const {code, stdout, stderr} = await runInProcess([
      'simulate',
      '--service-time',
      'exp:5ms',
      '--concurrency',
      '1',
      '--rate',
      '1000000/s',
      '--max-instances',
      '1000',
      '--json',
    ])
    expect(code).toBe(3)
    // 1,000,000/s × 5 ms ÷ 1 slot = 5,000 instances fully busy: 5,001 is the smallest below 100 %.
    expect(stderr).toMatch(/no fleet of up to 1000 instances can even keep up: .* has 5001 instances/)
    const document = JSON.parse(stdout) as {rows: Array<{instances: number}>; smallest: number | null}
    expect(document.smallest).toBeNull()
    expect(document.rows).toEqual([])
  })

  it('reports every bad flag at once', async () => {
    const {code, stderr} = await runInProcess([
      'simulate',
      '--balance',
      'fastest',
      '--speeds',
      '1,x',
      '--lose',
      'two',
      '--slo',
      'errors<1%',
    ])
    expect(code).toBe(2)
    for (const field of ['--rate', '--capacity', '--balance', '--speeds', '--lose', '--slo'])
      expect(stderr).toContain(field)
    expect(stderr).not.toMatch(/at .*\.ts:\d+/)
  })
})
