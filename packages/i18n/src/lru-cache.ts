/** A small bounded LRU on a Map (insertion order = recency order). */
export class LruCache<V> {
  readonly #max: number
  readonly #map = new Map<string, V>()

  constructor (max: number) {
    this.#max = max
  }

  /** The cached value, marked most recently used. */
  get (key: string): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      // Re-inserting moves the key to the end, so the first key is always the least recently used.
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  /** Stores a value, evicting the least recently used one when full. */
  set (key: string, value: V): void {
    if (this.#max <= 0) return
    this.#map.delete(key)
    if (this.#map.size >= this.#max) this.#map.delete(this.#map.keys().next().value as string)
    this.#map.set(key, value)
  }

  /** Number of cached values. */
  get size (): number {
    return this.#map.size
  }

  /** Drops every cached value. */
  clear (): void {
    this.#map.clear()
  }
}
