import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {type RunFlags} from '../../src/config/run/run-flags.js'
import {startRun} from '../../src/core/engine/run-load.js'
import {readDataFile} from '../../src/adapters/io/read-data-file.js'
import type {RunResult} from '../../src/contracts/results/run-result.js'

/** Runs loadplan in-process against a URL with flags as the CLI would take them. */
export async function runAgainst(url: string, flags: RunFlags): Promise<RunResult> {
  const options = resolveRunOptions({url, flags, defaultSeed: 1, loadDataFile: readDataFile})
  return startRun(options, {toolVersion: 'test'}).done
}
