import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {instantHeadroom, renderMonitorTop, rollupsToCsv} from '../../src/report/monitor-views.js'

describe('monitor view', () => {
  it('shows the headroom factor against the batch targets with the queueing knee', () => {
    // By hand on 4 vCPUs: CPU 40 % of min(80 %, knee(4) = 75 %) = 0.533; memory 60 % of 80 % = 0.75
    // → memory binds, factor 1 / 0.75 = 1.33.
    expect(instantHeadroom({'cpu.busy': 40, 'mem.used_pct': 60}, 4)).toEqual({factor: 1 / 0.75, binding: 'memory'})
    // Inside a cgroup of 1 CPU the knee of one server (33 %) applies to the group's own use.
    const limited = instantHeadroom({'cpu.busy': 10, 'cgroup.cpu_limit': 1, 'cgroup.cpu_used_pct': 30, 'mem.used_pct': 10}, 8)
    expect(limited.binding).toBe('cpu')
    expect(limited.factor).toBeCloseTo(33.3 / 30, 1)
    const text = renderMonitorTop({'cpu.busy': 40, 'mem.used_pct': 60, 'disk.vda.iops': 12, 'net.eth0.rx_bps': 1000}, Date.UTC(2026, 10, 25, 12), 4)
    expect(text).toContain('room ×1.33 before memory reaches its target')
    expect(text).toMatch(/^disk vda {6}12\.0 IOPS/m)
    expect(text).toMatch(/^net {2}eth0 {5}rx 1\.00 kB\/s/m)
  })

  it('quotes a metric name with a comma in the CSV export, so every row keeps six fields', () => {
    // Given a filesystem mounted with a comma in its path (the metric name carries it).
    const csv = rollupsToCsv([{periodStartMs: Date.UTC(2026, 10, 1), metric: 'fs.used_pct{mount=/data,ro}', mean: 42.5, max: 43, p95: 42.9, samples: 60}])
    // Then the field is quoted and reads back whole.
    expect(csv).toBe('timestamp,metric,mean,max,p95,samples\n2026-11-01T00:00:00.000Z,"fs.used_pct{mount=/data,ro}",42.5,43,42.9,60\n')
    expect(parse(csv)).toEqual([
      ['timestamp', 'metric', 'mean', 'max', 'p95', 'samples'],
      ['2026-11-01T00:00:00.000Z', 'fs.used_pct{mount=/data,ro}', '42.5', '43', '42.9', '60'],
    ])
  })
})
