/**
 * The HTML run report in a real headless browser (Debian's chromium via playwright-core): an
 * open-model ramp with two scenarios and a failing threshold, saved, then rendered.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {formatMaybeMs} from '../../src/contracts/format/units.js'
import {targetRateAt} from '../../src/report/run-html.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'
import {hasChromium, launchChromium, pageCollectingErrors} from '../helpers/browser.js'
import {runInProcess} from '../helpers/in-process.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

let server: LocalServer

beforeAll(async () => {
  server = await startServer((request, response) =>
    request.url === '/missing' ? ((response.statusCode = 404), response.end()) : response.end('ok'),
  )
})
afterAll(async () => {
  await server.close()
})

describe('target rate per second', () => {
  it('follows the stages: a ramp 0→100/s over 2 s, then 100/s', () => {
    const options = {
      model: 'open',
      startRatePerSec: 0,
      stages: [
        {durationMs: 2000, targetRatePerSec: 100},
        {durationMs: 1000, targetRatePerSec: 100},
      ],
    } as RunResult['options']
    expect([0.5, 1.5, 2.5, 3.5].map((s) => targetRateAt(options, s))).toEqual([25, 75, 100, undefined])
  })
})

describe.skipIf(!hasChromium)('loadplan report --html', () => {
  it('loads without console errors or network requests; its charts and tables show the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-run-html-'))
    const file = join(dir, 'service.yaml')
    writeFileSync(
      file,
      `target: ${server.url}\nscenarios:\n  - {name: home, weight: 3, request: {path: /}}\n  - {name: missing, weight: 1, request: {path: /missing}}\nload: {model: arrival-rate, stages: [{duration: 2s, target: 200}, {duration: 1s, target: 200}]}\nthresholds: ["errors < 1%", "p99{scenario:home} < 1s"]\n`,
    )
    const result = join(dir, 'result.json')
    expect((await runInProcess(['run', file, '--out', result])).code).toBe(3)
    const html = join(dir, 'run.html')
    const {code, stderr} = await runInProcess(['report', result, '--html', html])
    expect(code, stderr).toBe(0)
    const browser = await launchChromium()
    try {
      const {page, errors} = await pageCollectingErrors(browser, {width: 900, height: 1400})
      await page.goto(`file://${html}`)
      expect(errors).toEqual([])
      for (const id of ['throughput-chart', 'latency-chart']) {
        const box = await page.locator(`#${id}`).boundingBox()
        expect(box?.width, id).toBeGreaterThan(300)
      }
      // Achieved and target lines (open model), three percentile lines.
      expect(await page.locator('#throughput-chart path.achieved').count()).toBe(1)
      expect(await page.locator('#throughput-chart path.target').count()).toBe(1)
      // Where the two coincide the achieved line still shows: an area under it, and a line wider
      // than the dashed target drawn over it (issue 28: it hid under the target).
      expect(await page.locator('#throughput-chart path.achieved-area').count()).toBe(1)
      const strokeWidth = (selector: string) =>
        page.locator(selector).evaluate((el) => {
          const view = globalThis as unknown as {getComputedStyle(e: unknown): {strokeWidth: string}}
          return Number.parseFloat(view.getComputedStyle(el).strokeWidth)
        })
      expect(await strokeWidth('#throughput-chart path.achieved')).toBeGreaterThanOrEqual(
        2 * (await strokeWidth('#throughput-chart path.target')),
      )
      // The percentile table: corrected and uncorrected, the saved result's own figures.
      const saved = JSON.parse(readFileSync(result, 'utf8')) as RunResult
      const percentiles = await page.locator('#percentile-table').innerText()
      expect(percentiles).toContain(
        `p99\t${formatMaybeMs(saved.latency.corrected.percentilesMs['99'])}\t${formatMaybeMs(saved.latency.uncorrected.percentilesMs['99'])}`,
      )
      expect(await page.locator('#latency-chart path.p99').count()).toBe(1)
      const targetWidth = await page
        .locator('#throughput-chart path.target')
        .evaluate((el) => (el as unknown as {getBoundingClientRect(): {width: number}}).getBoundingClientRect().width)
      expect(targetWidth).toBeGreaterThan(200)
      expect(await page.locator('#status-table').innerText()).toMatch(/404/)
      expect(await page.locator('#scenario-table').innerText()).toMatch(/home[\s\S]*missing/)
      const thresholds = await page.locator('#threshold-table').innerText()
      expect(thresholds).toMatch(/errors < 1%[\s\S]*FAIL/)
      expect(thresholds).toMatch(/p99\{scenario:home\} < 1s[\s\S]*pass/)
      await page.screenshot({path: join(dir, 'run.png'), fullPage: true})
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('a run too short for charts per second says so, and still shows its percentiles (issue 28: empty charts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-run-html-'))
    const result = join(dir, 'result.json')
    expect((await runInProcess(['run', server.url, '-c', '2', '-a', '20', '--out', result])).code).toBe(0)
    const saved = JSON.parse(readFileSync(result, 'utf8')) as RunResult
    expect(saved.seconds).toHaveLength(1)
    const html = join(dir, 'run.html')
    expect((await runInProcess(['report', result, '--html', html])).code).toBe(0)
    const browser = await launchChromium()
    try {
      const {page, errors} = await pageCollectingErrors(browser, {width: 900, height: 1000})
      await page.goto(`file://${html}`)
      expect(errors).toEqual([])
      expect(await page.locator('svg').count()).toBe(0)
      expect(await page.locator('#no-charts').innerText()).toMatch(/too short for charts per second/)
      expect(await page.locator('#percentile-table').innerText()).toMatch(/^p50\t/m)
    } finally {
      await browser.close()
    }
  })

  it('a capacity result: the answer, latency by offered rate with the SLO limit on its grid line, every step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-run-html-'))
    const {capacityResultFixture} = await import('../helpers/fixtures.js')
    const {stringifyResult} = await import('../../src/contracts/results/run-result.js')
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacityResultFixture()))
    const html = join(dir, 'capacity.html')
    const {code, stderr} = await runInProcess(['report', join(dir, 'cap.json'), '--html', html])
    expect(code, stderr).toBe(0)
    const browser = await launchChromium()
    try {
      const {page, errors} = await pageCollectingErrors(browser, {width: 900, height: 1400})
      await page.goto(`file://${html}`)
      expect(errors).toEqual([])
      expect(await page.locator('#answer').innerText()).toBe(
        'sustainable 388/s per instance under the SLO p99<100ms, errors<1%; breaks at 400/s.',
      )
      // Five steps, one failed (400/s, p99 180 ms): one dot each, coloured by the verdict.
      expect(await page.locator('#latency-chart circle.pass').count()).toBe(4)
      expect(await page.locator('#latency-chart circle.fail').count()).toBe(1)
      // The highest p99 is 180 ms, so the axis runs to 200 ms in steps of 50: the 100 ms limit lies
      // on the middle grid line.
      const limitY = await page.locator('#latency-chart line.limit').getAttribute('y1')
      const gridYs = await page
        .locator('#latency-chart line.grid')
        .evaluateAll((lines) =>
          lines.map((l) => (l as unknown as {getAttribute(name: string): string}).getAttribute('y1')),
        )
      expect(Number(limitY)).toBeCloseTo(Number(gridYs[2]), 1)
      expect(await page.locator('#served-chart circle').count()).toBe(5)
      const stepsText = await page.locator('#step-table').innerText()
      expect(stepsText).toMatch(/^2\tramp\t400\/s\t390\.0\/s\t90\.0 ms\t144 ms\t180 ms\t0\.00%\t✗ p99<100ms$/m)
      await page.screenshot({path: join(dir, 'capacity.png'), fullPage: true})
    } finally {
      await browser.close()
    }
  })
})
