/**
 * Client-side load balancing over several targets (`run --targets A,B,C --balance POLICY`), so a
 * fleet without a balancer of its own can be tested directly. The same policies as the fleet
 * simulation (src/core/capacity/fleet-simulation, both from core/balancing), applied to live requests: the balancer only picks a
 * target per request; the engine sends it on a connection to that target.
 */
import {hashRing, leastLoaded, powerOfTwoChoices, smoothWeightedRoundRobin} from '../balancing/balancing-primitives.js'
import {createRandom} from '../../contracts/stats/random.js'

export const TARGET_BALANCE_POLICIES = ['round-robin', 'weighted', 'least-conn', 'p2c', 'hash', 'sticky'] as const
export type TargetBalancePolicy = (typeof TARGET_BALANCE_POLICIES)[number]

export interface TargetBalance {
  policy: TargetBalancePolicy
  /** For `hash`: the request header or query parameter whose value is hashed. */
  key?: string
}

export interface BalancedTarget {
  origin: string
  /** Relative weight for `weighted` (and per-weight load for least-conn and p2c). */
  weight: number
}

/** What a balancer reads of a request: its headers (name, value, …) and path with query. */
export interface BalancedRequest {
  headers?: unknown
  path: string
}

/** The value of header or query parameter `key` in a request, or undefined. */
export function requestKey(request: BalancedRequest, key: string): string | undefined {
  const headers = request.headers
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (String(headers[i]).toLowerCase() === key) return String(headers[i + 1])
  }
  const queryStart = request.path.indexOf('?')
  return queryStart < 0 ? undefined : (new URLSearchParams(request.path.slice(queryStart + 1)).get(key) ?? undefined)
}

export class TargetBalancer {
  /** Requests outstanding per target. */
  readonly inFlight: Int32Array
  private readonly weights: Float64Array
  private readonly weightedPick: () => number
  private readonly random: () => number
  private readonly ring: ((key: string) => number) | undefined
  private readonly key: string | undefined
  /** Sticky: the target each slot (virtual user) was first given, -1 until then. */
  private readonly stickyTarget: number[] = []
  private turn = 0

  constructor(
    targets: readonly BalancedTarget[],
    private readonly balance: TargetBalance,
    seed: number,
  ) {
    this.inFlight = new Int32Array(targets.length)
    this.weights = Float64Array.from(targets, (t) => t.weight)
    this.weightedPick = smoothWeightedRoundRobin(this.weights)
    this.random = createRandom(seed)
    this.ring = balance.policy === 'hash' ? hashRing(targets.length, 100) : undefined
    this.key = balance.key?.toLowerCase()
  }

  private inTurn(): number {
    const target = this.turn
    this.turn = (this.turn + 1) % this.inFlight.length
    return target
  }

  /** Outstanding requests per weight. */
  private readonly load = (target: number): number =>
    (this.inFlight[target] as number) / (this.weights[target] as number)

  /** The target for the next request of `slot`. */
  choose(slot: number, request: BalancedRequest): number {
    const n = this.inFlight.length
    switch (this.balance.policy) {
      case 'round-robin':
        return this.inTurn()
      case 'weighted':
        return this.weightedPick()
      case 'least-conn':
        return leastLoaded(n, this.inTurn(), this.load)
      case 'p2c':
        return powerOfTwoChoices(n, this.random, this.load)
      case 'hash': {
        const value = requestKey(request, this.key as string)
        // A request without the key has nothing to be consistent about: it goes in turn.
        return value === undefined ? this.inTurn() : (this.ring as (key: string) => number)(value)
      }
      case 'sticky': {
        const known = this.stickyTarget[slot]
        if (known !== undefined) return known
        const target = this.inTurn()
        this.stickyTarget[slot] = target
        return target
      }
    }
  }
}
