/**
 * Runs a loadplan command in this process, as the binary would (same oclif command class, same
 * application function), with stdout and stderr captured: no spawn, no build needed.
 */
import {join} from 'node:path'
import {vi} from 'vitest'
import {COMMANDS} from '../../commands/index.js'

export interface CommandOutcome {
  code: number
  stdout: string
  stderr: string
  files?: Record<string, string>
}

const ROOT = join(import.meta.dirname, '..', '..')

/** Runs `work` with stdout and stderr captured (and Date fixed at `nowMs` when given). */
export async function captured(
  work: () => Promise<number | void>,
  options: {nowMs?: number; env?: Record<string, string | undefined>} = {},
): Promise<CommandOutcome> {
  let stdout = ''
  let stderr = ''
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true))
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true))
  if (options.nowMs !== undefined) {
    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(options.nowMs)
  }
  // Wide: tests read whole lines; the goldens set the 100 columns users get from a pipe.
  const env = {CI: 'true', NO_COLOR: '1', COLUMNS: '1000', ...options.env}
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  const before = process.exitCode
  process.exitCode = undefined
  try {
    const returned = await work()
    const code = typeof returned === 'number' ? returned : Number(process.exitCode ?? 0)
    return {code, stdout, stderr}
  } finally {
    process.exitCode = before
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    if (options.nowMs !== undefined) vi.useRealTimers()
    out.mockRestore()
    err.mockRestore()
  }
}

/** `loadplan ARGS` in-process: `run(['plan', '--growth', '8%/mo', …])`. */
export function runInProcess(
  args: string[],
  options: {nowMs?: number; env?: Record<string, string | undefined>} = {},
): Promise<CommandOutcome> {
  const [first = '', second = ''] = args
  const id = `${first}:${second}` in COMMANDS ? `${first}:${second}` : first
  const command = COMMANDS[id as keyof typeof COMMANDS]
  if (!command) throw new Error(`no command ${id}`)
  const rest = id.includes(':') ? args.slice(2) : args.slice(1)
  return captured(() => command.run(rest, ROOT).then(() => undefined), options)
}
