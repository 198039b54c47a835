import t from 'tap'
import { closestKey, rejectUnknownKeys } from '../src/option-keys.js'

const KNOWN = ['catalog', 'format', 'metrics', 'fallbackLocales', 'maxDepth']

t.test('a known key passes; the first unknown one is a TypeError naming it and the closest valid key', async t => {
  t.doesNotThrow(() => rejectUnknownKeys('f', { catalog: 1, format: 2 }, KNOWN))
  t.doesNotThrow(() => rejectUnknownKeys('f', {}, KNOWN))
  t.throws(() => rejectUnknownKeys('register', { metricz: 1 }, KNOWN), new TypeError('register: unknown option "metricz"; did you mean "metrics"? (valid: catalog, format, metrics, fallbackLocales, maxDepth)'))
  t.throws(() => rejectUnknownKeys('f', { nothingLikeIt: 1 }, KNOWN), new TypeError('f: unknown option "nothingLikeIt" (valid: catalog, format, metrics, fallbackLocales, maxDepth)'))
  t.throws(() => rejectUnknownKeys('f', { maxdepth: 1 }, KNOWN, 'limits'), new TypeError('f: unknown option "limits.maxdepth"; did you mean "limits.maxDepth"? (valid: catalog, format, metrics, fallbackLocales, maxDepth)'))
})

t.test('hostile keys stay bounded and never reach a prototype', async t => {
  const hostile = JSON.parse('{"__proto__": 1}') as object
  t.throws(() => rejectUnknownKeys('f', hostile, KNOWN), { message: /^f: unknown option "__proto__"/ })
  const long = 'x'.repeat(100_000)
  try {
    rejectUnknownKeys('f', { [long]: 1 }, KNOWN)
    t.fail('should throw')
  } catch (err) {
    t.ok((err as Error).message.length < 200, 'the message quotes at most 64 characters of the key')
  }
  t.equal(closestKey(long, KNOWN), undefined)
})

t.test('closestKey: case-insensitive, within a typo of the key', async t => {
  t.equal(closestKey('FORMAT', KNOWN), 'format')
  t.equal(closestKey('fallbackLocale', KNOWN), 'fallbackLocales')
  t.equal(closestKey('catalogue', KNOWN), 'catalog')
  t.equal(closestKey('zzz', KNOWN), undefined)
  t.equal(closestKey('fallback', KNOWN), 'fallbackLocales', 'the start of a valid key')
  t.equal(closestKey('cat', KNOWN), undefined, 'fewer than four letters: by edit distance only, and catalog is four edits away')
})
