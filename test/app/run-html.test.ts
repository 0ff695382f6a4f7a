/**
 * The HTML run report in a real headless browser (Debian's chromium via playwright-core): an
 * open-model ramp with two scenarios and a failing threshold, saved, then rendered.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
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

  it('refuses --html for a capacity result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-run-html-'))
    const {capacityResultFixture} = await import('../helpers/fixtures.js')
    const {stringifyResult} = await import('../../src/contracts/results/run-result.js')
    writeFileSync(join(dir, 'cap.json'), stringifyResult(capacityResultFixture()))
    const {code, stderr} = await runInProcess(['report', join(dir, 'cap.json'), '--html', join(dir, 'x.html')])
    expect(code).toBe(2)
    expect(stderr).toMatch(/--html: is for run results/)
  })
})
