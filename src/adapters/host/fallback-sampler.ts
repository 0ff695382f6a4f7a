/**
 * Outside Linux there is no /proc: sample CPU and memory through systeminformation's dynamic calls
 * (which spawn processes on some platforms and see less: no iowait, PSI or cgroups).
 */
import si from 'systeminformation'
import type {HostSample, HostSampler} from './linux-sampler.js'

export function createFallbackSampler(): HostSampler & {refresh(): Promise<void>} {
  let latest: HostSample | undefined
  let primed = false
  return {
    method: `systeminformation dynamic calls (${process.platform}: no /proc; iowait, PSI, disks and cgroups are not sampled)`,
    notes: [
      'this platform is sampled through systeminformation, which is costlier and less complete than the Linux sampler',
    ],
    async refresh() {
      const [load, mem] = await Promise.all([si.currentLoad(), si.mem()])
      latest = {
        'cpu.busy': load.currentLoad,
        'cpu.user': load.currentLoadUser,
        'cpu.system': load.currentLoadSystem,
        'mem.used_pct': 100 * (1 - mem.available / mem.total),
        'mem.available_bytes': mem.available,
        'mem.total_bytes': mem.total,
      }
    },
    sample() {
      if (!primed) {
        primed = true
        return undefined
      }
      return latest
    },
  }
}
