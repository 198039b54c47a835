import t from 'tap'
import { builtinErrors, defineErrors, formatError } from '@errcodes/core'

// A misspelled option or entry key used to be accepted and do nothing (the default stayed in place).
// Each is now a TypeError naming the function (or entry), the key and the closest valid key.

t.test('defineErrors refuses an unknown option, suggesting the closest', async t => {
  const defs = { A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } } as const
  t.throws(() => defineErrors(defs, { stackTrace: 'server' } as never), { name: 'TypeError', message: /^defineErrors: unknown option "stackTrace"; did you mean "stackTraces"\?/ })
  t.throws(() => defineErrors(defs, { stackTraces: 'server', chek: 'clean' } as never), { name: 'TypeError', message: /^defineErrors: unknown option "chek"; did you mean "check"\?/ })
  t.throws(() => defineErrors(defs, 'clean' as never), { name: 'TypeError', message: /^defineErrors: options must be an object/ })
  t.throws(() => defineErrors(defs, null as never), { name: 'TypeError', message: /^defineErrors: options must be an object/ })
  t.ok(defineErrors(defs, { stackTraces: 'server', check: 'clean', domains: [] }).A_B)
})

t.test('defineErrors refuses an unknown entry key, naming the entry, the key and the closest valid one', async t => {
  const entry = { code: 301, domain: 'RESOURCE', status: 404, message: 'x' }
  t.throws(() => defineErrors({ A_B: { ...entry, captureStak: false } } as never), { name: 'TypeError', message: /^error A_B: unknown key "captureStak"; did you mean "captureStack"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, exposee: false } } as never), { name: 'TypeError', message: /^error A_B: unknown key "exposee"; did you mean "expose"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, retryAftr: 5 } } as never), { name: 'TypeError', message: /^error A_B: unknown key "retryAftr"; did you mean "retryAfter"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, zzzzzzzz: 1 } } as never), { name: 'TypeError', message: /^error A_B: unknown key "zzzzzzzz" \(valid: code, domain/ })
})

t.test('entry.create refuses an unknown option in throw mode, ignores it in clean mode', async t => {
  const strict = defineErrors({ A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } }, { check: 'throw' })
  const cause = new Error('db')
  t.throws(() => strict.A_B.create(undefined, { cuase: cause } as never), { name: 'TypeError', message: /^A_B\.create: unknown option "cuase"; did you mean "cause"\?/ })
  t.equal(strict.A_B.create(undefined, { cause }).cause, cause)
  const lenient = defineErrors({ A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } }, { check: 'clean' })
  t.equal(lenient.A_B.create(undefined, { cuase: cause } as never).cause, undefined)
})

t.test('formatError refuses an unknown context key', async t => {
  const err = builtinErrors.NOT_FOUND.create()
  t.throws(() => formatError(err, { formt: 'problem' } as never), { name: 'TypeError', message: /^formatError: unknown option "formt"; did you mean "format"\?/ })
  t.equal(formatError(err, { format: 'problem', retryAfter: undefined }).headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(formatError(err).status, 404)
})

t.test('createTokenCheck names itself and suggests the closest option', async t => {
  const { createTokenCheck } = await import('@errcodes/core')
  t.throws(() => createTokenCheck({ token: 'a-long-ops-token-123456', usrname: 'ops' } as never), { name: 'TypeError', message: /^createTokenCheck: unknown option "usrname"; did you mean "username"\?/ })
  t.throws(() => createTokenCheck({ token: 'short' }), { name: 'TypeError', message: /^createTokenCheck: option "token" must be a secret/ })
})

t.test('fromEnv suggests "preset" for a misspelled default, and names both variables of a URL without otlp', async t => {
  const { fromEnv } = await import('@errcodes/core')
  t.throws(() => fromEnv({}, { presett: 'development' } as never), { name: 'TypeError', message: /^fromEnv: unknown option "presett"; did you mean "preset"\?/ })
  t.throws(() => fromEnv({ ERRCODES_TRACING_EXPORTER: 'none', ERRCODES_TRACING_URL: 'http://collector:4318/v1/traces' }), { name: 'TypeError', message: /^fromEnv: ERRCODES_TRACING_URL applies only to the otlp exporter, and ERRCODES_TRACING_EXPORTER=none/ })
  t.throws(() => fromEnv({ ERRCODES_TRACING_URL: 'http://collector:4318/v1/traces' }, { tracing: { exporter: 'console' } }), { name: 'TypeError', message: /ERRCODES_TRACING_URL applies only to the otlp exporter, and tracing\.exporter "console" in the defaults/ })
  t.equal(fromEnv({ ERRCODES_TRACING_EXPORTER: 'otlp', ERRCODES_TRACING_URL: 'http://collector:4318/v1/traces' }).tracing.url, 'http://collector:4318/v1/traces')
})

t.test('presets check the keys of i18n.watch', async t => {
  const { production, development } = await import('@errcodes/core')
  t.throws(() => production({ i18n: { watch: { debounceMS: 50 } } } as never), { name: 'TypeError', message: /^production: unknown option "i18n\.watch\.debounceMS"; did you mean "i18n\.watch\.debounceMs"\?/ })
  t.same(development({ i18n: { dir: '/tmp/locales', watch: { debounceMs: 50 } } }).i18n.watch, { debounceMs: 50 })
  t.equal(development({ i18n: { dir: '/tmp/locales', watch: true } }).i18n.watch, true)
})

t.test('fromEnv refuses a Sentry DSN with whitespace without quoting it', async t => {
  const { fromEnv } = await import('@errcodes/core')
  for (const dsn of ['https://SECRETXYZ @o1.ingest.sentry.io/1', 'https://SECRETXYZ@o1.ingest.sentry.io/1\r', 'https://SECRETXYZ@o1.ingest.sentry.io/x']) {
    const err = t.throws(() => fromEnv({ ERRCODES_SENTRY_DSN: dsn })) as Error
    t.match(err, { name: 'TypeError', message: /^fromEnv: ERRCODES_SENTRY_DSN must be a Sentry DSN/ })
    t.notMatch(err.message, /SECRETXYZ/)
  }
  t.equal(fromEnv({ ERRCODES_SENTRY_DSN: 'https://key@o1.ingest.sentry.io/1' }).metrics.sentry?.dsn, 'https://key@o1.ingest.sentry.io/1')
})
