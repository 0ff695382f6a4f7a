/**
 * loadplan's HPACK (src/core/engine/hpack.ts) against an independent implementation, hpack.js
 * (indutny, MIT): the Huffman code and static table entry by entry, and random header lists
 * through both directions — hpack.js's encoder (Huffman or not, indexed, incremental, never
 * indexed, table size updates) into loadplan's decoder over runs of blocks that share a dynamic
 * table, and loadplan's request encoder into hpack.js's decoder.
 */
import {Buffer} from 'node:buffer'
import {createRequire} from 'node:module'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {HpackDecoder, STATIC_TABLE, encodeHeaderBlock, huffmanCode, huffmanDecode} from '../../src/core/engine/hpack.js'

interface Field {
  name: string
  value: string
  huffman?: boolean
  neverIndex?: boolean
  incremental?: boolean
}
interface HpackJs {
  compressor: {
    create(o: object): {write(fields: Field[]): void; read(): Buffer | null; updateTableSize(size: number): void}
  }
  decompressor: {create(o: object): {write(b: Buffer): void; execute(): void; read(): Field | null}}
}
const require = createRequire(import.meta.url)
const hpackJs = require('hpack.js') as HpackJs
const huffmanTable = require('hpack.js/lib/hpack/huffman.js') as {encode: Array<[number, number]>}
const staticTable = require('hpack.js/lib/hpack/static-table.js') as {table: Array<{name: string; value: string}>}

/** Any byte as a character (latin1): every Huffman symbol appears. */
const anyText = fc.array(fc.integer({min: 0, max: 255}), {maxLength: 40}).map((codes) => String.fromCharCode(...codes))
const fieldName = fc.oneof(
  fc.constantFrom(...STATIC_TABLE.map(([name]) => name).filter((name) => !name.startsWith(':'))),
  // Not a name Object.prototype has: hpack.js looks names up in a plain object, and for
  // `constructor` it encodes a static-table reference that does not exist (its bug, not ours).
  fc.stringMatching(/^[a-z0-9-]{1,20}$/).filter((name) => !(name in Object.prototype)),
)
const field = fc.record({
  name: fieldName,
  value: fc.oneof(anyText, fc.constantFrom('gzip, deflate', '', 'nginx')),
  huffman: fc.boolean(),
  neverIndex: fc.boolean(),
  incremental: fc.boolean(),
})

describe('HPACK against hpack.js', () => {
  it('every Huffman code rebuilt from the lengths is the RFC 7541 code', () => {
    for (let symbol = 0; symbol <= 256; symbol++) {
      const [bits, code] = huffmanTable.encode[symbol] as [number, number]
      expect(huffmanCode(symbol), `symbol ${symbol}`).toEqual({bits, code})
    }
  })

  it('the static table is RFC 7541 Appendix A', () => {
    expect(STATIC_TABLE.map(([name, value]) => ({name, value}))).toEqual(
      staticTable.table.map(({name, value}) => ({name, value})),
    )
  })

  it('decodes the RFC 7541 C.4.1 example (Huffman)', () => {
    const block = Buffer.from('828684418cf1e3c2e5f23a6ba0ab90f4ff', 'hex')
    expect(new HpackDecoder().decode(block, 0, block.length, true)).toEqual({status: Number.NaN, fields: []})
    expect(huffmanDecode(block, 5, block.length)).toBe('www.example.com')
  })

  it("decodes runs of hpack.js's blocks, the dynamic table shared, sizes updated and entries evicted", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({status: fc.constantFrom('200', '404', '503'), fields: fc.array(field, {maxLength: 12})}), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom(4096, 256, 64),
        (blocks, tableSize) => {
          // hpack.js keeps a smaller table without saying so (its table option is maxSize): the size update (§6.3) is written here.
          const encoder = hpackJs.compressor.create({table: {maxSize: tableSize}})
          const sizeUpdate = Buffer.from(
            tableSize === 4096 ? [] : tableSize === 256 ? [0x3f, 0xe1, 0x01] : [0x3f, 0x21],
          )
          const decoder = new HpackDecoder(4096)
          for (const [i, block] of blocks.entries()) {
            encoder.write([{name: ':status', value: block.status}, ...block.fields])
            const encoded = encoder.read() ?? Buffer.alloc(0)
            const bytes = i === 0 ? Buffer.concat([sizeUpdate, encoded]) : encoded
            const decoded = decoder.decode(bytes, 0, bytes.length, true)
            expect(decoded.status).toBe(Number(block.status))
            expect(decoded.fields).toEqual(block.fields.flatMap((f) => [f.name, f.value]))
          }
        },
      ),
      {numRuns: 2000},
    )
  })

  it("loadplan's request blocks decode in hpack.js to the fields given", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT'),
        fc.constantFrom('/', '/index.html', '/a?b=c'),
        fc.array(fc.record({name: fieldName, value: anyText}), {maxLength: 10}),
        (method, path, extra) => {
          const fields: Array<[string, string]> = [
            [':method', method],
            [':scheme', 'http'],
            [':authority', '127.0.0.1:8080'],
            [':path', path],
            ...extra.map((f): [string, string] => [f.name, f.value]),
          ]
          const decoder = hpackJs.decompressor.create({table: {maxSize: 4096}})
          decoder.write(encodeHeaderBlock(fields))
          decoder.execute()
          const seen: Array<[string, string]> = []
          for (let f = decoder.read(); f !== null; f = decoder.read()) seen.push([f.name, f.value])
          expect(seen).toEqual(fields)
        },
      ),
      {numRuns: 1000},
    )
  })

  it('refuses what RFC 7541 forbids, with a coded error', () => {
    const decode = (hex: string) => {
      const bytes = Buffer.from(hex, 'hex')
      return () => new HpackDecoder().decode(bytes, 0, bytes.length, false)
    }
    expect(decode('80')).toThrow(/index 0/) // indexed field 0
    expect(decode('be')).toThrow(/index 62 past the tables/) // empty dynamic table
    expect(decode('3fe21f')).toThrow(/a table size of 4097 over 4096/) // 31 + 98 + 31 × 128
    expect(decode('883fe11f')).toThrow(/after the first field/)
    expect(decode('0081ff01')).toThrow(/Huffman/) // 0xff is 8 one-bits: padding longer than 7
    expect(decode('0084ffffffff01')).toThrow(/EOS|Huffman/) // 30 one-bits: EOS
    expect(decode('0005ab')).toThrow(/past the block/)
    expect(decode('0f')).toThrow(/past the block/)
    try {
      decode('80')()
    } catch (error) {
      expect((error as {code?: string}).code).toBe('ERR_HTTP2_SESSION_ERROR')
    }
  })
})
