/** Keys (codes, unknown-error fingerprints) whose windows are remembered; past it the least recently used is forgotten. */
export const MAX_RATE_KEYS = 1000

interface Window {
  start: number
  count: number
}

/**
 * A fixed-window counter per key (an error code, or an unknown error's type and top frame): at most
 * `events` per `intervalMs`. State is bounded by MAX_RATE_KEYS, least recently used first out, so a
 * stream of distinct keys cannot grow it and cannot evict the key of an ongoing flood.
 */
export class SentryRateLimit {
  private readonly windows = new Map<string, Window>()
  private readonly events: number
  private readonly intervalMs: number

  constructor (events: number, intervalMs: number) {
    this.events = events
    this.intervalMs = intervalMs
  }

  /** Takes one event of `key` at `now`; false when its window is already full. */
  take (key: string, now: number): boolean {
    const window = this.windows.get(key)
    if (window === undefined) {
      // Map keeps insertion order: the first key is the least recently used one.
      if (this.windows.size >= MAX_RATE_KEYS) this.windows.delete(this.windows.keys().next().value as string)
      this.windows.set(key, { start: now, count: 1 })
      return true
    }
    // Used again: moved to the end of the order.
    this.windows.delete(key)
    this.windows.set(key, window)
    if (now - window.start >= this.intervalMs || now < window.start) {
      window.start = now
      window.count = 1
      return true
    }
    if (window.count >= this.events) return false
    window.count++
    return true
  }
}
