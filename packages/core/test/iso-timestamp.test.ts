import t from 'tap'
import { isoTimestamp } from '../src/iso-timestamp.js'

const same = (t: { equal: (found: unknown, wanted: unknown, message?: string) => unknown }, ms: number): void => { t.equal(isoTimestamp(ms), new Date(ms).toISOString(), String(ms)) }

t.test('the same text as toISOString, across seconds, milliseconds and cache hits', async t => {
  const base = Date.UTC(2026, 10, 29, 23, 59, 58, 0)
  // Every millisecond of three seconds, twice (the second pass hits the cached second), then backwards.
  for (let pass = 0; pass < 2; pass++) for (let ms = base; ms < base + 3000; ms++) t.equal(isoTimestamp(ms), new Date(ms).toISOString())
  for (let ms = base + 3000; ms >= base; ms -= 7) t.equal(isoTimestamp(ms), new Date(ms).toISOString())
  for (const ms of [0, 1, 999, 1000, 1001, 86_399_999, 951_782_400_000, 253_402_300_799_999, Date.now()]) same(t, ms)
  // Alternating seconds keep replacing the cached prefix.
  for (let i = 0; i < 50; i++) { same(t, base + (i % 2) * 1000 + i); same(t, base + 5000 + i) }
})

t.test('outside the fixed form, fractions and invalid times behave as toISOString', async t => {
  for (const ms of [-1, -62_198_755_200_001, 253_402_300_800_000, 8.64e15, 1.5, 1700000000000.7]) same(t, ms)
  for (const ms of [NaN, Infinity, 8.64e15 + 1]) t.throws(() => isoTimestamp(ms), RangeError, String(ms))
})
