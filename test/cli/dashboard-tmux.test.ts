/** The live dashboard in a real terminal: loadplan run inside tmux, read back with capture-pane. */
import {afterEach, describe, expect, it} from 'vitest'
import {BIN, canRun, waitUntil} from '../helpers/cli.js'
import {startServer, type LocalServer} from '../helpers/local-server.js'
import {openTmux, type TmuxTerminal} from '../helpers/tmux.js'

const hasTmux = canRun('tmux', ['-V'])

describe.skipIf(!hasTmux)('dashboard in tmux', () => {
  let terminal: TmuxTerminal | undefined
  let server: LocalServer | undefined
  afterEach(async () => {
    terminal?.close()
    await server?.close()
  })

  it('shows the live dashboard, then the final summary', async () => {
    server = await startServer((_q, s) => setTimeout(() => s.end('ok'), 2))
    const command = `env -u CI ${process.execPath} ${BIN} run ${server.url}/ --stage 2s:200 --stage 2s:200; sleep 60`
    const tty = (terminal = openTmux(command, 100, 40))
    const capture = tty.capture
    // The dashboard is up before the load starts; stage 1 ends two seconds into the run.
    let live = ''
    await waitUntil(() => /✓ stage 1/.test((live = capture())), 10_000, 'stage 1 done on the dashboard')
    expect(live).toMatch(/^progress {3}█+░+ \d\.\d\d s \/ 4\.00 s/m)
    expect(live).toMatch(/^req\/s {6}\S+ \d+\/s \(target \d+\/s\)/m)
    expect(live).toMatch(/^✓ stage 1 \(2\.00 s to 200\/s\)/m)
    expect(live).toContain('q or Ctrl-C: stop')
    let final = ''
    await waitUntil(() => /│ corrected/.test((final = capture())), 10_000, 'the final summary')
    expect(final).toMatch(/│ corrected {3}│/)
    expect(final).toMatch(/^requests {3}\d[\d,]* completed/m)
  }, 30_000)
})
