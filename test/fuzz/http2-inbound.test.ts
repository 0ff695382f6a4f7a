/**
 * The raw HTTP/2 client's reading side (http2-inbound.ts, http2-frames.ts) on hand-built frames:
 * padding and priority stripped, header blocks joined across CONTINUATION, SETTINGS and PING
 * answered, protocol errors named — and the same calls whatever the reads' boundaries (random
 * splits of the byte stream, one reused buffer holding stale bytes past each read).
 */
import {Buffer} from 'node:buffer'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {encodeHeaderBlock} from '../../src/core/engine/hpack.js'
import {Http2Inbound, type InboundSink} from '../../src/core/engine/http2-inbound.js'
import {Frame, SETTINGS_ACK, frame} from '../../src/core/engine/http2-frames.js'
import {splitBytes} from '../helpers/split-bytes.js'

function recorder(): {sink: InboundSink; calls: unknown[]} {
  const calls: unknown[] = []
  const sink: InboundSink = {
    wantsFields: () => true,
    onResponseHeaders: (id, status, fields, endStream) => calls.push(['headers', id, status, fields, endStream]),
    onResponseData: (id, payloadBytes, bytes, from, to, endStream) =>
      calls.push(['data', id, payloadBytes, bytes.toString('latin1', from, to), endStream]),
    onReset: (id, code) => calls.push(['reset', id, code]),
    onSettings: (parameters) => calls.push(['settings', parameters]),
    onGoAway: (lastStreamId) => calls.push(['goaway', lastStreamId]),
    onWindowUpdate: (id, increment) => calls.push(['window', id, increment]),
    onConnectionError: (reason) => calls.push(['error', reason.message]),
    send: (bytes) => calls.push(['send', bytes.toString('hex')]),
  }
  return {sink, calls}
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const block = encodeHeaderBlock([
  [':status', '200'],
  ['content-type', 'text/plain'],
  ['x-long', 'z'.repeat(300)],
])
const padded = (payload: Buffer, pad: number, prefix = Buffer.alloc(0)) =>
  Buffer.concat([Buffer.from([pad]), prefix, payload, Buffer.alloc(pad, 0xee)])

/** A server's side of a conversation: every frame type the reader handles. */
const conversation = Buffer.concat([
  frame(Frame.Settings, 0, 0, Buffer.from([0, 3, 0, 0, 0, 100, 0, 4, 0, 1, 0, 0])),
  frame(Frame.Ping, 0, 0, Buffer.from('pingpong')),
  // HEADERS, padded and with a priority, its block continued in two CONTINUATION frames.
  frame(Frame.Headers, 0x8 | 0x20, 1, padded(block.subarray(0, 10), 7, Buffer.alloc(5))),
  frame(Frame.Continuation, 0, 1, block.subarray(10, 200)),
  frame(Frame.Continuation, 0x4, 1, block.subarray(200)),
  frame(Frame.Data, 0x8, 1, padded(Buffer.from('hello '), 20)),
  frame(Frame.Data, 0x1, 1, Buffer.from('world')),
  frame(Frame.Headers, 0x4 | 0x1, 3, encodeHeaderBlock([[':status', '404']])),
  frame(Frame.RstStream, 0, 5, u32(2)),
  frame(Frame.WindowUpdate, 0, 0, u32(1000)),
  frame(2 as Frame /* PRIORITY */, 0, 7, Buffer.alloc(5)),
  frame(0x42 as Frame /* unknown */, 0, 0, Buffer.from('ignored')),
  frame(Frame.GoAway, 0, 0, Buffer.concat([u32(3), u32(0)])),
])

const expected = [
  ['send', SETTINGS_ACK.toString('hex')],
  [
    'settings',
    [
      [3, 100],
      [4, 65536],
    ],
  ],
  ['send', frame(Frame.Ping, 1, 0, Buffer.from('pingpong')).toString('hex')],
  ['headers', 1, 200, ['content-type', 'text/plain', 'x-long', 'z'.repeat(300)], false],
  ['data', 1, 27, 'hello ', false],
  ['data', 1, 5, 'world', true],
  ['headers', 3, 404, [], true],
  ['reset', 5, 2],
  ['window', 0, 1000],
  ['goaway', 3],
]

describe('HTTP/2 frames read by http2-inbound.ts', () => {
  it('one read: padding and priority stripped, CONTINUATION joined, SETTINGS and PING answered', () => {
    const {sink, calls} = recorder()
    new Http2Inbound(sink).push(conversation, conversation.length)
    expect(calls).toEqual(expected)
  })

  it('the same calls at any read boundaries, through one reused buffer with stale bytes past each read', () => {
    const shared = Buffer.alloc(conversation.length + 64)
    fc.assert(
      fc.property(fc.array(fc.integer({min: 1, max: conversation.length - 1}), {maxLength: 12}), (cuts) => {
        const {sink, calls} = recorder()
        const inbound = new Http2Inbound(sink)
        for (const piece of splitBytes(conversation, cuts)) {
          shared.fill(0x5a)
          piece.copy(shared)
          inbound.push(shared, piece.length)
        }
        expect(calls).toEqual(expected)
      }),
      {numRuns: 3000},
    )
  })

  it('names the protocol errors that end a connection', () => {
    const errorOf = (bytes: Buffer) => {
      const {sink, calls} = recorder()
      new Http2Inbound(sink).push(bytes, bytes.length)
      return calls.filter((c) => (c as unknown[])[0] === 'error').map((c) => (c as unknown[])[1])
    }
    const settings = frame(Frame.Settings, 0, 0, Buffer.alloc(0))
    expect(errorOf(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toEqual([
      expect.stringMatching(/a frame of \d+ bytes, over 16,384/),
    ])
    expect(errorOf(frame(Frame.Data, 1, 1, Buffer.from('x')))).toEqual([
      'HTTP/2: the server did not start with SETTINGS',
    ])
    expect(
      errorOf(
        Buffer.concat([
          settings,
          frame(Frame.Headers, 0, 1, block.subarray(0, 5)),
          frame(Frame.Data, 0, 1, Buffer.from('x')),
        ]),
      ),
    ).toEqual(['HTTP/2: a header block broken off'])
    expect(errorOf(Buffer.concat([settings, frame(Frame.Data, 0x8, 1, Buffer.from([9, 1]))]))).toEqual([
      'HTTP/2: padding longer than its frame',
    ])
    expect(errorOf(Buffer.concat([settings, frame(Frame.PushPromise, 0x4, 1, u32(2))]))).toEqual([
      'HTTP/2: PUSH_PROMISE after SETTINGS_ENABLE_PUSH 0',
    ])
    expect(errorOf(Buffer.concat([settings, frame(Frame.Headers, 0x4, 1, Buffer.from([0x80]))]))).toEqual([
      'HPACK: index 0',
    ])
  })
})
