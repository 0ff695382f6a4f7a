/**
 * A FIFO of numbers (times) on a ring of a Float64Array: no allocation while it stays within its
 * capacity, which doubles when a push finds it full. The engine's open-model backlog (bounded by
 * the in-flight limit, so it never grows) and the fleet simulation's per-instance queues use it.
 */
export class TimeQueue {
  private items: Float64Array
  private head = 0
  length = 0

  constructor(capacity = 16) {
    this.items = new Float64Array(Math.max(1, capacity))
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Float64Array(this.items.length * 2)
      for (let i = 0; i < this.length; i++) grown[i] = this.items[(this.head + i) % this.items.length] as number
      this.items = grown
      this.head = 0
    }
    this.items[(this.head + this.length) % this.items.length] = value
    this.length++
  }

  shift(): number {
    const value = this.items[this.head] as number
    this.head = (this.head + 1) % this.items.length
    this.length--
    return value
  }

  clear(): void {
    this.length = 0
  }
}
