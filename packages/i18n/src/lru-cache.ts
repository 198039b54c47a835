/**
 * A bounded cache with LRU-like eviction in two generations of Maps. A hit in the young generation
 * touches nothing, so reads stay O(1) and allocation-free even when full; deleting and re-inserting
 * on every hit (a plain Map LRU) made V8 rebuild the table every few dozen hits near capacity.
 * Values used since the last swap survive it; the rest are dropped together. At most `max` entries.
 */
export class LruCache<V> {
  readonly #half: number
  #young = new Map<string, V>()
  #old = new Map<string, V>()

  constructor (max: number) {
    this.#half = Math.max(0, Math.floor(max / 2))
  }

  /** The cached value; a value found in the old generation is promoted. */
  get (key: string): V | undefined {
    const young = this.#young.get(key)
    if (young !== undefined) return young
    const old = this.#old.get(key)
    if (old !== undefined) this.#put(key, old)
    return old
  }

  /** Stores a value; when the young generation is full it becomes the old one. */
  set (key: string, value: V): void {
    if (this.#half <= 0) return
    this.#put(key, value)
  }

  /** Number of cached values (an entry may briefly sit in both generations). */
  get size (): number {
    return this.#young.size + this.#old.size
  }

  /** Drops every cached value. */
  clear (): void {
    this.#young.clear()
    this.#old.clear()
  }

  #put (key: string, value: V): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young
      this.#young = new Map()
    }
    this.#young.set(key, value)
  }
}
