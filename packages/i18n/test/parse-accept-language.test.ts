import t from 'tap'
import { MAX_HEADER_LENGTH, MAX_RANGES, boundHeader, parseAcceptLanguage, parseRanges } from '../src/parse-accept-language.js'

t.test('the seed example keeps q order and the client spelling', async (t) => {
  t.same(parseAcceptLanguage('ko-KR,ko;q=0.9,en;q=0.8'), ['ko-KR', 'ko', 'en'])
})

t.test('q-values sort stably, q=0 ranges are excluded, duplicates collapse case-insensitively', async (t) => {
  t.same(parseAcceptLanguage('en;q=0.5, fr, de;q=0.5, ja;q=1.0'), ['fr', 'ja', 'en', 'de'])
  t.same(parseRanges('de;q=0, *'), { ranges: ['*'], excluded: ['de'] })
  t.same(parseAcceptLanguage('EN-us, en-US;q=0.2, en'), ['EN-us', 'en'])
  t.same(parseAcceptLanguage('en ; q = 0.7 , ko'), ['ko', 'en'])
  t.same(parseAcceptLanguage('en;Q=0.7,ko;q=0.8'), ['ko', 'en'])
})

t.test('malformed entries are dropped one by one', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['', []], ['   ', []], [',,,', []], ['*', ['*']], ['*;q=0', []],
    ['ko;q=1.5', []], ['en;q=-1', []], ['en;q=abc', []], ['en;q=0.3333', []], ['en;q=', []], [';q=0.5', []],
    ['garbage;;;q=abc,,,', []], ['en-', []], ['-en', []], ['en--US', []], ['en_US', []],
    ['EN-us', ['EN-us']], ['i-klingon', ['i-klingon']], ['x-klingon', ['x-klingon']], ['zh-Hant-TW', ['zh-Hant-TW']],
    ['es-419', ['es-419']], ['en-US-u-ca-buddhist', ['en-US-u-ca-buddhist']], ['ko-KR-x-private', ['ko-KR-x-private']],
    ['__proto__', []], ['constructor', []], ['toString', ['toString']], ['../../etc/passwd', []], ['<script>', []],
    ['한국어', []], ['en\u0000', []], ['\ud800', []], ['en;foo=bar', []], ['en;q=0.5;q=0.7', ['en']],
    ['a'.repeat(36), []], ['en-abcdefghi', []]
  ]
  for (const [header, expected] of cases) t.same(parseAcceptLanguage(header), expected, JSON.stringify(header))
})

t.test('non-string values: arrays are joined, anything else is empty', async (t) => {
  t.same(parseAcceptLanguage(['ko', 'en;q=0.5']), ['ko', 'en'])
  t.same(parseAcceptLanguage([1, 'ja']), ['ja'])
  for (const v of [undefined, null, 42, {}, Symbol('x'), () => 'en']) t.same(parseAcceptLanguage(v), [])
})

t.test('caps: header length and number of ranges', async (t) => {
  const long = 'en,'.repeat(1000) + 'ko'
  const bounded = boundHeader(long)
  t.ok(bounded.length <= MAX_HEADER_LENGTH, 'cut to the cap')
  t.notOk(bounded.endsWith(','), 'cut at a comma')
  t.equal(boundHeader('a'.repeat(16384)), '', 'one huge tag has no comma to cut at: dropped')
  const many = Array.from({ length: 100 }, (_, i) => `l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))};q=0.${(i % 9) + 1}`).join(',')
  const parsed = parseRanges(many)
  t.ok(parsed.ranges.length <= MAX_RANGES)
  t.equal(parseAcceptLanguage('ko;q=0.1,'.repeat(3000)).length, 1)
  t.same(parseAcceptLanguage(';'.repeat(16384)), [])
  t.same(parseAcceptLanguage(' '.repeat(16384)), [])
})
