/**
 * `loadplan capacity`: validate everything, say what the search will do and its limits, run the
 * search while the command watches, write the CapacityResult files. The command prints the result.
 */
import {parseSlo} from '../core/capacity/slo.js'
import {resolveCapacityOptions, type CapacityFlags} from '../config/capacity-options.js'
import type {RunFlags} from '../config/run/run-flags.js'
import {startCapacitySearch} from '../core/engine/capacity-runner.js'
import {fitCoreScaling} from '../core/capacity/core-scaling.js'
import {EXIT, InputError, ProblemList, type ExitCode} from '../contracts/errors.js'
import {pinningProblem, startPinnedService, type ServiceProcess} from '../adapters/host/service-process.js'
import {formatDurationMs} from '../contracts/format/units.js'
import {readHostInventory} from '../adapters/host/inventory.js'
import {capacityResultToJunit} from '../report/junit.js'
import {capacityResultToMarkdown} from '../report/markdown.js'
import type {CapacityResult, CoreMeasurement, HostInventory} from '../contracts/results/capacity-result.js'
import {readCalibrationFlag} from '../adapters/io/read-calibration.js'
import {emptySnapshot} from '../contracts/results/engine-snapshot.js'
import {stringifyResult} from '../contracts/results/run-result.js'
import type {AppResult} from './app-result.js'
import {onAbort, type LoadLive} from './live-load.js'
import {checkReportPaths, writeReportFiles, type ReportPaths} from './output-files.js'
import {hideEnvValues} from '../contracts/redact.js'
import {readLoadOptions} from './read-target.js'

export interface CapacityInput extends ReportPaths {
  target: string | undefined
  /** Request flags (method, headers, body, …). */
  requestFlags: RunFlags
  capacityFlags: CapacityFlags
  slo: string | undefined
  instanceType: string | undefined
  /** A calibration file (loadplan calibrate --out) describing where the service ran. */
  serviceHost?: string | undefined
  toolVersion: string
  defaultSeed: number
}

export interface CapacityDocument {
  result: CapacityResult
  /** True when a result file could not be written: the command then prints the JSON to keep the data. */
  keepJson: boolean
}

const LOCAL_HOST = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/i

/**
 * --instance-type names where the service ran. When the target is on this machine, that must be
 * this machine: say so when the type's architecture or size contradicts it (the plan translates
 * from that type's published figures).
 */
async function checkInstanceType(type: string, origin: string, inventory: HostInventory): Promise<string[]> {
  if (!LOCAL_HOST.test(origin)) return []
  const {loadCatalog} = await import('../adapters/io/load-catalog.js')
  const {findInstance} = await import('../core/catalog/catalog-lookup.js')
  const instance = findInstance(await loadCatalog(), type)
  if (!instance)
    return [
      `warning: --instance-type ${type} is not in the catalog; loadplan plan will not find its performance figures`,
    ]
  const hostArch = process.arch === 'arm64' ? 'arm64' : 'x86_64'
  const mismatches: string[] = []
  if (instance.arch !== hostArch)
    mismatches.push(`${type} is ${instance.arch} but this host is ${hostArch} (${inventory.cpuModel})`)
  if (instance.vcpu !== inventory.vCpus)
    mismatches.push(`${type} has ${instance.vcpu} vCPUs but this host ${inventory.vCpus}`)
  return mismatches.length === 0
    ? []
    : [
        `warning: the target is on this machine, yet ${mismatches.join(' and ')}: --instance-type should name the type the service ran on, since loadplan plan translates from its published figures`,
      ]
}

export async function searchCapacity(input: CapacityInput, live: LoadLive): Promise<AppResult<CapacityDocument>> {
  const problems = new ProblemList()
  checkReportPaths(input, problems)
  const calibration = await readCalibrationFlag(input.serviceHost, '--service-host', input.instanceType, problems)
  problems.throwIfAny('Cannot search capacity:')
  const {settings, concurrency, service} = resolveCapacityOptions(input.capacityFlags)
  const pinning = service && service.cpus.length > 0 ? pinningProblem(service.cpus) : undefined
  if (pinning)
    throw new InputError('Cannot search capacity:', [
      {field: '--cpus', message: pinning, value: service?.cpus.join(',')},
    ])

  const {
    options: base,
    file,
    fileName,
  } = await readLoadOptions({
    target: input.target,
    flags: input.requestFlags,
    toolVersion: input.toolVersion,
    defaultSeed: input.defaultSeed,
  })
  const shownOrigin = hideEnvValues(base.origin, base.envSecrets)
  const slo = parseSlo(input.slo, file?.slo, fileName ? `${fileName}: slo` : 'slo')
  const inventory = await readHostInventory()
  const host = input.instanceType ? {...inventory, instanceType: input.instanceType} : inventory
  const hostWarnings = input.instanceType ? await checkInstanceType(input.instanceType, base.origin, inventory) : []

  /** One capacity search, as the command has always run it; `on` names the CPU count with --command. */
  const runSearch = async (on: string): Promise<CapacityResult> => {
    live.log(
      `capacity search of ${shownOrigin}${on}: SLO ${slo.map((t) => t.expression).join(', ')}; from ${settings.startRatePerSec}/s ×${settings.growthFactor} up to at most ${settings.maxRatePerSec}/s; ` +
        `steps of ${formatDurationMs(settings.stepDurationMs)} after ${formatDurationMs(settings.warmupMs)} warm-up; precision ${(settings.precision * 100).toFixed(0)}%; ` +
        `at most ${formatDurationMs(settings.maxDurationMs)} in all; a step ends early above ${(settings.maxErrorRatio * 100).toFixed(0)}% errors` +
        (concurrency.length > 0 ? `; then a USL sweep at concurrency ${concurrency.join(', ')}` : ''),
    )
    const stepLines: string[] = []
    const watched = live.beforeStart !== undefined
    await live.beforeStart?.({
      title: 'loadplan capacity',
      stages: [{durationMs: settings.warmupMs + settings.stepDurationMs, targetRatePerSec: 0}],
    })
    // With a live view the finished steps are shown in it; otherwise they are progress lines.
    const handle = startCapacitySearch({
      base,
      slo,
      settings,
      concurrency,
      host,
      toolVersion: input.toolVersion,
      onStep: watched ? (line) => stepLines.push(line) : live.log,
    })
    const stop = () => handle.stop()
    const unlisten = onAbort(live.signal, stop)
    const unlistenCutOff = onAbort(live.cutOff, stop)
    live.onStart?.({
      snapshot: () => handle.status().snapshot ?? emptySnapshot(),
      extra: () => {
        const {phase, ratePerSec} = handle.status()
        return {
          title: `loadplan capacity  ${shownOrigin}${on}  step ${stepLines.length + 1}: ${phase}${ratePerSec === undefined ? '' : ` at ${ratePerSec}/s`}`,
          notes: stepLines,
        }
      },
      stop,
    })
    return handle.done.finally(async () => {
      unlisten()
      unlistenCutOff()
      await live.afterRun?.()
    })
  }

  const serviceWarnings: string[] = []
  let result: CapacityResult
  if (!service) result = await runSearch('')
  else {
    // loadplan starts the service itself, pinned to each CPU count in turn (ascending), and fits
    // how its capacity grows with CPUs; the result is the search on the most CPUs.
    const cpuCounts = service.cpus.length > 0 ? service.cpus : [inventory.vCpus]
    const points: CoreMeasurement[] = []
    let last: CapacityResult | undefined
    for (const cpus of cpuCounts) {
      if (live.signal?.aborted) break
      live.log(`starting the service on ${cpus} CPU${cpus === 1 ? '' : 's'} (taskset): ${service.command}`)
      let started: ServiceProcess
      try {
        started = await startPinnedService(service.command, cpus, base.origin)
      } catch (error) {
        throw new InputError('Cannot search capacity:', [
          {field: '--command', message: (error as Error).message, value: service.command},
        ])
      }
      try {
        last = await runSearch(` on ${cpus} CPU${cpus === 1 ? '' : 's'}`)
      } finally {
        await started.stop()
      }
      if (last.sustainableRatePerSec !== null) points.push({cpus, sustainableRatePerSec: last.sustainableRatePerSec})
      if (last.stopReason === 'interrupted') break
    }
    result = last as CapacityResult
    if (cpuCounts.length >= 2 && result.stopReason !== 'interrupted') {
      const fit = fitCoreScaling(points)
      if ('error' in fit) serviceWarnings.push(`warning: no scaling fit over CPUs: ${fit.error}`)
      else result.coreScaling = fit
    }
    const most = Math.max(...cpuCounts)
    if (most < inventory.vCpus)
      serviceWarnings.push(
        `warning: the result is the search on ${most} of this host's ${inventory.vCpus} CPUs; the plan scales from it as from the whole host unless --cpus includes ${inventory.vCpus}`,
      )
  }
  if (calibration) result.serviceHost = {calibration}

  const failures = writeReportFiles(input, () => ({
    json: stringifyResult(result),
    junit: capacityResultToJunit(result),
    markdown: capacityResultToMarkdown(result),
  }))
  let exitCode: ExitCode = EXIT.ok
  const warnings = [...hostWarnings, ...serviceWarnings, ...failures]
  if (failures.length > 0) exitCode = EXIT.badInput
  else if (result.stopReason === 'interrupted') exitCode = EXIT.interrupted
  else if (result.sustainableRatePerSec === null) {
    warnings.push(`no rate met the SLO (${result.slo.join(', ')})`)
    exitCode = EXIT.thresholdsFailed
  }
  return {document: {result, keepJson: failures.length > 0 && input.out !== undefined}, warnings, exitCode}
}
