/**
 * Prometheus remote write (protocol 1.0): series encoded as a protobuf WriteRequest, compressed
 * with snappy's block format, POSTed to the receiver. The message types are the four of
 * prometheus/prompb (types.proto, remote.proto) that samples need; field numbers as there.
 */
import protobuf from 'protobufjs/light.js'
import {compress} from 'snappyjs'
import type {MetricSeries} from '../../contracts/results/metric-series.js'

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {fields: {timeseries: {rule: 'repeated', type: 'TimeSeries', id: 1}}},
        TimeSeries: {
          fields: {
            labels: {rule: 'repeated', type: 'Label', id: 1},
            samples: {rule: 'repeated', type: 'Sample', id: 2},
          },
        },
        Label: {fields: {name: {type: 'string', id: 1}, value: {type: 'string', id: 2}}},
        Sample: {fields: {value: {type: 'double', id: 1}, timestamp: {type: 'int64', id: 2}}},
      },
    },
  },
})
const WriteRequest = root.lookupType('prometheus.WriteRequest')

/** The request body for series sampled at `timestampMs`: labels sorted by name, as the protocol requires. */
export function encodeWriteRequest(series: readonly MetricSeries[], timestampMs: number): Uint8Array {
  const timeseries = series.map((s) => ({
    labels: Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({name, value})),
    samples: [{value: s.value, timestamp: timestampMs}],
  }))
  return compress(WriteRequest.encode(WriteRequest.create({timeseries})).finish())
}

export interface RemoteWriter {
  /** Sends series; resolves with an error message instead of rejecting. */
  push(series: readonly MetricSeries[], timestampMs: number): Promise<string | undefined>
}

const PUSH_TIMEOUT_MS = 10_000

export function createRemoteWriter(url: string): RemoteWriter {
  return {
    async push(series, timestampMs) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
            'user-agent': 'loadplan',
          },
          body: encodeWriteRequest(series, timestampMs),
          signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
        })
        if (response.ok) return undefined
        const text = (await response.text()).slice(0, 200).trim()
        return `${url} answered ${response.status}${text ? `: ${text}` : ''}`
      } catch (error) {
        const cause = (error as {cause?: {code?: string; message?: string}}).cause
        return `${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`
      }
    },
  }
}
