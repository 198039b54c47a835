// Years 0000–9999: toISOString's fixed 24-character form; outside it the year takes six digits and a sign.
const MAX_FIXED = 253402300800000

let cachedSecond = NaN
let cachedPrefix = ''

/**
 * `new Date(ms).toISOString()`, about ten times cheaper for the timestamps of a busy error path: the
 * `YYYY-MM-DDTHH:MM:SS.` part is kept for the current second and only the milliseconds are appended
 * (`toISOString` costs about 0.4 µs, a seventh of our whole error path). Same output and same RangeError
 * for an invalid time.
 */
export function isoTimestamp (ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= MAX_FIXED) return new Date(ms).toISOString()
  const milli = ms % 1000
  const second = ms - milli
  if (second !== cachedSecond) {
    const iso = new Date(ms).toISOString()
    cachedSecond = second
    cachedPrefix = iso.slice(0, 20)
    return iso
  }
  return cachedPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + String(milli) + 'Z'
}
