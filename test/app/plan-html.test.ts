/** The HTML plan report in a real headless browser (Debian's chromium, driven by playwright-core). */
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {hasChromium, launchChromium, pageCollectingErrors} from '../helpers/browser.js'
import {runInProcess} from '../helpers/in-process.js'

describe.skipIf(!hasChromium)('loadplan plan --html', () => {
  it('loads without console errors and its charts render', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadplan-html-'))
    const html = join(dir, 'plan.html')
    const {code, stderr} = await runInProcess([
      'plan',
      '--per-instance',
      '450/s',
      '--instance-type',
      'c7g.large',
      '--peak',
      '1200/s',
      '--growth',
      '8%/mo',
      '--storage-gb',
      '120',
      '--storage-growth',
      '5%/mo',
      '--bytes-per-request',
      '18kB',
      '--html',
      html,
    ])
    expect(code, stderr).toBe(0)
    const browser = await launchChromium()
    try {
      const {page, errors} = await pageCollectingErrors(browser, {width: 900, height: 1200})
      await page.goto(`file://${html}`)
      expect(errors).toEqual([])
      for (const id of ['traffic-chart', 'instances-chart', 'cost-chart']) {
        const box = await page.locator(`#${id}`).boundingBox()
        expect(box?.width, id).toBeGreaterThan(300)
        expect(box?.height, id).toBeGreaterThan(100)
      }
      // 12 monthly bars; cost bars stacked from three components.
      expect(await page.locator('#instances-chart rect.bar').count()).toBe(12)
      expect(await page.locator('#cost-chart rect.bar').count()).toBe(36)
      expect(await page.locator('#traffic-chart path.forecast').count()).toBe(1)
      const tallest = await page
        .locator('#instances-chart rect.bar')
        .evaluateAll((rects) =>
          Math.max(
            ...rects.map(
              (r) => (r as unknown as {getBoundingClientRect(): {height: number}}).getBoundingClientRect().height,
            ),
          ),
        )
      expect(tallest).toBeGreaterThan(50)
      const screenshot = join(dir, 'plan.png')
      await page.screenshot({path: screenshot, fullPage: true})
      expect(existsSync(screenshot)).toBe(true)
      process.stderr.write(`plan report screenshot: ${screenshot}\n`)
    } finally {
      await browser.close()
    }
  }, 60_000)
})
