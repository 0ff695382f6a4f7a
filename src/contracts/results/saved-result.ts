/** A result file read back: `loadplan report`, `run --compare` and `plan --capacity` take either kind. */
import type {CapacityResult} from './capacity-result.js'
import type {RunResult} from './run-result.js'

export type SavedResult = {kind: 'run'; result: RunResult} | {kind: 'capacity'; result: CapacityResult}
