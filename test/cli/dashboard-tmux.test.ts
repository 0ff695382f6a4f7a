/** The live dashboard in a real terminal: loadplan run inside tmux, read back with capture-pane. */
import {execFileSync} from 'node:child_process'
import {afterEach, describe, expect, it} from 'vitest'
import {BIN, canRun} from '../helpers/cli.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'

const hasTmux = canRun('tmux', ['-V'])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!hasTmux)('dashboard in tmux', () => {
  const session = `loadplan-${process.pid}`
  let server: LocalServer | undefined
  afterEach(async () => {
    try {
      execFileSync('tmux', ['kill-session', '-t', session], {stdio: 'ignore'})
    } catch {
      // already gone
    }
    await server?.close()
  })

  it('shows the live dashboard, then the final summary', async () => {
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 2))
    const command = `env -u CI ${process.execPath} ${BIN} run ${server.url}/ --stage 2s:200 --stage 2s:200; sleep 60`
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '40', command])
    const capture = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], {encoding: 'utf8'})
    // The dashboard is up before the load starts; stage 1 ends two seconds into the run.
    let live = ''
    for (let i = 0; i < 40 && !/✓ stage 1/.test(live); i++) {
      await sleep(250)
      live = capture()
    }
    expect(live).toMatch(/^progress {3}█+░+ \d\.\d\d s \/ 4\.00 s/m)
    expect(live).toMatch(/^req\/s {6}\S+ \d+\/s \(target \d+\/s\)/m)
    expect(live).toMatch(/^✓ stage 1 \(2\.00 s to 200\/s\)/m)
    expect(live).toContain('q or Ctrl-C: stop')
    let final = ''
    for (let i = 0; i < 40 && !/│ corrected/.test(final); i++) {
      await sleep(250)
      final = capture()
    }
    expect(final).toMatch(/│ corrected {3}│/)
    expect(final).toMatch(/^requests {3}\d[\d,]* completed/m)
  }, 30_000)
})
