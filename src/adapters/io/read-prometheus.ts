/**
 * Reads a range of one PromQL expression over Prometheus's HTTP API (`/api/v1/query_range`),
 * in chunks below the server's 11,000-points-per-series limit. Several result series are summed
 * per timestamp (and said so).
 */
import {request} from 'undici'
import {InputError} from '../../contracts/errors.js'
import type {Observation} from '../../core/series/regularise.js'

export interface PrometheusRange {
  url: string
  query: string
  startMs: number
  endMs: number
  stepMs: number
}

export interface PrometheusSeries {
  observations: Observation[]
  seriesCount: number
  warnings: string[]
}

const MAX_POINTS_PER_QUERY = 10_000

interface QueryRangeResponse {
  status: 'success' | 'error'
  error?: string
  warnings?: string[]
  data?: {resultType: string; result: Array<{metric: Record<string, string>; values: Array<[number, string]>}>}
}

export async function readPrometheusRange(range: PrometheusRange): Promise<PrometheusSeries> {
  const base = range.url.replace(/\/+$/, '')
  const sums = new Map<number, number>()
  const warnings: string[] = []
  let seriesCount = 0
  const chunkMs = range.stepMs * MAX_POINTS_PER_QUERY
  // Evaluate on multiples of the step, so that samples recorded on the hour are read exactly
  // (between samples Prometheus only looks back five minutes).
  const firstMs = Math.ceil(range.startMs / range.stepMs) * range.stepMs
  const lastMs = Math.floor(range.endMs / range.stepMs) * range.stepMs
  for (let start = firstMs; start <= lastMs; start += chunkMs + range.stepMs) {
    const end = Math.min(lastMs, start + chunkMs)
    const params = new URLSearchParams({
      query: range.query,
      start: String(start / 1000),
      end: String(end / 1000),
      step: `${range.stepMs / 1000}s`,
    })
    let body: QueryRangeResponse
    try {
      const response = await request(`${base}/api/v1/query_range?${params}`, {
        headersTimeout: 30_000,
        bodyTimeout: 60_000,
      })
      body = (await response.body.json()) as QueryRangeResponse
    } catch (error) {
      const code = (error as {code?: string}).code ?? (error as Error).message
      throw new InputError('Cannot read from Prometheus:', [
        {
          field: '--prometheus',
          value: range.url,
          message: `no answer (${code}); check the URL and that the server is up`,
        },
      ])
    }
    if (body.status !== 'success' || !body.data) {
      throw new InputError('Prometheus refused the query:', [
        {field: '--query', value: range.query, message: body.error ?? 'the server answered without data'},
      ])
    }
    if (body.data.resultType !== 'matrix')
      throw new InputError('Prometheus returned no range:', [
        {
          field: '--query',
          value: range.query,
          message: `expected a range vector (matrix), got ${body.data.resultType}`,
        },
      ])
    warnings.push(...(body.warnings ?? []))
    seriesCount = Math.max(seriesCount, body.data.result.length)
    for (const series of body.data.result) {
      for (const [seconds, text] of series.values) {
        const timeMs = Math.round(seconds * 1000)
        sums.set(timeMs, (sums.get(timeMs) ?? 0) + Number(text))
      }
    }
  }
  if (seriesCount > 1)
    warnings.push(`the query returned ${seriesCount} series; they were summed (wrap it in sum(...) to say so)`)
  const observations = [...sums.entries()].sort(([a], [b]) => a - b).map(([timeMs, value]) => ({timeMs, value}))
  return {observations, seriesCount, warnings}
}
