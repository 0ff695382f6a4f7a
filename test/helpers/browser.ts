/** Debian's Chromium, headless, driven by playwright-core: for the HTML reports and HAR recording. */
import {existsSync} from 'node:fs'
import {chromium, type Browser, type Page} from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/** Launched with the flags this machine needs (no sandbox as root; no calls to Google's hosts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A page that collects console errors, page errors and any request off the file system. */
export async function pageCollectingErrors(
  browser: Browser,
  viewport: {width: number; height: number},
): Promise<{page: Page; errors: string[]}> {
  const page = await browser.newPage({viewport})
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(String(error)))
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) errors.push(`network request: ${request.url()}`)
  })
  return {page, errors}
}
