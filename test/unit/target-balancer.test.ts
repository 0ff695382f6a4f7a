import {describe, expect, it} from 'vitest'
import {resolveRunOptions} from '../../src/config/run/resolve-run-options.js'
import {InputError} from '../../src/contracts/errors.js'
import {requestKey, TargetBalancer, type TargetBalance} from '../../src/core/engine/target-balancer.js'

const three = [
  {origin: 'http://a:1', weight: 1},
  {origin: 'http://b:1', weight: 1},
  {origin: 'http://c:1', weight: 1},
]
const request = {path: '/'}
const picks = (balancer: TargetBalancer, n: number, slot = 0) =>
  Array.from({length: n}, () => balancer.choose(slot, request))
const balancer = (balance: TargetBalance, targets = three) => new TargetBalancer(targets, balance, 1)

describe('TargetBalancer', () => {
  it('round-robin takes the targets in turn; weighted interleaves by weight (smooth, as nginx)', () => {
    expect(picks(balancer({policy: 'round-robin'}), 6)).toEqual([0, 1, 2, 0, 1, 2])
    // nginx's smooth weighted round robin for weights 5, 1, 1: a a b a c a a.
    expect(
      picks(
        balancer({policy: 'weighted'}, [
          {origin: 'a', weight: 5},
          {origin: 'b', weight: 1},
          {origin: 'c', weight: 1},
        ]),
        7,
      ),
    ).toEqual([0, 0, 1, 0, 2, 0, 0])
  })

  it('least-conn picks the fewest outstanding per weight, ties in turn; p2c never the busier of its two', () => {
    const lc = balancer({policy: 'least-conn'})
    lc.inFlight.set([3, 1, 2])
    expect(lc.choose(0, request)).toBe(1)
    lc.inFlight.set([0, 0, 0])
    expect(picks(lc, 3)).toEqual([1, 2, 0])
    const weighted = balancer({policy: 'least-conn'}, [
      {origin: 'a', weight: 4},
      {origin: 'b', weight: 1},
      {origin: 'c', weight: 1},
    ])
    weighted.inFlight.set([3, 1, 1])
    expect(weighted.choose(0, request)).toBe(0)
    const p2c = balancer({policy: 'p2c'})
    p2c.inFlight.set([9, 0, 0])
    // Of any two distinct targets at least one is idle: the busy one is never picked.
    expect(picks(p2c, 200)).not.toContain(0)
  })

  it('hash:KEY sends one key to one target and spreads many keys; sticky keeps each slot on its first target', () => {
    const hash = balancer({policy: 'hash', key: 'user'})
    const target = (user: string) => hash.choose(0, {path: `/cart?user=${user}&page=2`})
    expect(new Set(Array.from({length: 20}, () => target('alice'))).size).toBe(1)
    expect(new Set(Array.from({length: 300}, (_, i) => target(`u${i}`)))).toEqual(new Set([0, 1, 2]))
    expect(hash.choose(0, {path: '/', headers: ['x-other', '1', 'User', 'alice']})).toBe(target('alice'))
    const sticky = balancer({policy: 'sticky'})
    expect([
      sticky.choose(0, request),
      sticky.choose(1, request),
      sticky.choose(2, request),
      sticky.choose(3, request),
    ]).toEqual([0, 1, 2, 0])
    expect(picks(sticky, 5, 1)).toEqual([1, 1, 1, 1, 1])
  })

  it('reads the key from a header (any case) or the query', () => {
    expect(requestKey({path: '/?user=bob', headers: ['X-User', 'ann']}, 'x-user')).toBe('ann')
    expect(requestKey({path: '/?user=bob'}, 'user')).toBe('bob')
    expect(requestKey({path: '/'}, 'user')).toBeUndefined()
  })
})

describe('--targets options', () => {
  const problems = (flags: Record<string, string>) => {
    try {
      resolveRunOptions({url: 'http://127.0.0.1:8080/api', flags})
      return []
    } catch (error) {
      return (error as InputError).problems.map((p) => `${p.field}: ${p.message}`)
    }
  }

  it('takes origins and weights, and the path from the target', () => {
    const options = resolveRunOptions({
      url: 'http://127.0.0.1:8080/api',
      flags: {targets: 'http://10.0.0.1:80, http://10.0.0.2:80/', weights: '2,1', balance: 'hash:x-user'},
    })
    expect(options.targets).toEqual([
      {origin: 'http://10.0.0.1', weight: 2},
      {origin: 'http://10.0.0.2', weight: 1},
    ])
    expect(options.balance).toEqual({policy: 'hash', key: 'x-user'})
    expect(options.scenarios[0]?.path).toBe('/api')
  })

  it('reads targets: and balance: from a service file, weights included', () => {
    const options = resolveRunOptions({
      file: {target: 'http://svc/api', targets: ['http://a:1', {url: 'http://b:1', weight: 3}], balance: 'weighted'},
      fileName: 'svc.yaml',
      flags: {},
    })
    expect(options.targets).toEqual([
      {origin: 'http://a:1', weight: 1},
      {origin: 'http://b:1', weight: 3},
    ])
    expect(options.balance).toEqual({policy: 'weighted'})
  })

  it('reports every problem at once', () => {
    expect(problems({targets: 'http://a:1', balance: 'fastest'})).toEqual([
      expect.stringMatching(/^--targets: give at least two targets/),
      expect.stringMatching(/^--balance: expected one of round-robin, weighted, least-conn, p2c, hash:KEY, sticky/),
    ])
    expect(
      problems({targets: 'http://a:1/x,ftp://b', weights: '1', pipelining: '4'}).map((p) => p.split(':')[0]),
    ).toEqual(['--weights', '--targets[0]', '--targets[1]', '--pipelining'])
    expect(problems({targets: 'http://a:1,http://b:1', balance: 'hash'})).toEqual([
      expect.stringMatching(/^--balance: hash needs the header or query parameter/),
    ])
    expect(problems({balance: 'least-conn'})).toEqual([
      expect.stringMatching(/^--balance: balances over several targets/),
    ])
  })
})
