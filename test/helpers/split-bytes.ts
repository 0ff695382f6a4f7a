/** Bytes cut at the given offsets (in any order, repeats ignored), as a socket may deliver them. */
export function splitBytes(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts)].sort((a, b) => a - b)
  const pieces: Buffer[] = []
  let from = 0
  for (const point of points) {
    pieces.push(bytes.subarray(from, point))
    from = point
  }
  pieces.push(bytes.subarray(from))
  return pieces
}
