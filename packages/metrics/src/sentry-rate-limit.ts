/** Keys (codes) whose windows are remembered; past it the oldest window is forgotten. */
export const MAX_RATE_KEYS = 1000

interface Window {
  start: number
  count: number
}

/**
 * A fixed-window counter per key (error code): at most `events` per `intervalMs`. State is bounded
 * by MAX_RATE_KEYS, so a stream of distinct keys cannot grow it.
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
      // Map keeps insertion order: the first key is the oldest window.
      if (this.windows.size >= MAX_RATE_KEYS) this.windows.delete(this.windows.keys().next().value as string)
      this.windows.set(key, { start: now, count: 1 })
      return true
    }
    if (now - window.start >= this.intervalMs || now < window.start) {
      window.start = now
      window.count = 1
      return true
    }
    if (window.count >= this.events) return false
    window.count++
    return true
  }

  /** Keys currently remembered. */
  get size (): number {
    return this.windows.size
  }
}
