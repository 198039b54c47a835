/** Keys (codes, unknown-error fingerprints) whose windows are remembered; past it the least recently used is forgotten. */
export const MAX_RATE_KEYS = 1000

interface Window {
  start: number
  count: number
}

/**
 * A fixed-window counter per key (an error code, or an unknown error's type and top frames): at most
 * `events` per `intervalMs`, and at most `total` over all keys per `intervalMs`, so a stream of new keys
 * (errors whose key varies per request) cannot send more than `total` either. State is bounded by
 * MAX_RATE_KEYS, least recently used first out, so a stream of distinct keys cannot grow it and cannot
 * evict the key of an ongoing flood.
 */
export class SentryRateLimit {
  private readonly windows = new Map<string, Window>()
  private readonly all: Window = { start: -Infinity, count: 0 }
  private readonly events: number
  private readonly total: number
  private readonly intervalMs: number

  constructor (events: number, intervalMs: number, total: number = events * 10) {
    this.events = events
    this.intervalMs = intervalMs
    this.total = total
  }

  /** Takes one event of `key` at `now`; false when its window or the window of all keys is already full. */
  take (key: string, now: number): boolean {
    let window = this.windows.get(key)
    if (window === undefined) {
      // Map keeps insertion order: the first key is the least recently used one.
      if (this.windows.size >= MAX_RATE_KEYS) this.windows.delete(this.windows.keys().next().value as string)
      window = { start: now, count: 0 }
    } else {
      // Used again: moved to the end of the order.
      this.windows.delete(key)
    }
    this.windows.set(key, window)
    if (this.expired(window, now)) {
      window.start = now
      window.count = 0
    }
    if (window.count >= this.events) return false
    if (this.expired(this.all, now)) {
      this.all.start = now
      this.all.count = 0
    }
    if (this.all.count >= this.total) return false
    window.count++
    this.all.count++
    return true
  }

  private expired (window: Window, now: number): boolean {
    return now - window.start >= this.intervalMs || now < window.start
  }
}
