/**
 * Starts the service under test for `capacity --command`, pinned to the first N CPUs with
 * `taskset` (util-linux), waits until it accepts connections on the target's port, and stops it
 * by its process group. The service runs in its own process group so that `sh -c` and whatever it
 * starts end together.
 */
import {spawn, spawnSync} from 'node:child_process'
import {connect} from 'node:net'
import {availableParallelism} from 'node:os'

export interface ServiceProcess {
  pid: number
  stop(): Promise<void>
}

/** Why a command cannot be pinned here, or undefined. */
export function pinningProblem(cpus: readonly number[]): string | undefined {
  if (spawnSync('taskset', ['--version'], {stdio: 'ignore'}).error)
    return 'needs taskset to pin the service to CPUs: apt-get install util-linux'
  const available = availableParallelism()
  const tooMany = cpus.filter((n) => n > available)
  return tooMany.length > 0 ? `this machine has ${available} CPUs; cannot pin to ${tooMany.join(', ')}` : undefined
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * @param origin the target's origin; readiness is its port accepting a TCP connection
 * @throws Error when the service exits before it is ready, or is not ready within `readyTimeoutMs`
 */
export async function startPinnedService(
  command: string,
  cpus: number,
  origin: string,
  readyTimeoutMs = 30_000,
): Promise<ServiceProcess> {
  const url = new URL(origin)
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const child = spawn('taskset', ['-c', cpus === 1 ? '0' : `0-${cpus - 1}`, 'sh', '-c', command], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let gone = false
  void exited.then(() => (gone = true))
  const stop = async () => {
    if (gone || child.pid === undefined) return
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      return // already gone
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }, 5000)
    await exited
    clearTimeout(killer)
  }
  const deadline = Date.now() + readyTimeoutMs
  while (Date.now() < deadline) {
    if (gone)
      throw new Error(
        `the service command exited before it accepted connections on ${host}:${port}${stderr ? `; it said: ${stderr.trim()}` : ''}`,
      )
    if (await accepts(host, port)) return {pid: child.pid as number, stop}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error(`the service did not accept connections on ${host}:${port} within ${readyTimeoutMs / 1000} s`)
}
