/** The static inventory of this host, read once (systeminformation's static calls are cheap). */
import si from 'systeminformation'
import type {HostInventory} from '../../contracts/results/capacity-result.js'

export async function readHostInventory(): Promise<HostInventory> {
  const [cpu, mem, os] = await Promise.all([si.cpu(), si.mem(), si.osInfo()])
  return {
    vCpus: cpu.cores,
    physicalCores: cpu.physicalCores,
    memoryGiB: Math.round((mem.total / 2 ** 30) * 10) / 10,
    cpuModel: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    os: `${os.distro} ${os.release} (${os.platform})`.trim(),
  }
}
