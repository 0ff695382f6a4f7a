/** Reads a calibration written by `loadplan calibrate --out`; a wrong file is bad input naming the field. */
import {readJsonFile} from './read-input-file.js'
import {formatProblem, problemsFromZod} from '../errors.js'
import {CALIBRATION_METHOD, CALIBRATION_SCHEMA, type Calibration} from '../results/calibration.js'

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
    method: z.literal(CALIBRATION_METHOD, {error: `only ${CALIBRATION_METHOD} scores compare with the performance table`}),
    durationSec: positive,
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    singleCore: positive,
    allCores: positive,
  })
  const checked = shape.safeParse(data)
  if (!checked.success) return {error: `is not a loadplan calibration: ${problemsFromZod(checked.error.issues, data, '').map(formatProblem).join('; ')}`}
  return data as Calibration
}
