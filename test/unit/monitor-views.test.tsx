import {stripVTControlCharacters} from 'node:util'
import {parse} from 'csv-parse/sync'
import {render} from 'ink-testing-library'
import {describe, expect, it} from 'vitest'
import {instantHeadroom, rollupsToCsv} from '../../src/report/monitor-views.js'
import {MonitorView} from '../../src/ui/monitor-view.js'

function frame(sample: Record<string, number>, columns: number, cpuHistory: number[] = [10, 40]): string {
  const {lastFrame, unmount} = render(
    <MonitorView
      view={{
        sample,
        timeMs: Date.UTC(2026, 10, 25, 12),
        vcpus: 4,
        headroom: instantHeadroom(sample, 4),
        cpuHistory,
        columns,
      }}
    />,
  )
  // Colours depend on the environment (picocolors turns them on under CI): compare the text.
  const out = stripVTControlCharacters(lastFrame() ?? '')
  unmount()
  return out
}

describe('monitor view', () => {
  it('shows the headroom factor against the batch targets with the queueing knee', () => {
    // By hand on 4 vCPUs: CPU 40 % of min(80 %, knee(4) = 75 %) = 0.533; memory 60 % of 80 % = 0.75
    // → memory binds, factor 1 / 0.75 = 1.33.
    expect(instantHeadroom({'cpu.busy': 40, 'mem.used_pct': 60}, 4)).toEqual({factor: 1 / 0.75, binding: 'memory'})
    // Inside a cgroup of 1 CPU the knee of one server (33 %) applies to the group's own use.
    const limited = instantHeadroom(
      {'cpu.busy': 10, 'cgroup.cpu_limit': 1, 'cgroup.cpu_used_pct': 30, 'mem.used_pct': 10},
      8,
    )
    expect(limited.binding).toBe('cpu')
    expect(limited.factor).toBeCloseTo(33.3 / 30, 1)
  })

  for (const columns of [80, 120]) {
    it(`the live view at ${columns} columns: the sample's figures, the headroom, within the width`, () => {
      const text = frame(
        {
          'cpu.busy': 40,
          'cpu.user': 30,
          'mem.used_pct': 60,
          'disk.vda.iops': 12,
          'net.eth0.rx_bps': 1000,
          'psi.cpu.some10': 2.5,
        },
        columns,
      )
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(columns)
      expect(text).toContain('room ×1.33 before memory reaches its target')
      expect(text).toMatch(/^cpu {2}[█░]+ 40\.0%/m)
      expect(text).toMatch(/usr 30\.0/)
      expect(text).toMatch(/^disk vda {6}12\.0 IOPS/m)
      expect(text).toMatch(/^net {2}eth0 {5}rx 1\.00 kB\/s/m)
      expect(text).toMatch(/psi {2}cpu 2\.5%/)
    })
  }

  it('the CPU bar grows with the load and the trend shows it', () => {
    const idle = frame({'cpu.busy': 5, 'mem.used_pct': 10}, 100, [5, 5])
    const busy = frame({'cpu.busy': 95, 'mem.used_pct': 10}, 100, [5, 95])
    const filled = (text: string) => (/^cpu {2}(█*)/m.exec(text)?.[1] ?? '').length
    expect(filled(busy)).toBeGreaterThan(filled(idle) + 10)
    expect(busy).toMatch(/95\.0% {2}▁█/)
  })

  it('quotes a metric name with a comma in the CSV export, so every row keeps six fields', () => {
    // Given a filesystem mounted with a comma in its path (the metric name carries it).
    const csv = rollupsToCsv([
      {
        periodStartMs: Date.UTC(2026, 10, 1),
        metric: 'fs.used_pct{mount=/data,ro}',
        mean: 42.5,
        max: 43,
        p95: 42.9,
        samples: 60,
      },
    ])
    // Then the field is quoted and reads back whole.
    expect(csv).toBe(
      'timestamp,metric,mean,max,p95,samples\n2026-11-01T00:00:00.000Z,"fs.used_pct{mount=/data,ro}",42.5,43,42.9,60\n',
    )
    expect(parse(csv)).toEqual([
      ['timestamp', 'metric', 'mean', 'max', 'p95', 'samples'],
      ['2026-11-01T00:00:00.000Z', 'fs.used_pct{mount=/data,ro}', '42.5', '43', '42.9', '60'],
    ])
  })
})
