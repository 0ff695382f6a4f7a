/**
 * HPACK (RFC 7541) for the raw HTTP/2 client: a decoder for the server's header blocks (static
 * and dynamic tables, Huffman strings, table size updates) and an encoder for request header
 * blocks that never touches the server's dynamic table (literals without indexing, static indexes
 * where a whole field or a name matches), so a request template is encoded once and its bytes
 * serve every stream.
 */
import {Buffer} from 'node:buffer'

/** RFC 7541 Appendix A: index 1 is the first entry. A bare name has an empty value. */
const STATIC_ENTRIES: ReadonlyArray<string | readonly [string, string]> = [
  ':authority',
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  'accept-charset',
  ['accept-encoding', 'gzip, deflate'],
  ...'accept-language accept-ranges accept access-control-allow-origin age allow authorization cache-control content-disposition content-encoding content-language content-length content-location content-range content-type cookie date etag expect expires from host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified link location max-forwards proxy-authenticate proxy-authorization range referer refresh retry-after server set-cookie strict-transport-security transfer-encoding user-agent vary via www-authenticate'.split(
    ' ',
  ),
]

export const STATIC_TABLE: ReadonlyArray<readonly [string, string]> = STATIC_ENTRIES.map((entry) =>
  typeof entry === 'string' ? ([entry, ''] as const) : entry,
)

/**
 * The Huffman code's length in bits for each of the 257 symbols (256 is EOS), in base 36, from
 * RFC 7541 Appendix B. The code is canonical (within a length, codes ascend with the symbol; each
 * length starts past the shorter ones), so the lengths alone rebuild every code; a unit test
 * checks all 257 against hpack.js's table.
 */
const HUFFMAN_LENGTHS =
  'dnsssssssoussussssssssusssssssss6aacd68baa8b8666555666666678f6cad67777777777777777777777878djde6f56565666577666567655677777fbedskmkkmmmnmnnnnnonoomnonnnnlmnmnnomlkmmnnlnmmolmnnllmlnmnnkmmmnmmnqqkjmnmpqqqrrqopjlqrrqrollqqsrrrkoklmllnmmppooqnqrqqrrrrrsrrrrrqu'

const EOS = 256
const MAX_CODE_BITS = 30
/** Per code length: the first code, how many codes, and where their symbols start in SYMBOLS. */
const FIRST_CODE = new Int32Array(MAX_CODE_BITS + 1)
const CODE_COUNT = new Int32Array(MAX_CODE_BITS + 1)
const SYMBOL_AT = new Int32Array(MAX_CODE_BITS + 1)
const SYMBOLS = new Uint16Array(257)
{
  const lengths = [...HUFFMAN_LENGTHS].map((c) => parseInt(c, 36))
  const order = [...lengths.keys()].sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b)
  order.forEach((symbol, i) => (SYMBOLS[i] = symbol))
  let code = 0
  let previous = 0
  for (let i = 0; i < order.length; i++) {
    const length = lengths[order[i] as number] as number
    if (i > 0) code = (code + 1) * 2 ** (length - previous)
    if (CODE_COUNT[length] === 0) {
      FIRST_CODE[length] = code
      SYMBOL_AT[length] = i
    }
    CODE_COUNT[length] = (CODE_COUNT[length] as number) + 1
    previous = length
  }
}

/** The canonical code of each symbol, rebuilt from the lengths: for the table test. */
export function huffmanCode(symbol: number): {bits: number; code: number} {
  const at = SYMBOLS.indexOf(symbol)
  let bits = 1
  while (!(at >= SYMBOL_AT[bits]! && at < SYMBOL_AT[bits]! + CODE_COUNT[bits]! && CODE_COUNT[bits]! > 0)) bits++
  return {bits, code: FIRST_CODE[bits]! + at - SYMBOL_AT[bits]!}
}

export class HpackError extends Error {
  readonly code = 'ERR_HTTP2_SESSION_ERROR'
  constructor(message: string) {
    super(`HPACK: ${message}`)
  }
}

/** Decodes a Huffman string (RFC 7541 §5.2): bit by bit against the canonical code's ranges. */
export function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  let out = ''
  let code = 0
  let bits = 0
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number
    for (let shift = 7; shift >= 0; shift--) {
      code = code * 2 + ((byte >> shift) & 1)
      bits++
      const offset = code - FIRST_CODE[bits]!
      if (offset >= 0 && offset < CODE_COUNT[bits]!) {
        const symbol = SYMBOLS[SYMBOL_AT[bits]! + offset]!
        if (symbol === EOS) throw new HpackError('EOS inside a Huffman string')
        out += String.fromCharCode(symbol)
        code = 0
        bits = 0
      } else if (bits >= MAX_CODE_BITS) throw new HpackError('an invalid Huffman code')
    }
  }
  // The padding is the EOS code's most significant bits, all ones, fewer than 8.
  if (bits > 7 || code !== 2 ** bits - 1) throw new HpackError('invalid Huffman padding')
  return out
}

/** One header block's fields, as its decoder hands them over. */
export interface DecodedBlock {
  /** The `:status` pseudo-header as a number, or NaN without one. */
  status: number
  /** Regular fields as name, value pairs (undici's flat list), when asked for. */
  fields: string[] | null
}

/** Decodes header blocks in order; the dynamic table carries over from block to block. */
export class HpackDecoder {
  /** Newest first, as the index runs (RFC 7541 §2.3.3). */
  private readonly dynamic: Array<readonly [string, string]> = []
  private dynamicSize = 0
  /** The table's size limit: the encoder's last size update, at most maxTableSize. */
  private limit: number
  private at = 0

  /** @param maxTableSize our SETTINGS_HEADER_TABLE_SIZE: the most a size update may ask for. */
  constructor(private readonly maxTableSize = 4096) {
    this.limit = maxTableSize
  }

  decode(bytes: Buffer, start: number, end: number, wantFields: boolean): DecodedBlock {
    this.at = start
    let status = Number.NaN
    const fields: string[] | null = wantFields ? [] : null
    let first = true
    while (this.at < end) {
      const byte = bytes[this.at] as number
      let name: string
      let value: string
      if (byte & 0x80) {
        ;[name, value] = this.entry(this.integer(bytes, end, 7))
      } else if ((byte & 0xe0) === 0x20) {
        // A table size update: only at the start of a block (§4.2).
        if (!first) throw new HpackError('a table size update after the first field')
        const size = this.integer(bytes, end, 5)
        if (size > this.maxTableSize) throw new HpackError(`a table size of ${size} over ${this.maxTableSize}`)
        this.limit = size
        this.evict(0)
        continue
      } else {
        const indexing = (byte & 0xc0) === 0x40
        const index = this.integer(bytes, end, indexing ? 6 : 4)
        name = index === 0 ? this.string(bytes, end) : (this.entry(index)[0] as string)
        value = this.string(bytes, end)
        if (indexing) this.insert(name, value)
      }
      first = false
      if (name.charCodeAt(0) === 58 /* : */) {
        if (name === ':status') status = Number(value)
      } else if (fields !== null) fields.push(name, value)
    }
    if (this.at !== end) throw new HpackError('a field runs past the block')
    return {status, fields}
  }

  /** An integer with an N-bit prefix (§5.1), advancing past it. */
  private integer(bytes: Buffer, end: number, prefixBits: number): number {
    const mask = (1 << prefixBits) - 1
    let value = (bytes[this.at++] as number) & mask
    if (value < mask) return value
    let shift = 0
    for (;;) {
      if (this.at >= end) throw new HpackError('an integer runs past the block')
      const byte = bytes[this.at++] as number
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
      if ((byte & 0x80) === 0) return value
      if (shift > 28) throw new HpackError('an integer over 2^28')
    }
  }

  private string(bytes: Buffer, end: number): string {
    if (this.at >= end) throw new HpackError('a string runs past the block')
    const huffman = ((bytes[this.at] as number) & 0x80) !== 0
    const length = this.integer(bytes, end, 7)
    const from = this.at
    if (from + length > end) throw new HpackError('a string runs past the block')
    this.at += length
    return huffman ? huffmanDecode(bytes, from, from + length) : bytes.toString('latin1', from, from + length)
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError('index 0')
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1] as readonly [string, string]
    const entry = this.dynamic[index - STATIC_TABLE.length - 1]
    if (entry === undefined) throw new HpackError(`index ${index} past the tables`)
    return entry
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + 32
    // An entry larger than the table empties it and is not kept (§4.4).
    this.evict(size)
    if (size <= this.limit) {
      this.dynamic.unshift([name, value])
      this.dynamicSize += size
    }
  }

  /** Evicts the oldest entries until `room` more octets fit under the limit. */
  private evict(room: number): void {
    while (this.dynamic.length > 0 && this.dynamicSize + room > this.limit) {
      const [name, value] = this.dynamic.pop() as readonly [string, string]
      this.dynamicSize -= name.length + value.length + 32
    }
  }
}

const staticField = new Map<string, number>()
const staticName = new Map<string, number>()
STATIC_TABLE.forEach(([name, value], i) => {
  if (value !== '') staticField.set(`${name}\0${value}`, i + 1)
  if (!staticName.has(name)) staticName.set(name, i + 1)
})

function pushInteger(out: number[], value: number, prefixBits: number, firstBits: number): void {
  const mask = (1 << prefixBits) - 1
  if (value < mask) {
    out.push(firstBits | value)
    return
  }
  out.push(firstBits | mask)
  let rest = value - mask
  while (rest >= 128) {
    out.push((rest % 128) | 0x80)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
}

/**
 * A request's header block: static-table fields indexed, everything else a literal without
 * indexing (names lower-case, values as latin1 bytes, no Huffman), so encoding has no state.
 */
export function encodeHeaderBlock(fields: ReadonlyArray<readonly [string, string]>): Buffer {
  const out: number[] = []
  for (const [name, value] of fields) {
    const whole = staticField.get(`${name}\0${value}`)
    if (whole !== undefined) {
      pushInteger(out, whole, 7, 0x80)
      continue
    }
    const nameIndex = staticName.get(name)
    if (nameIndex !== undefined) pushInteger(out, nameIndex, 4, 0)
    else {
      out.push(0)
      pushInteger(out, name.length, 7, 0)
      for (let i = 0; i < name.length; i++) out.push(name.charCodeAt(i) & 0xff)
    }
    pushInteger(out, value.length, 7, 0)
    for (let i = 0; i < value.length; i++) out.push(value.charCodeAt(i) & 0xff)
  }
  return Buffer.from(out)
}
