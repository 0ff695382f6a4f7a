/** Reads a calibration written by `loadplan calibrate --out`; a wrong file is bad input naming the field. */
import {readJsonFile} from './read-input-file.js'
import {formatProblem, problemsFromZod, type ProblemList} from '../../contracts/errors.js'
import {CALIBRATION_METHOD, CALIBRATION_SCHEMA, type Calibration} from '../../contracts/results/calibration.js'

export async function readCalibration(path: string): Promise<Calibration | {error: string}> {
  const read = readJsonFile(path, 'loadplan calibrate --out')
  if ('error' in read) return read
  const {data} = read
  const {z} = await import('zod')
  const positive = z.number().positive()
  const shape = z.looseObject({
    schema: z.literal(CALIBRATION_SCHEMA),
    version: z.literal(1),
    measuredAt: z.string(),
    stressngVersion: z.string(),
    method: z.literal(CALIBRATION_METHOD, {
      error: `only ${CALIBRATION_METHOD} scores compare with the performance table`,
    }),
    durationSec: positive,
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    singleCore: positive,
    allCores: positive,
  })
  const checked = shape.safeParse(data)
  if (!checked.success)
    return {
      error: `is not a loadplan calibration: ${problemsFromZod(checked.error.issues, data, '').map(formatProblem).join('; ')}`,
    }
  return data as Calibration
}

/**
 * The calibration a flag names, checked: every problem goes to `problems` (a calibration and an
 * --instance-type both name the service's host, so only one may be given).
 */
export async function readCalibrationFlag(
  path: string | undefined,
  flag: string,
  instanceType: string | undefined,
  problems: ProblemList,
): Promise<Calibration | undefined> {
  if (path === undefined) return undefined
  if (instanceType !== undefined)
    problems.add(flag, 'names the host the service ran on, as --instance-type does: give one of them', path)
  const read = await readCalibration(path)
  if ('error' in read) {
    problems.add(flag, read.error, path)
    return undefined
  }
  return read
}
