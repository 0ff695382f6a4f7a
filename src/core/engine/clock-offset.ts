/**
 * How far the target's clock is from ours, from the `Date` header of sampled responses. A Date of
 * second D means the server's clock read D…D+1000 ms while it answered, which by our clock was
 * between sending and receiving: so offset = server − ours lies in [D − received, D + 1000 − sent].
 * Responses whose seconds begin at different moments of ours narrow the intersection to about a
 * round trip. Shards of one run that measure the same target can then tell their clocks' skew.
 */

/** Plain data, so that threads' and shards' bounds can be intersected. */
export interface ClockOffsetBounds {
  lowMs: number
  highMs: number
  samples: number
}

export interface ClockOffset {
  /** The target's clock minus this run's, the middle of the bounds (ms). */
  targetOffsetMs: number
  /** Half the width of the bounds: the offset is within ± this (ms). */
  uncertaintyMs: number
  samples: number
}

export function emptyClockBounds(): ClockOffsetBounds {
  return {lowMs: Number.NEGATIVE_INFINITY, highMs: Number.POSITIVE_INFINITY, samples: 0}
}

/** Narrows the bounds by one response: the Date header's second and our send and receive times (epoch ms). */
export function addClockSample(
  bounds: ClockOffsetBounds,
  serverSecondMs: number,
  sentEpochMs: number,
  receivedEpochMs: number,
): void {
  bounds.lowMs = Math.max(bounds.lowMs, serverSecondMs - receivedEpochMs)
  bounds.highMs = Math.min(bounds.highMs, serverSecondMs + 1000 - sentEpochMs)
  bounds.samples++
}

export function intersectClockBounds(all: ReadonlyArray<ClockOffsetBounds | undefined>): ClockOffsetBounds {
  const out = emptyClockBounds()
  for (const b of all) {
    if (!b || b.samples === 0) continue
    out.lowMs = Math.max(out.lowMs, b.lowMs)
    out.highMs = Math.min(out.highMs, b.highMs)
    out.samples += b.samples
  }
  return out
}

/** The estimate, or undefined without samples or when they contradict each other (a clock that jumped, several targets' clocks). */
export function clockOffset(bounds: ClockOffsetBounds): ClockOffset | undefined {
  if (bounds.samples === 0 || bounds.lowMs > bounds.highMs) return undefined
  return {
    targetOffsetMs: (bounds.lowMs + bounds.highMs) / 2,
    uncertaintyMs: (bounds.highMs - bounds.lowMs) / 2,
    samples: bounds.samples,
  }
}

/** The Date header of undici's raw header list (name, value, name, value…), in epoch ms; undefined without a valid one. */
export function dateHeaderMs(headers: ReadonlyArray<Buffer | string>): number | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] as Buffer | string
    if (name.length !== 4 || name.toString().toLowerCase() !== 'date') continue
    const serverMs = Date.parse((headers[i + 1] as Buffer | string).toString())
    return Number.isFinite(serverMs) ? serverMs : undefined
  }
  return undefined
}
