/** Runs the built binary (`bin/run.js`, built by `npm test`'s pretest) as a user would. */
import {spawn, type ChildProcess} from 'node:child_process'
import {join} from 'node:path'

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js')

export interface CliOutcome {
  code: number | null
  stdout: string
  stderr: string
}

export function startCli(args: string[], env: Record<string, string> = {}): {child: ChildProcess; done: Promise<CliOutcome>} {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, CI: 'true', NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliOutcome>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
  return {child, done}
}

export function runCli(args: string[], env?: Record<string, string>): Promise<CliOutcome> {
  return startCli(args, env).done
}
