import t from 'tap'
import { development, fromEnv, production } from '../src/config.js'

t.test('presets are frozen and differ only in debug and stack traces', async t => {
  const dev = development()
  const prod = production()
  t.same(dev, { debug: true, defaultLocale: 'en', fallbackLocales: [], format: 'json', stackTraces: 'all' })
  t.same(prod, { debug: false, defaultLocale: 'en', fallbackLocales: [], format: 'json', stackTraces: 'server' })
  for (const c of [dev, prod]) {
    t.ok(Object.isFrozen(c))
    t.ok(Object.isFrozen(c.fallbackLocales))
    t.throws(() => { (c as { debug: boolean }).debug = !c.debug }, TypeError, 'strict-mode write throws')
    t.throws(() => { (c.fallbackLocales as string[]).push('x') }, TypeError)
  }
  const fallbacks = ['de']
  const custom = production({ format: 'problem', fallbackLocales: fallbacks })
  fallbacks.push('fr')
  t.same(custom.fallbackLocales, ['de'], 'the list is copied')
  t.equal(custom.format, 'problem')
  t.not(development(), development(), 'a new object each call, no shared singleton')
})

t.test('fromEnv reads ERRCODES_* over the production preset', async t => {
  t.same(fromEnv({}), production())
  t.same(fromEnv({ ERRCODES_DEBUG: 'true', ERRCODES_DEFAULT_LOCALE: 'ko-KR', ERRCODES_FALLBACK_LOCALES: 'ko, en ,,', ERRCODES_FORMAT: 'problem' }), { debug: true, defaultLocale: 'ko-KR', fallbackLocales: ['ko', 'en'], format: 'problem', stackTraces: 'all' })
  for (const v of ['1', 'yes', 'ON', 'True']) t.equal(fromEnv({ ERRCODES_DEBUG: v }).debug, true, v)
  for (const v of ['0', 'no', 'off', 'FALSE', '']) t.equal(fromEnv({ ERRCODES_DEBUG: v }).debug, false, JSON.stringify(v))
  t.equal(fromEnv({ ERRCODES_FORMAT: '' }).format, 'json')
  t.equal(fromEnv({ ERRCODES_DEFAULT_LOCALE: '' }).defaultLocale, 'en')
  t.ok(Object.isFrozen(fromEnv({ ERRCODES_FALLBACK_LOCALES: 'de' }).fallbackLocales))
  t.equal(fromEnv({ OTHER: 'x', ERRCODES_UNKNOWN: 'x' }).debug, false, 'unrelated variables are ignored')
  t.type(fromEnv().debug, 'boolean', 'defaults to process.env')
})

t.test('fromEnv rejects each bad value with a message naming the variable', async t => {
  const bad: Array<[string, string, RegExp]> = [
    ['ERRCODES_DEBUG', 'maybe', /^ERRCODES_DEBUG must be true or false \(got "maybe"\)$/],
    ['ERRCODES_DEBUG', '2', /^ERRCODES_DEBUG must be true or false/],
    ['ERRCODES_DEBUG', ' true', /^ERRCODES_DEBUG/],
    ['ERRCODES_DEFAULT_LOCALE', 'en_US', /^ERRCODES_DEFAULT_LOCALE must be a BCP 47 tag such as en or ko-KR \(got "en_US"\)$/],
    ['ERRCODES_DEFAULT_LOCALE', '../../etc/passwd', /^ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', '__proto__', /^ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', 'e', /^ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', 'en-', /^ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', '한국어', /^ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_FALLBACK_LOCALES', 'ko,en_US', /^ERRCODES_FALLBACK_LOCALES must be comma-separated BCP 47 tags \(bad: "en_US"\)$/],
    ['ERRCODES_FALLBACK_LOCALES', 'ko;en', /^ERRCODES_FALLBACK_LOCALES/],
    ['ERRCODES_FORMAT', 'xml', /^ERRCODES_FORMAT must be json or problem \(got "xml"\)$/],
    ['ERRCODES_FORMAT', 'JSON', /^ERRCODES_FORMAT/],
    ['ERRCODES_FORMAT', 'x'.repeat(1000), /^ERRCODES_FORMAT must be json or problem \(got "x{32}"\)$/]
  ]
  for (const [name, value, message] of bad) {
    t.throws(() => fromEnv({ [name]: value }), { name: 'TypeError', message }, `${name}=${value.slice(0, 20)}`)
  }
})

t.test('stack traces come from the preset, ERRCODES_STACK_TRACES, or debug', async t => {
  t.equal(fromEnv({}).stackTraces, 'server', 'production: 5xx only')
  t.equal(fromEnv({ ERRCODES_DEBUG: 'true' }).stackTraces, 'all', 'debug keeps every stack')
  t.equal(fromEnv({ ERRCODES_DEBUG: 'true', ERRCODES_STACK_TRACES: 'server' }).stackTraces, 'server', 'the variable wins over debug')
  t.equal(fromEnv({ ERRCODES_STACK_TRACES: 'all' }).stackTraces, 'all')
  t.equal(fromEnv({ ERRCODES_STACK_TRACES: '' }).stackTraces, 'server')
  t.throws(() => fromEnv({ ERRCODES_STACK_TRACES: 'some' }), { name: 'TypeError', message: /^ERRCODES_STACK_TRACES must be 'all' or 'server' \(got "some"\)/ })
  t.equal(production({ stackTraces: 'all' }).stackTraces, 'all')
  t.throws(() => production({ stackTraces: 'none' as 'all' }), { name: 'TypeError', message: /^stackTraces must be 'all' or 'server'/ })
  t.throws(() => production({ includeTraceback: true } as never), { name: 'TypeError', message: /^production: unknown option "includeTraceback" \(valid: debug, defaultLocale, fallbackLocales, format, stackTraces\)$/ })
  t.throws(() => development({ stackTrace: 'all' } as never), { name: 'TypeError', message: /^development: unknown option "stackTrace"; did you mean "stackTraces"\?/ })
})
