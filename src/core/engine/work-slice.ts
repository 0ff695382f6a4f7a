/**
 * How a run is divided: first into segments (processes or hosts, `--segment i/n`), then each
 * segment into worker threads. Both levels interleave one global sequence (arrivals, sequence
 * numbers, data rows), so the division has no gap and no overlap whatever each shard's worker
 * count, and totals (connections, amounts) are split into whole shares that add up exactly.
 */
import type {Segment} from './run-options.js'

/** One thread's part of the run. */
export interface WorkSlice {
  segment: Segment
  workerIndex: number
  workerCount: number
}

export const WHOLE_RUN: Segment = {index: 0, count: 1}

/** Splits `total` into `parts` near-equal whole shares; share `index` gets the remainder first. */
export function shareOf(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0)
}

/** This thread's whole share of a total: its segment's share, then its worker's share of that. */
export function sliceShare(total: number, slice: WorkSlice): number {
  return shareOf(shareOf(total, slice.segment.count, slice.segment.index), slice.workerCount, slice.workerIndex)
}

/** Position in the whole run's sequence of this thread's `local`-th item. */
export function globalIndex(local: number, slice: WorkSlice): number {
  return (local * slice.workerCount + slice.workerIndex) * slice.segment.count + slice.segment.index
}

/** This thread's fraction of a rate (arrivals are dealt out in turn, so each gets an equal part). */
export function sliceFraction(slice: WorkSlice): number {
  return 1 / (slice.workerCount * slice.segment.count)
}

/** A seed of its own for each thread of each segment, so their random draws differ. */
export function sliceSeed(seed: number, slice: WorkSlice): number {
  return seed + slice.workerIndex * 7919 + slice.segment.index * 104_729
}
