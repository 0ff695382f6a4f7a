/**
 * A real terminal for tests: a command run in tmux and read back with capture-pane.
 *
 * Each terminal has a tmux server of its own (`-S`, a socket in a temporary folder of its own).
 * On the shared default server, a test that killed its session as the last one let the server exit
 * while the next test's `new-session` was connecting to it: "server exited unexpectedly" (CI,
 * 2026-12-06). A server per terminal has no one else's sessions to race with.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface TmuxTerminal {
  /** The screen as text; `joinWrapped` joins the lines tmux wrapped at the terminal's width. */
  capture(joinWrapped?: boolean): string
  keys(...keys: string[]): void
  resize(columns: number, rows: number): void
  /** Ends the command and the terminal's tmux server; safe to call twice. */
  close(): void
}

export function openTmux(command: string, columns: number, rows: number): TmuxTerminal {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-tmux-'))
  const socket = join(dir, 'socket')
  // -f /dev/null: the machine's tmux.conf (status line, history) does not change the screen.
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'})
  tmux('new-session', '-d', '-s', 'test', '-x', String(columns), '-y', String(rows), command)
  return {
    capture: (joinWrapped = false) => tmux('capture-pane', '-p', ...(joinWrapped ? ['-J'] : []), '-t', 'test'),
    keys: (...keys) => void tmux('send-keys', '-t', 'test', ...keys),
    resize: (cols, rowCount) => void tmux('resize-window', '-t', 'test', '-x', String(cols), '-y', String(rowCount)),
    close: () => {
      try {
        execFileSync('tmux', ['-S', socket, 'kill-server'], {stdio: 'ignore'})
      } catch {
        // already gone
      }
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
