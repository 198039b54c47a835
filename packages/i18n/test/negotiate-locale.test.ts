import t from 'tap'
import Negotiator from 'negotiator'
import { createLocaleMatcher, negotiateLocale } from '../src/negotiate-locale.js'

const AVAILABLE = ['en', 'ko', 'ja', 'es', 'de', 'fr', 'zh-Hans', 'zh-Hant', 'pt-BR']

t.test('agrees with negotiator on ordinary browser headers', async (t) => {
  const headers = [
    'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'en-US,en;q=0.9', 'ja,en-US;q=0.9,en;q=0.8', 'de-DE,de;q=0.9,en;q=0.8',
    'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'es-ES,es;q=0.9', 'es-419,es;q=0.9,en;q=0.8', 'pt-BR,pt;q=0.9,en;q=0.8',
    'zh-CN,zh;q=0.9,en;q=0.8', 'ko', 'en', 'fr', 'de-CH', 'ko-KR', 'nl-NL,nl;q=0.9,en;q=0.8', 'sv', 'it-IT,it;q=0.9',
    'en-GB,en;q=0.9', 'ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', '*', 'de;q=0.5,fr;q=0.8', 'da, en-gb;q=0.8, en;q=0.7',
    'fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', 'de;q=0, *', 'EN-us', 'KO-kr,KO;q=0.9'
  ]
  for (const header of headers) {
    const expected = new Negotiator({ headers: { 'accept-language': header } }).language(AVAILABLE) ?? 'en'
    t.equal(negotiateLocale(header, AVAILABLE, 'en'), expected, header)
  }
})

t.test('where we deliberately differ from negotiator', async (t) => {
  // negotiator ranks an exact match of a later range above a prefix match of an earlier one with the same q.
  t.equal(negotiateLocale('ko-KR,en', AVAILABLE), 'ko', 'RFC 4647 lookup honours the client order')
  t.equal(negotiateLocale('zh-TW', AVAILABLE), 'zh-Hant', 'script-aware: Taiwan reads Traditional')
  t.equal(negotiateLocale('zh-HK,en;q=0.5', AVAILABLE), 'zh-Hant')
  t.equal(negotiateLocale('zh-CN', AVAILABLE), 'zh-Hans')
  t.equal(negotiateLocale('zh', AVAILABLE), 'zh-Hans')
  t.equal(negotiateLocale('zh-Hant-TW', AVAILABLE), 'zh-Hant')
  t.equal(negotiateLocale('pt', AVAILABLE), 'pt-BR', 'a bare language finds its only regional variant')
  t.equal(negotiateLocale('en-GB', ['fr', 'en-US'], 'fr'), 'en-US', 'same language and script beats the default')
  t.equal(negotiateLocale('zh-TW', ['en', 'zh-Hans']), 'en', 'never serves the other script')
  t.equal(negotiateLocale('*;q=0', AVAILABLE), 'en', 'refusing everything still gets the default')
})

t.test('RFC 4647 truncation, singletons and private use', async (t) => {
  t.equal(negotiateLocale('ko-KR', ['en', 'ko']), 'ko')
  t.equal(negotiateLocale('en-US-u-ca-buddhist', ['en', 'ko']), 'en')
  t.equal(negotiateLocale('ko-KR-x-private', ['en', 'ko']), 'ko')
  t.equal(negotiateLocale('en', ['ko', 'en-x-pirate'], 'ko'), 'ko', 'a private-use tag only matches exactly')
  t.equal(negotiateLocale('en-x-pirate', ['ko', 'en-x-pirate'], 'ko'), 'en-x-pirate')
})

t.test('q=0 excludes what it names, including regional variants', async (t) => {
  t.equal(negotiateLocale('de;q=0, *', ['de', 'en'], 'en'), 'en')
  t.equal(negotiateLocale('de;q=0, *', ['de', 'fr'], 'de'), 'fr', 'even the default is skipped by *')
  t.equal(negotiateLocale('ko-KR, ko;q=0', ['en', 'ko']), 'en')
  t.equal(negotiateLocale('fr, en;q=0', ['en', 'ko-KR'], 'en'), 'en', 'nothing left: the default')
  const m = createLocaleMatcher(['en', 'ko', 'ja'], { defaultLocale: 'en', fallbackLocales: ['ja', 'ko'] })
  t.equal(m.match('xx, ja;q=0'), 'ko', 'an excluded fallback is skipped')
  t.equal(m.match('xx'), 'ja', 'fallbacks come before the default')
})

t.test('* with everything excluded, and an available tag without a known script', async (t) => {
  t.equal(negotiateLocale('*, en;q=0, ko;q=0', ['en', 'ko'], 'en'), 'en', 'nothing left for *: the default')
  // `zz` has no likely script, so it only matches exactly or by truncation.
  t.equal(negotiateLocale('zz-ZZ', ['en', 'zz']), 'zz')
  t.equal(negotiateLocale('en-GB', ['zz', 'en-US'], 'zz'), 'en-US')
})

t.test('every hostile header yields an available locale, fast and without throwing', async (t) => {
  const m = createLocaleMatcher(AVAILABLE, { defaultLocale: 'en' })
  const hostile: unknown[] = [
    undefined, null, '', ' ', '*', '*;q=0', 'de;q=0, *', 'ko;q=1.5', 'en;q=-1', 'en;q=abc', 'en;q=0.3333', 'en;q=',
    ';q=0.5', ',,,', 'garbage;;;q=abc,,,', 'en-', '-en', 'en--US', 'en_US', 'EN-us', 'i-klingon', 'x-klingon',
    'zh-Hant-TW', 'es-419', 'en-US-u-ca-buddhist', 'ko-KR-x-private', '__proto__', 'constructor', 'toString',
    'hasOwnProperty', '../../etc/passwd', '<script>', '한국어', 'ko\u0000', '\ud800', ['ko', 'en'], ['__proto__'],
    'ko, en-US;q=0.5, ko;q=0.1', 42, {}, { toString () { throw new Error('x') } },
    'a,'.repeat(8192), 'a'.repeat(16384), ';'.repeat(16384), ' '.repeat(16384), 'ko;q=0.1,'.repeat(3000),
    Array.from({ length: 5000 }, () => 'a').join(',')
  ]
  for (const h of hostile) {
    let got: string | undefined
    t.doesNotThrow(() => { got = m.match(h) })
    t.ok(AVAILABLE.includes(got as string), `${String(typeof h === 'string' ? h.slice(0, 40) : typeof h)} → ${got}`)
  }
  t.equal(m.match('constructor'), 'en')
  t.equal(m.match('toString'), 'en')
})

t.test('results are cached in a bounded LRU', async (t) => {
  const m = createLocaleMatcher(['en', 'ko'], { defaultLocale: 'en', cacheSize: 2 })
  t.equal(m.match('ko'), 'ko')
  t.equal(m.match('ko'), 'ko', 'from the cache')
  for (let i = 0; i < 50; i++) m.match(`x${i}`)
  t.equal(m.match('ko'), 'ko', 'recomputed after eviction')
  t.same(m.available, ['en', 'ko'], 'default first')
})
