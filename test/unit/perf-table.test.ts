/** The performance table: its builder's parsers on the source's own output formats, and the shipped table. */
import {describe, expect, it} from 'vitest'
import {shippedCatalog} from '../../src/core/catalog/shipped-catalog.js'
import {allCoresScore, findPerf, shippedPerfTable} from '../../src/core/catalog/perf-table.js'
import {parseStressNgCpu} from '../../src/adapters/host/stress-ng.js'
import {bestRps, memoryReadMBps, parseStressNgFull, sampleCurve} from '../../tools/perf/build-perf-table.js'

describe('perf table builder', () => {
  it('reads stress-ng, the static web and redis CSVs and bw_mem as the source writes them', () => {
    // Excerpts of data/aws/m6i.large in SpareCores/sc-inspector-data.
    expect(
      parseStressNgCpu(
        'stress-ng: metrc: [1] cpu               37590     20.00     20.00      0.00      1879.50        1879.58       100.00           976\n',
      ),
    ).toBe(1879.5)
    expect(parseStressNgFull('1,1880.69\n2,1922.88\n')).toEqual([
      [1, 1880.69],
      [2, 1922.88],
    ])
    expect(
      bestRps(
        '"size","threads","connections","rps","latency"\n"1k",2,2,74130,0.00002\n"1k",2,32,108236,0.0002\n"16k",2,2,64628,0.00003\n',
      ),
    ).toBe(108236)
    expect(memoryReadMBps('rd 0.016384 105351.73\nrd 512.00 15099.01\nwr 512.00 13569.69\n')).toBe(15099)
    // 1, 2, 4, … and n are kept; 3 and 5 are not.
    expect(sampleCurve([1, 2, 3, 4, 5, 6].map((c) => [c, c * 100.4]))).toEqual([
      [1, 100],
      [2, 201],
      [4, 402],
      [6, 602],
    ])
  })
})

describe('shipped perf table', () => {
  it('holds the published figures the plan translates capacity with', () => {
    // Static web best req/s and stress-ng as published by Spare Cores for these types.
    const web = (type: string, provider = 'aws') => findPerf(shippedPerfTable, provider, type)?.staticWebRps
    expect(web('m6i.large')).toBe(108236)
    expect(web('c7g.large')).toBe(129279)
    expect(web('m7i.large')).toBe(147497)
    expect(web('Standard_D2s_v5', 'azure')).toBe(116450)
    expect(web('e2-standard-2', 'gcp')).toBe(48575)
    expect(web('t3.medium')).toBe(61138)
    // One hyper-threaded core (m6i.large) barely gains from its second vCPU; two real cores (c7g.large) double.
    expect(allCoresScore(findPerf(shippedPerfTable, 'aws', 'm6i.large') ?? {})).toBe(1923)
    expect(allCoresScore(findPerf(shippedPerfTable, 'aws', 'c7g.large') ?? {})).toBe(3043)
  })

  it('joins to the catalog: every key is a catalog type, with its source, commit and licence', () => {
    const inCatalog = new Set(shippedCatalog.instances.map((i) => `${i.provider}:${i.type}`))
    const keys = Object.keys(shippedPerfTable.types)
    expect(keys.length).toBeGreaterThan(2000)
    for (const key of keys) expect(inCatalog.has(key), key).toBe(true)
    expect(shippedPerfTable.source).toMatchObject({repository: 'SpareCores/sc-inspector-data', license: 'CC BY-SA 4.0'})
    expect(shippedPerfTable.source.commit).toMatch(/^[0-9a-f]{40}$/)
  })
})
