/**
 * Starts the service under test for `capacity --command`, pinned to the first N CPUs with
 * `taskset` (util-linux), waits until it accepts connections on the target's port, and stops it
 * by its process group. The service runs in its own process group so that `sh -c` and whatever it
 * starts end together.
 *
 * The port must be free before the service starts, and the socket listening on it afterwards must
 * belong to the service's process group: otherwise the search would measure whatever else answers
 * there (nginx on the port measured as the service, at three times its real capacity).
 */
import {spawn, spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
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

/** The inodes of the TCP sockets listening on `port` (any address), from /proc/net/tcp and tcp6; undefined where /proc has no such table. */
function listeningInodes(port: number): Set<string> | undefined {
  const inodes = new Set<string>()
  let read = false
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    read = true
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st … inode: the state 0A is LISTEN; ports are hexadecimal.
      const fields = line.trim().split(/\s+/)
      const local = fields[1]
      if (fields[3] !== '0A' || local === undefined) continue
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(fields[9] as string)
    }
  }
  return read ? inodes : undefined
}

/** Whether a process of process group `group` holds one of `inodes` open. */
function groupHoldsSocket(group: number, inodes: ReadonlySet<string>): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // /proc/PID/stat: pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      if (pgrp !== group) continue
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`)
        if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) return true
      }
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return false
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
  if (await accepts(host, port))
    throw new Error(
      `${host}:${port} already accepts connections before the service starts: another process holds the port, and the search would measure it instead; stop it, or start the service on a free port`,
    )
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
    if (await accepts(host, port)) {
      // The answer must come from the service: a socket listening on the port held by its group.
      const inodes = listeningInodes(port)
      if (inodes !== undefined && inodes.size > 0 && !groupHoldsSocket(child.pid as number, inodes)) {
        await stop()
        throw new Error(
          `${host}:${port} accepts connections, but the socket listening there does not belong to the service command's processes: another process took the port (the service may have failed to bind it)`,
        )
      }
      return {pid: child.pid as number, stop}
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error(`the service did not accept connections on ${host}:${port} within ${readyTimeoutMs / 1000} s`)
}
