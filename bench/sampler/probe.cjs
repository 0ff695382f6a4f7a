// One side of bench/sampler: samples at 1 Hz for N seconds with either loadplan's sampler or
// systeminformation's dynamic calls, then prints its own CPU time (self + waited-for children,
// from /proc/self/stat) and how many child processes it started. CommonJS so that child_process
// can be counted before systeminformation loads it.
const childProcess = require('node:child_process')
const {readFileSync} = require('node:fs')
const {join} = require('node:path')
const {pathToFileURL} = require('node:url')

let children = 0
for (const name of ['spawn', 'exec', 'execFile', 'fork', 'spawnSync', 'execSync', 'execFileSync']) {
  const original = childProcess[name]
  childProcess[name] = function counted(...args) {
    children++
    return original.apply(this, args)
  }
}

const which = process.argv[2]
const seconds = Number(process.argv[3] ?? 60)
const CLK_TCK = 100 // USER_HZ on Linux x86-64 and arm64

function cpuTicks() {
  // Fields after the command name (which may hold spaces): utime=14, stime=15, cutime=16, cstime=17 (1-based).
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {self: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14])}
}

async function main() {
  let sample
  if (which === 'loadplan') {
    const {createLinuxSampler} = await import(
      pathToFileURL(join(__dirname, '..', '..', 'dist', 'src', 'adapters', 'host', 'linux-sampler.js')).href
    )
    const sampler = createLinuxSampler()
    sample = async () => sampler.sample(Date.now())
  } else {
    const si = require('systeminformation')
    // The dynamic calls that cover what loadplan samples: CPU, memory, filesystems, disk IO,
    // network, open files (systeminformation has no PSI or cgroup calls).
    sample = () =>
      Promise.all([
        si.currentLoad(),
        si.mem(),
        si.fsSize(),
        si.disksIO(),
        si.networkStats('*'),
        si.fsStats(),
        si.fsOpenFiles(),
      ])
  }
  await sample() // warm-up, not measured
  const startTicks = cpuTicks()
  const startChildren = children
  const startMs = Date.now()
  for (let i = 1; i <= seconds; i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startMs + i * 1000 - Date.now())))
    await sample()
  }
  const end = cpuTicks()
  const wallSec = (Date.now() - startMs) / 1000
  const selfPct = (100 * (end.self - startTicks.self)) / CLK_TCK / wallSec
  const childPct = (100 * (end.children - startTicks.children)) / CLK_TCK / wallSec
  process.stdout.write(
    `${JSON.stringify({which, seconds, selfPct, childPct, totalPct: selfPct + childPct, childProcesses: children - startChildren, childrenPerTick: (children - startChildren) / seconds})}\n`,
  )
}

main()
