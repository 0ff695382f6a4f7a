/**
 * Runs the built binary (`bin/run.js`; vitest's global set-up builds it first, so it is never
 * stale) as a user would: for what only a real process shows (signals, kill -9, worker threads,
 * oclif's own flag errors and help).
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {join} from 'node:path'

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js')

export interface CliOutcome {
  code: number | null
  stdout: string
  stderr: string
}

export interface StartedCli {
  child: ChildProcess
  done: Promise<CliOutcome>
  /** What it printed so far. */
  output(): {stdout: string; stderr: string}
}

export function startCli(args: string[], env: Record<string, string> = {}): StartedCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, CI: 'true', NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliOutcome>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
  return {child, done, output: () => ({stdout, stderr})}
}

export function runCli(args: string[], env?: Record<string, string>): Promise<CliOutcome> {
  return startCli(args, env).done
}

/**
 * Polls `ready` every 50 ms until it holds: a readiness signal instead of a fixed sleep, so that
 * tests hold on a busy machine. Throws after `timeoutMs`.
 */
export async function waitUntil(ready: () => boolean, timeoutMs = 30_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Whether `command args` runs here (tmux, stress-ng…): tests that need it are skipped without it. */
export function canRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}
