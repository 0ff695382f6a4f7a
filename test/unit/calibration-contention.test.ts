/**
 * Calibration on a busy host (issue 29: stress-ng read 2,069–2,395 bogo-ops/s against 2,750 quiet,
 * so translated capacities came out high): the CPU share comes from stress-ng's own metrics line,
 * and the verdict from it. The lines are stress-ng 0.15.06's, captured on this machine.
 */
import {describe, expect, it} from 'vitest'
import {parseStressNgMetrics} from '../../src/adapters/host/stress-ng.js'
import {judgeCalibrationRun} from '../../src/core/catalog/calibration-contention.js'

const line = (fields: string) => `stress-ng: metrc: [20578] cpu ${fields}\n`

describe('calibration contention', () => {
  it('a quiet run keeps its real-time score (the performance table source: 100 % of a core)', () => {
    // From SpareCores' m6i.large data: 37,590 ops in 20.00 s real, 20.00 s user.
    const metrics = parseStressNgMetrics(line('37590  20.00  20.00  0.00  1879.50  1879.58  100.00  976'))
    expect(metrics).toEqual({bogoOps: 37_590, realSec: 20, usrSec: 20, sysSec: 0})
    expect(judgeCalibrationRun(metrics!, 1)).toEqual({kind: 'quiet', opsPerSec: 1879.5, cpuShare: 1})
  })

  it('a run with under half of each CPU is refused: one stressor got 0.99 s in 2 s, two got 1.64 s in 2 s', () => {
    // Captured with stress-ng --cpu 2 and the test suite running beside it.
    const one = parseStressNgMetrics(line('2973  2.00  0.99  0.00  1486.56  2995.42  49.63  2376'))
    expect(judgeCalibrationRun(one!, 1)).toEqual({kind: 'refused', cpuShare: 0.495, realOpsPerSec: 1486.5})
    const two = parseStressNgMetrics(line('4878  2.00  1.64  0.00  2440.47  2976.40  41.00  2368'))
    // 1.64 CPU-seconds over 2 s × 2 stressors = 41 %.
    expect(judgeCalibrationRun(two!, 2)).toMatchObject({kind: 'refused', cpuShare: 0.41})
  })

  it('between half and 90 % the score is per CPU-second, times the stressors', () => {
    // By hand: 4,400 ops, 2 stressors, 2 s real, 2.9 s user + 0.1 s system = 75 % each;
    // 4,400 / 3.0 = 1,466.67 per CPU-second, × 2 = 2,933.33 for both cores (2,200 in real time).
    const judged = judgeCalibrationRun({bogoOps: 4400, realSec: 2, usrSec: 2.9, sysSec: 0.1}, 2)
    expect(judged.kind).toBe('corrected')
    expect(judged.cpuShare).toBeCloseTo(0.75, 12)
    expect(judged.kind === 'corrected' && judged.opsPerSec).toBeCloseTo(2933.333333, 5)
    expect(judged.kind === 'corrected' && judged.realOpsPerSec).toBe(2200)
  })

  it('reads nothing from output without a cpu metrics line', () => {
    expect(parseStressNgMetrics('stress-ng: info:  [1] dispatching hogs: 1 cpu\n')).toBeUndefined()
  })
})
