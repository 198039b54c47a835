import t from 'tap'
import { unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createI18n, LocaleLoadError } from '../src/create-i18n.js'

const SEED = new URL('./fixtures/seed/', import.meta.url)

t.test("the seed's fallback chain: requested → fallbacks → default → key", async (t) => {
  const i18n = createI18n({ dir: SEED, fallbackLocales: ['ko'], builtins: false })
  t.same(i18n.availableLocales(), ['en', 'ja', 'ko', 'ko-KR'])
  t.same(i18n.translate('errors.auth.required', undefined, 'ko-KR'), { message: '로그인이 필요합니다', locale: 'ko-KR' }, 'region override')
  t.same(i18n.translate('errors.auth.invalid_credentials', undefined, 'ko-KR'), { message: '잘못된 인증 정보입니다', locale: 'ko' }, 'region falls back to its language')
  t.same(i18n.translate('errors.user_not_found', { userId: '42' }, 'ko-KR,ko;q=0.9,en;q=0.8'), { message: '사용자 42을(를) 찾을 수 없습니다', locale: 'ko' })
  t.same(i18n.translate('errors.auth.required', undefined, 'ja'), { message: '인증이 필요합니다', locale: 'ko' }, 'ja lacks it: the configured fallback ko')
  t.same(i18n.translate('errors.only_in_english', undefined, 'ja'), { message: 'Only English has this', locale: 'en' }, 'then the default')
  t.same(i18n.translate('errors.nowhere', undefined, 'ja'), { message: 'errors.nowhere', locale: 'en' }, 'then the key')
  t.same(i18n.translate('errors.nowhere', undefined, 'ja', 'Nowhere'), { message: 'Nowhere', locale: 'en' }, 'or the caller fallback')
  t.same(i18n.translate('errors.user_not_found', { userId: 7 }, 'fr'), { message: '사용자 7을(를) 찾을 수 없습니다', locale: 'ko' }, 'unknown language: the fallback')
  t.same(i18n.translate('errors.user_not_found', { userId: 7 }, undefined), { message: 'User 7 not found', locale: 'en' }, 'no preference: the default')
  t.equal(i18n.negotiate('ko-KR'), 'ko-KR')
  t.equal(i18n.negotiate('ko-KP'), 'ko')
  t.equal(i18n.negotiate(undefined), 'en')
})

t.test('plural and select from files', async (t) => {
  const i18n = createI18n({ dir: SEED, builtins: false })
  t.equal(i18n.translate('cart.items', { count: 0 }, 'en').message, 'Your cart is empty')
  t.equal(i18n.translate('cart.items', { count: 1 }, 'en').message, 'One item in your cart')
  t.equal(i18n.translate('cart.items', { count: 3 }, 'ko').message, '장바구니에 상품 3개')
  t.equal(i18n.translate('cart.owner', { gender: 'female' }, 'ko').message, 'Her cart', 'ko has no cart.owner: English')
  t.same(i18n.translate('cart.items', {}, 'ko', 'Cart'), { message: 'Cart', locale: 'en' }, 'a message that cannot render falls back to the caller text')
  t.same(i18n.translate('cart.items', {}, 'ko'), { message: 'cart.items', locale: 'en' }, 'no render anywhere and no fallback: the key')
})

t.test('built-in messages work with no user files and sit under user messages', async (t) => {
  const plain = createI18n()
  t.same(plain.availableLocales(), ['en', 'de', 'es', 'fr', 'ja', 'ko', 'zh-Hans', 'zh-Hant'])
  t.same(plain.translate('errors.route_not_found', undefined, 'ko'), { message: '경로를 찾을 수 없습니다', locale: 'ko' })
  t.same(plain.translate('validation.required', { missingProperty: 'email' }, 'en-US', "must have required property 'email'"), { message: "must have required property 'email'", locale: 'en' })
  t.same(plain.translate('validation.minLength', { limit: 3 }, 'zh-TW'), { message: '不得少於 3 個字元', locale: 'zh-Hant' })
  const mixed = createI18n({ messages: { en: { errors: { route_not_found: 'No such route' } }, ko: { 'errors.custom': '사용자 정의 {x}' } } })
  t.equal(mixed.translate('errors.route_not_found', undefined, 'en').message, 'No such route', 'user wins')
  t.equal(mixed.translate('errors.route_not_found', undefined, 'ja').message, 'ルートが見つかりません', 'built-in ja still there')
  t.same(mixed.translate('errors.custom', { x: 1 }, 'ko'), { message: '사용자 정의 1', locale: 'ko' })
  t.equal(mixed.translate('errors.custom', { x: 1 }, 'de', 'Custom 1').message, 'Custom 1')
})

t.test('dir as a path, a file URL object or a file URL string', async (t) => {
  for (const dir of [SEED, SEED.href, new URL(SEED).pathname]) {
    t.equal(createI18n({ dir, builtins: false }).translate('errors.auth.required', undefined, 'ko').message, '인증이 필요합니다')
  }
})

t.test('hostile headers, keys and params never throw', async (t) => {
  const i18n = createI18n({ dir: SEED })
  const locales = i18n.availableLocales()
  const headers: unknown[] = [undefined, '', '*;q=0', 'de;q=0, *', 'a,'.repeat(8192), '__proto__', ['ko'], 42, '\ud800', 'ko\u0000']
  const keys: unknown[] = ['errors.user_not_found', '__proto__', 'constructor', 'toString', '', 'a'.repeat(100_000), 42, null, undefined]
  const params: unknown[] = [undefined, null, 'str', { userId: { toString () { throw new Error('x') } } }, new Proxy({}, { get () { throw new Error('x') }, has () { throw new Error('x') }, getOwnPropertyDescriptor () { throw new Error('x') } }), JSON.parse('{"__proto__":{"userId":"p"}}'), { constructor: 'c' }]
  for (const h of headers) {
    for (const k of keys) {
      for (const p of params) {
        const out = i18n.translate(k as string, p as never, h as string)
        if (typeof out.message !== 'string' || !locales.includes(out.locale)) t.fail(`bad result for ${String(k).slice(0, 20)}`)
      }
    }
  }
  t.equal(i18n.translate(42 as never, undefined, 'en').message, '', 'a non-string key renders empty')
  t.equal(i18n.translate('errors.user_not_found', JSON.parse('{"__proto__":{"userId":"p"}}'), 'en').message, 'User {userId} not found')
  t.pass('no throw')
})

t.test('the initial load fails loudly; reload keeps the old messages on any error', async (t) => {
  const root = t.testdir({
    good: { 'en.json': '{"greeting":"Hello {name}"}', 'ko.json': '{"greeting":"안녕 {name}"}' },
    broken: { 'en.json': '{"a":"Hi {name"}' },
    noDefault: { 'ko.json': '{}' }
  })
  const dir = join(root, 'good')
  t.throws(() => createI18n({ dir: join(dir, 'missing') }), LocaleLoadError)
  t.throws(() => createI18n({ dir: join(root, 'broken') }), { name: 'LocaleLoadError', code: 'ERRCODES_I18N_LOAD', message: /invalid ICU message/ })
  t.throws(() => createI18n({ dir: join(root, 'noDefault'), builtins: false }), { message: /no messages for the default locale en/ })

  const results: unknown[] = []
  const i18n = createI18n({ dir, builtins: false, onReload: (r) => results.push(r) })
  writeFileSync(join(dir, 'ko.json'), '{"greeting":"반가워요 {name}"}')
  writeFileSync(join(dir, 'ja.json'), '{"greeting":"こんにちは {name}"}')
  const ok = await i18n.reload()
  t.match(ok, { ok: true, locales: ['en', 'ja', 'ko'], problems: [] })
  t.equal(i18n.translate('greeting', { name: 'A' }, 'ko').message, '반가워요 A')
  t.equal(i18n.negotiate('ja'), 'ja', 'the negotiation cache was rebuilt')

  for (const bad of ['{"greeting":"Hi {name"}', '{"greeting":', '{"__proto__":{"x":"y"}}', '{"greeting":1}']) {
    writeFileSync(join(dir, 'ko.json'), bad)
    const r = await i18n.reload()
    t.equal(r.ok, false, bad)
    t.ok(r.problems.length > 0)
    t.equal(i18n.translate('greeting', { name: 'A' }, 'ko').message, '반가워요 A', 'old snapshot still live')
  }
  writeFileSync(join(dir, 'ko_KR.json'), '{}')
  t.match(await i18n.reload(), { ok: false, problems: [{ problem: /rename it to ko-KR.json/ }] })
  t.equal(results.length, 6, 'onReload saw every reload')
  t.equal(({} as Record<string, unknown>).x, undefined, 'no pollution')
})

t.test('reload of in-memory messages: a failing source and a throwing listener never reject', async (t) => {
  let reads = 0
  // A messages object backed by something that can fail later (a getter standing in for a store).
  const messages = { get en () { if (++reads > 2) throw new Error('store offline'); return { a: 'A' } } }
  const results: unknown[] = []
  const i18n = createI18n({ messages, builtins: false, onReload: (r) => { results.push(r); throw new Error('listener bug') } })
  t.match(await i18n.reload(), { ok: true, locales: ['en'], problems: [] }, 'the same messages again')
  t.same(await i18n.reload(), { ok: false, locales: ['en'], problems: [{ severity: 'error', file: 'messages', problem: 'reload failed (store offline)' }] })
  t.equal(results.length, 2, 'the listener saw both reloads although it threw')
  t.equal(i18n.translate('a', undefined, 'en').message, 'A', 'the old messages stay')
})

t.test('reload reports a fallback locale without messages, and a folder emptied of its default locale', async (t) => {
  const dir = t.testdir({ 'en.json': '{"a":"A"}' })
  const i18n = createI18n({ dir, builtins: false, fallbackLocales: ['ja'] })
  t.same((await i18n.reload()).problems, [{ severity: 'warning', file: 'ja.json', problem: 'fallback locale ja has no messages' }])
  unlinkSync(join(dir, 'en.json'))
  const r = await i18n.reload()
  t.equal(r.ok, false)
  t.match(r.problems, [{ severity: 'error', problem: 'no messages for the default locale en' }])
  t.equal(i18n.translate('a', undefined, 'en').message, 'A', 'the old messages stay')
})

t.test('a private-use locale falls back to its language, never to a singleton', async (t) => {
  const i18n = createI18n({ messages: { en: { a: 'A', b: 'B' }, 'en-x-pirate': { a: 'Arr' } }, builtins: false })
  t.same(i18n.translate('a', undefined, 'en-x-pirate'), { message: 'Arr', locale: 'en-x-pirate' })
  t.same(i18n.translate('b', undefined, 'en-x-pirate'), { message: 'B', locale: 'en' })
})

t.test('reload while translations run concurrently', async (t) => {
  const dir = t.testdir({ 'en.json': '{"v":"one {n}","w":"one"}' })
  const i18n = createI18n({ dir, builtins: false })
  const state = { stop: false }
  const seen = new Set<string>()
  const worker = async (): Promise<void> => {
    for (let i = 0; i < 100_000 && !state.stop; i++) {
      const v = i18n.translate('v', { n: i }, 'en').message
      const w = i18n.translate('w', undefined, 'en').message
      // Both keys always come from the same snapshot generation.
      if (v.split(' ')[0] !== w) t.fail(`mixed snapshot: ${v} / ${w}`)
      seen.add(w)
      await new Promise(setImmediate)
    }
  }
  const workers = [worker(), worker(), worker()]
  const words = ['two', 'three', 'four', 'five']
  const results = []
  for (const word of words) {
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ v: `${word} {n}`, w: word }))
    // Two overlapping reloads: they are queued, never interleaved.
    const [a, b] = await Promise.all([i18n.reload(), i18n.reload()])
    results.push(a, b)
  }
  writeFileSync(join(dir, 'en.json'), '{"v":"broken {n"}')
  const bad = await i18n.reload()
  state.stop = true
  await Promise.all(workers)
  t.ok(results.every(r => r.ok))
  t.equal(bad.ok, false)
  t.equal(i18n.translate('w', undefined, 'en').message, 'five', 'the last good reload is live')
  t.ok(seen.has('one'))
  t.ok(seen.size >= 3, `workers saw ${[...seen].join(', ')}`)
})

t.test('watch reloads after a debounce and close stops it', async (t) => {
  const dir = t.testdir({ 'en.json': '{"w":"old"}' })
  let done: (v: unknown) => void = () => {}
  const reloaded = new Promise(resolve => { done = resolve })
  const i18n = createI18n({ dir: pathToFileURL(dir), builtins: false, watch: { debounceMs: 20 }, onReload: (r) => done(r) })
  // The watcher and its timer are unref'd (they never keep a service alive); this handle keeps the test alive.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(keepAlive); i18n.close() })
  writeFileSync(join(dir, 'en.json'), '{"w":"new"}')
  t.match(await reloaded, { ok: true })
  t.equal(i18n.translate('w', undefined, 'en').message, 'new')
  i18n.close()
  i18n.close()
})

t.test('options are checked once, with messages naming the option', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /options must be an object/],
    [{ dir: SEED, messages: {} }, /dir and messages are exclusive/],
    [{ dir: 42 }, /dir must be a folder path or a file: URL/],
    [{ dir: '' }, /dir must be/],
    [{ dir: new URL('https://example.com/x') }, /dir must be/],
    [{ messages: [] }, /messages must be an object of locales/],
    [{ messages: 'x' }, /messages must be an object/],
    [{ defaultLocale: 'ko_KR' }, /defaultLocale must be a canonical BCP 47 tag/],
    [{ defaultLocale: 42 }, /defaultLocale must be/],
    [{ fallbackLocales: 'ko' }, /fallbackLocales must be an array/],
    [{ fallbackLocales: ['ko', 'EN'] }, /fallbackLocales must be a canonical BCP 47 tag/],
    [{ builtins: 'yes' }, /builtins must be a boolean/],
    [{ builtins: false }, /with builtins: false, pass dir or messages/],
    [{ watch: true }, /watch needs dir/],
    [{ dir: SEED, watch: { debounceMs: -1 } }, /watch must be a boolean or \{ debounceMs \}/],
    [{ dir: SEED, watch: 'yes' }, /watch must be/],
    [{ dir: SEED, watch: 5 }, /watch must be/],
    [{ onReload: 'x' }, /onReload must be a function/],
    [{ maxFileSize: 0 }, /maxFileSize must be a positive whole number/],
    [{ maxFileSize: 1.5 }, /maxFileSize/],
    [{ cacheSize: -1 }, /cacheSize must be a whole number/],
    [{ cacheSize: 'big' }, /cacheSize/],
    [{ fallbackLocale: ['ko'] }, /^createI18n: unknown option "fallbackLocale"; did you mean "fallbackLocales"\?/],
    [{ watchMs: 100 }, /^createI18n: unknown option "watchMs"; did you mean "watch"\? \(valid: dir, messages,/],
    [{ dir: SEED, watch: { debounce: 5 } }, /^createI18n: unknown option "watch.debounce"; did you mean "watch.debounceMs"\?/]
  ]
  for (const [options, message] of cases) t.throws(() => createI18n(options as never), { name: 'TypeError', message }, JSON.stringify(options))
  t.throws(() => createI18n({ messages: { ko_KR: {} } }), { name: 'LocaleLoadError', message: /messages\.ko_KR: locale is not a canonical/ })
  t.doesNotThrow(() => createI18n({ dir: SEED, builtins: false, watch: {} }).close(), 'watch: {} takes the default debounce')
  t.throws(() => createI18n({ messages: { en: [] } }), { name: 'LocaleLoadError', message: /messages\.en: messages of a locale must be an object/ })
  t.throws(() => createI18n({ dir: SEED, maxFileSize: 10 }), { message: /more than the 10-byte limit/ })
})
