import t from 'tap'
import { development, disabled, production, testing } from '../src/presets.js'
import type { ConfigOverrides } from '../src/presets.js'

t.test('each preset: core settings at the top, one section per package', async t => {
  t.same(development(), {
    preset: 'development',
    debug: true,
    format: 'json',
    stackTraces: 'all',
    check: 'throw',
    fastify: { debug: true, format: 'json' },
    i18n: { defaultLocale: 'en', fallbackLocales: [] },
    metrics: { enabled: true },
    tracing: { enabled: true, exporter: 'none' }
  })
  t.same(production(), {
    preset: 'production',
    debug: false,
    format: 'json',
    stackTraces: 'server',
    check: 'clean',
    fastify: { debug: false, format: 'json' },
    i18n: { defaultLocale: 'en', fallbackLocales: [] },
    metrics: { enabled: true },
    tracing: { enabled: true }
  })
  t.same(testing(), {
    preset: 'testing',
    debug: false,
    format: 'json',
    stackTraces: 'all',
    check: 'throw',
    fastify: { debug: false, format: 'json', logLevels: false },
    i18n: { defaultLocale: 'en', fallbackLocales: [] },
    metrics: { enabled: true, exemplars: false },
    tracing: { enabled: true, exporter: 'none' }
  })
  t.same(disabled(), {
    preset: 'disabled',
    debug: false,
    format: 'json',
    stackTraces: 'server',
    check: 'clean',
    fastify: { debug: false, format: 'json', routes: false },
    i18n: { defaultLocale: 'en', fallbackLocales: [] },
    metrics: { enabled: false },
    tracing: { enabled: false }
  })
})

t.test('presets are deeply frozen copies', async t => {
  const fallbacks = ['de']
  const p = production({ i18n: { fallbackLocales: fallbacks }, metrics: { labels: { route: true } } })
  fallbacks.push('fr')
  t.same(p.i18n.fallbackLocales, ['de'], 'the list is copied')
  for (const part of [p, p.fastify, p.i18n, p.i18n.fallbackLocales, p.metrics, p.metrics.labels, p.tracing]) t.ok(Object.isFrozen(part))
  t.throws(() => { (p.metrics as { enabled: boolean }).enabled = false }, TypeError, 'strict-mode write throws')
  t.not(development(), development(), 'a new object each call, no shared singleton')
})

t.test('overrides: core settings flow into the plugin; sections merge key by key', async t => {
  const p = production({ debug: true, format: 'problem', metrics: { prefix: 'shop_' }, tracing: { serviceName: 'users', sampleRate: 0.1 } })
  t.equal(p.debug, true)
  t.same(p.fastify, { debug: true, format: 'problem' }, 'the plugin follows the top-level debug and format')
  t.same(p.metrics, { enabled: true, prefix: 'shop_' })
  t.same(p.tracing, { enabled: true, serviceName: 'users', sampleRate: 0.1 })
  t.equal(production({ debug: true, fastify: { debug: false } }).fastify.debug, false, 'a fastify key wins for the plugin')
  t.equal(production({ stackTraces: 'all' }).stackTraces, 'all')
  t.equal(production({ check: 'throw' }).check, 'throw')
  t.equal(disabled({ metrics: { enabled: true } }).metrics.enabled, true, 'a preset is a starting point')
  const url = 'http://127.0.0.1:4318/v1/traces'
  t.same(development({ tracing: { url } }).tracing, { enabled: true, exporter: 'otlp', url }, 'a URL means otlp where the preset exports nothing')
  t.same(testing({ tracing: { url, exporter: 'console' } }).tracing, { enabled: true, exporter: 'console', url }, 'an explicit exporter wins (createTracing then refuses the pair)')
  t.same(production({ tracing: { url } }).tracing, { enabled: true, url }, 'production exports over OTLP already')
})

t.test('development watches a locales folder only when one is given', async t => {
  t.equal(development().i18n.watch, undefined, 'createI18n refuses watch without dir')
  t.same(development({ i18n: { dir: 'locales' } }).i18n, { defaultLocale: 'en', fallbackLocales: [], dir: 'locales', watch: true })
  t.equal(development({ i18n: { dir: 'locales', watch: false } }).i18n.watch, false)
  for (const p of [production, testing, disabled]) t.equal(p({ i18n: { dir: 'locales' } }).i18n.watch, undefined, `${p.name}: no watcher`)
})

t.test('bad overrides are TypeErrors naming the function and the key', async t => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['production', null, /^production: overrides must be an object/],
    ['production', [], /^production: overrides must be an object/],
    ['production', { includeTraceback: true }, /^production: unknown option "includeTraceback" \(valid: debug, format, stackTraces, check, fastify, i18n, metrics, tracing\)$/],
    ['development', { stackTrace: 'all' }, /^development: unknown option "stackTrace"; did you mean "stackTraces"\?/],
    ['production', { defaultLocale: 'ko' }, /^production: option "defaultLocale" moved to i18n: pass \{ i18n: \{ defaultLocale \} \}$/],
    ['production', { fallbackLocales: ['ko'] }, /^production: option "fallbackLocales" moved to i18n/],
    ['production', { debug: 'yes' }, /^production: option "debug" must be a boolean$/],
    ['production', { format: 'xml' }, /^production: option "format" must be "json" or "problem"$/],
    ['production', { stackTraces: 'none' }, /^production: option "stackTraces" must be 'all' or 'server'/],
    ['production', { check: 'warn' }, /^production: option "check" must be "throw" or "clean"$/],
    ['production', { metrics: true }, /^production: option "metrics" must be an object of createMetrics\(…\) options$/],
    ['testing', { metrics: { prefx: 'a_' } }, /^testing: unknown option "metrics.prefx"; did you mean "metrics.prefix"\?/],
    ['disabled', { tracing: { sampleRatio: 1 } }, /^disabled: unknown option "tracing.sampleRatio"; did you mean "tracing.sampleRate"\?/],
    ['production', { i18n: { fallbackLocale: ['ko'] } }, /^production: unknown option "i18n.fallbackLocale"; did you mean "i18n.fallbackLocales"\?/],
    ['production', { fastify: { notfound: false } }, /^production: unknown option "fastify.notfound"; did you mean "fastify.notFound"\?/],
    ['production', { fastify: { catalog: {} } }, /^production: option "fastify.catalog" carries behaviour a preset cannot hold; pass it to register\(errorCodes, …\) beside the preset$/],
    ['production', { metrics: { registry: {} } }, /^production: option "metrics.registry" carries behaviour .* createMetrics\(…\)/],
    ['production', { tracing: { tracerProvider: {} } }, /^production: option "tracing.tracerProvider" carries behaviour .* createTracing\(…\)/],
    ['production', { i18n: { onReload () {} } }, /^production: option "i18n.onReload" carries behaviour .* createI18n\(…\)/],
    ['production', { metrics: { sentry: { dsn: 'https://k@h/1', sample: 1 } } }, /^production: unknown option "metrics.sentry.sample"; did you mean "metrics.sentry.sampleRate"\?/],
    ['production', { metrics: { sentry: { dsn: 'https://k@h/1', rateLimit: { per: 1 } } } }, /^production: unknown option "metrics.sentry.rateLimit.per"/],
    ['production', { metrics: { sentry: 'https://k@h/1' } }, /^production: option "metrics.sentry" must be an object$/],
    ['production', { metrics: { labels: { status: true } } }, /^production: unknown option "metrics.labels.status"/],
    ['production', { tracing: { batch: { size: 1 } } }, /^production: unknown option "tracing.batch.size"/],
    ['production', { fastify: { routes: { prefx: '/x' } } }, /^production: unknown option "fastify.routes.prefx"; did you mean "fastify.routes.prefix"\?/],
    ['production', { fastify: { logLevels: { severe: 'warn' } } }, /^production: unknown option "fastify.logLevels.severe"/]
  ]
  const fns = { development, production, testing, disabled }
  for (const [fn, overrides, message] of cases) {
    t.throws(() => fns[fn as keyof typeof fns](overrides as ConfigOverrides), { name: 'TypeError', message }, `${fn}(${JSON.stringify(overrides)})`)
  }
  t.doesNotThrow(() => production({ fastify: { routes: false, logLevels: false }, metrics: { sentry: { dsn: 'https://k@h/1', rateLimit: false } } }), 'false where an object is allowed')
})
