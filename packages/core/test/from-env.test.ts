import t from 'tap'
import { readFileSync } from 'node:fs'
import { fromEnv } from '../src/from-env.js'
import { ENV_VARIABLES } from '../src/env-variables.js'
import { development, production, testing } from '../src/presets.js'
import { SECTION_KEYS } from '../src/check-overrides.js'

t.test('fromEnv with no variables is the production preset; ERRCODES_PRESET or defaults.preset choose another', async t => {
  t.same(fromEnv({}), production())
  t.same(fromEnv({ ERRCODES_PRESET: 'testing' }), testing())
  t.same(fromEnv({}, { preset: 'development' }), development())
  t.same(fromEnv({ ERRCODES_PRESET: 'production' }, { preset: 'development' }), production(), 'the variable wins over the code default')
  t.type(fromEnv().debug, 'boolean', 'defaults to process.env')
})

t.test('every variable lands on its option', async t => {
  const p = fromEnv({
    ERRCODES_DEBUG: 'true',
    ERRCODES_FORMAT: 'problem',
    ERRCODES_CHECK: 'clean',
    ERRCODES_REQUEST_ID_HEADER: 'X-Correlation-Id',
    ERRCODES_TYPE_BASE_URL: 'https://errors.example.com/',
    ERRCODES_ROUTES_PREFIX: '/internal',
    ERRCODES_DEFAULT_LOCALE: 'ko-KR',
    ERRCODES_FALLBACK_LOCALES: 'ko, en ,,',
    ERRCODES_LOCALES_DIR: '/srv/locales',
    ERRCODES_LOCALES_WATCH: 'off',
    ERRCODES_METRICS_ENABLED: 'yes',
    ERRCODES_METRICS_PREFIX: 'shop_',
    ERRCODES_METRICS_LABELS: 'route,method',
    ERRCODES_METRICS_ROUTES: '1',
    ERRCODES_METRICS_DASHBOARD: 'false',
    ERRCODES_METRICS_DEFAULT_METRICS: 'true',
    ERRCODES_METRICS_EXEMPLARS: '0',
    ERRCODES_METRICS_MAX_EVENTS: '500',
    ERRCODES_SENTRY_DSN: 'https://public@sentry.example.com/42',
    ERRCODES_SENTRY_SAMPLE_RATE: '0.25',
    ERRCODES_SENTRY_REPORT_4XX: 'true',
    ERRCODES_TRACING_ENABLED: 'true',
    ERRCODES_TRACING_EXPORTER: 'console',
    ERRCODES_TRACING_SAMPLE_RATE: '.5',
    ERRCODES_SERVICE_NAME: 'users',
    ERRCODES_SERVICE_VERSION: '1.4.0',
    ERRCODES_ENVIRONMENT: 'staging'
  })
  t.same(p, {
    preset: 'production',
    debug: true,
    format: 'problem',
    stackTraces: 'all',
    check: 'clean',
    fastify: { debug: true, format: 'problem', requestIdHeader: 'X-Correlation-Id', typeBaseUrl: 'https://errors.example.com/', routes: { prefix: '/internal' } },
    i18n: { defaultLocale: 'ko-KR', fallbackLocales: ['ko', 'en'], dir: '/srv/locales', watch: false },
    metrics: {
      enabled: true,
      prefix: 'shop_',
      labels: { method: true, route: true },
      routes: true,
      dashboard: false,
      defaultMetrics: true,
      exemplars: false,
      maxEvents: 500,
      sentry: { dsn: 'https://public@sentry.example.com/42', sampleRate: 0.25, report4xx: true, release: '1.4.0', environment: 'staging' }
    },
    tracing: { enabled: true, exporter: 'console', sampleRate: 0.5, serviceName: 'users', serviceVersion: '1.4.0', environment: 'staging' }
  })
  // Every variable of the table was set above (a new one must join this test).
  const used = ['ERRCODES_PRESET', 'ERRCODES_STACK_TRACES', 'ERRCODES_TRACING_URL']
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  for (const v of ENV_VARIABLES) t.ok(used.includes(v.name) || source.includes(`${v.name}: '`), `${v.name} is exercised`)
})

t.test('each option path the table sets is a key a section accepts', async t => {
  for (const v of ENV_VARIABLES) {
    for (const path of v.sets) {
      const [section, key] = path.split('.')
      if (key === undefined) t.ok(['preset', 'debug', 'format', 'stackTraces', 'check'].includes(section), path)
      else t.ok(SECTION_KEYS[section as keyof typeof SECTION_KEYS]?.includes(key), `${v.name} → ${path}`)
    }
  }
})

t.test('derived settings', async t => {
  t.equal(fromEnv({}).stackTraces, 'server', 'production: 5xx only')
  t.equal(fromEnv({ ERRCODES_DEBUG: 'true' }).stackTraces, 'all', 'debug keeps every stack')
  t.equal(fromEnv({ ERRCODES_DEBUG: 'true', ERRCODES_STACK_TRACES: 'server' }).stackTraces, 'server', 'the variable wins over debug')
  t.equal(fromEnv({ ERRCODES_DEBUG: 'true' }, { stackTraces: 'server' }).stackTraces, 'server', 'so does the code')
  for (const v of ['1', 'yes', 'ON', 'True']) t.equal(fromEnv({ ERRCODES_DEBUG: v }).debug, true, v)
  for (const v of ['0', 'no', 'off', 'FALSE', '']) t.equal(fromEnv({ ERRCODES_DEBUG: v }).debug, false, JSON.stringify(v))
  t.same(fromEnv({ ERRCODES_FALLBACK_LOCALES: '', ERRCODES_FORMAT: '' }), production(), 'an empty value counts as unset')
  t.equal(fromEnv({ ERRCODES_REQUEST_ID_HEADER: 'false' }).fastify.requestIdHeader, false)
  t.same(fromEnv({ ERRCODES_PRESET: 'disabled', ERRCODES_ROUTES_PREFIX: '/ops' }).fastify.routes, { prefix: '/ops' })
  t.same(fromEnv({ ERRCODES_METRICS_LABELS: 'route' }).metrics.labels, { method: false, route: true })
  // Tracing: a URL means "send there"; in development the standard OTLP variable does too.
  t.same(fromEnv({ ERRCODES_PRESET: 'development', ERRCODES_TRACING_URL: 'http://127.0.0.1:4318/v1/traces' }).tracing, { enabled: true, exporter: 'otlp', url: 'http://127.0.0.1:4318/v1/traces' })
  t.equal(fromEnv({ ERRCODES_PRESET: 'development', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.exporter, 'otlp')
  t.equal(fromEnv({ ERRCODES_PRESET: 'development', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces', ERRCODES_TRACING_EXPORTER: 'none' }).tracing.exporter, 'none', 'the variable wins')
  t.equal(fromEnv({ ERRCODES_PRESET: 'testing', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.exporter, 'none', 'testing never sends on its own')
  t.equal(fromEnv({ ERRCODES_PRESET: 'development' }).tracing.exporter, 'none')
  // Sentry: configured by its DSN; version and environment go to tracing only without one.
  t.same(fromEnv({ ERRCODES_SERVICE_VERSION: '2.0.0', ERRCODES_ENVIRONMENT: 'prod' }).metrics, { enabled: true })
  t.same(fromEnv({ ERRCODES_SERVICE_VERSION: '2.0.0' }).tracing, { enabled: true, serviceVersion: '2.0.0' })
  t.same(fromEnv({ ERRCODES_SENTRY_DSN: 'https://k@h.example/1' }, { metrics: { sentry: { release: 'code', groupByRoute: true } } }).metrics.sentry, { release: 'code', groupByRoute: true, dsn: 'https://k@h.example/1' }, 'merged key by key with the code defaults')
  t.same(fromEnv({ ERRCODES_ENVIRONMENT: 'prod', ERRCODES_SENTRY_SAMPLE_RATE: '0.5' }, { metrics: { sentry: { report4xx: true } } }).metrics.sentry, { report4xx: true, sampleRate: 0.5, environment: 'prod' }, 'a sentry section from code (a client added later) takes the variables')
  t.same(fromEnv({ ERRCODES_PRESET: 'disabled', ERRCODES_SENTRY_DSN: 'https://k@h.example/1' }).metrics, { enabled: false, sentry: { dsn: 'https://k@h.example/1' } }, 'disabled metrics ignore it (createMetrics makes no client)')
  t.same(fromEnv({ ERRCODES_LOCALES_DIR: 'locales' }, { preset: 'development' }).i18n.watch, true, 'development watches the folder')
})

t.test('each bad value is a TypeError naming the variable and what it accepts', async t => {
  const bad: Array<[string, string, RegExp]> = [
    ['ERRCODES_PRESET', 'staging', /^fromEnv: ERRCODES_PRESET must be development, production, testing or disabled \(got "staging"\)$/],
    ['ERRCODES_DEBUG', 'maybe', /^fromEnv: ERRCODES_DEBUG must be true or false \(1\/0, yes\/no, on\/off\) \(got "maybe"\)$/],
    ['ERRCODES_DEBUG', ' true', /^fromEnv: ERRCODES_DEBUG/],
    ['ERRCODES_FORMAT', 'JSON', /^fromEnv: ERRCODES_FORMAT must be json or problem \(got "JSON"\)$/],
    ['ERRCODES_FORMAT', 'x'.repeat(1000), /^fromEnv: ERRCODES_FORMAT must be json or problem \(got "x{32}"\)$/],
    ['ERRCODES_STACK_TRACES', 'some', /^fromEnv: ERRCODES_STACK_TRACES must be all or server \(got "some"\)$/],
    ['ERRCODES_CHECK', 'warn', /^fromEnv: ERRCODES_CHECK must be throw or clean/],
    ['ERRCODES_REQUEST_ID_HEADER', 'x request id', /^fromEnv: ERRCODES_REQUEST_ID_HEADER must be a header name/],
    ['ERRCODES_TYPE_BASE_URL', 'errors.example.com', /^fromEnv: ERRCODES_TYPE_BASE_URL must be an absolute URI/],
    ['ERRCODES_ROUTES_PREFIX', 'internal/', /^fromEnv: ERRCODES_ROUTES_PREFIX must be a path/],
    ['ERRCODES_DEFAULT_LOCALE', 'en_US', /^fromEnv: ERRCODES_DEFAULT_LOCALE must be a BCP 47 tag such as en or ko-KR \(got "en_US"\)$/],
    ['ERRCODES_DEFAULT_LOCALE', '../../etc/passwd', /^fromEnv: ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', '__proto__', /^fromEnv: ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_DEFAULT_LOCALE', '한국어', /^fromEnv: ERRCODES_DEFAULT_LOCALE/],
    ['ERRCODES_FALLBACK_LOCALES', 'ko;en', /^fromEnv: ERRCODES_FALLBACK_LOCALES must be comma-separated BCP 47 tags/],
    ['ERRCODES_LOCALES_DIR', 'a\nb', /^fromEnv: ERRCODES_LOCALES_DIR must be a folder/],
    ['ERRCODES_LOCALES_WATCH', 'sometimes', /^fromEnv: ERRCODES_LOCALES_WATCH must be true or false/],
    ['ERRCODES_METRICS_ENABLED', 'enabled', /^fromEnv: ERRCODES_METRICS_ENABLED must be true or false \(got "enabled"\)$/],
    ['ERRCODES_METRICS_PREFIX', '1shop', /^fromEnv: ERRCODES_METRICS_PREFIX must be a metric name prefix/],
    ['ERRCODES_METRICS_LABELS', 'method,status', /^fromEnv: ERRCODES_METRICS_LABELS must be comma-separated opt-in labels: method, route/],
    ['ERRCODES_METRICS_ROUTES', '2', /^fromEnv: ERRCODES_METRICS_ROUTES/],
    ['ERRCODES_METRICS_DASHBOARD', 'y', /^fromEnv: ERRCODES_METRICS_DASHBOARD/],
    ['ERRCODES_METRICS_DEFAULT_METRICS', 'y', /^fromEnv: ERRCODES_METRICS_DEFAULT_METRICS/],
    ['ERRCODES_METRICS_EXEMPLARS', 'y', /^fromEnv: ERRCODES_METRICS_EXEMPLARS/],
    ['ERRCODES_METRICS_MAX_EVENTS', '-1', /^fromEnv: ERRCODES_METRICS_MAX_EVENTS must be a whole number from 0 to 1000000/],
    ['ERRCODES_METRICS_MAX_EVENTS', '1e3', /^fromEnv: ERRCODES_METRICS_MAX_EVENTS/],
    ['ERRCODES_METRICS_MAX_EVENTS', '2000000', /^fromEnv: ERRCODES_METRICS_MAX_EVENTS/],
    ['ERRCODES_SENTRY_SAMPLE_RATE', '1.5', /^fromEnv: ERRCODES_SENTRY_SAMPLE_RATE must be a number from 0 to 1/],
    ['ERRCODES_SENTRY_REPORT_4XX', 'x', /^fromEnv: ERRCODES_SENTRY_REPORT_4XX/],
    ['ERRCODES_TRACING_ENABLED', 'x', /^fromEnv: ERRCODES_TRACING_ENABLED/],
    ['ERRCODES_TRACING_EXPORTER', 'jaeger', /^fromEnv: ERRCODES_TRACING_EXPORTER must be otlp, console or none \(got "jaeger"\)$/],
    ['ERRCODES_TRACING_SAMPLE_RATE', '50%', /^fromEnv: ERRCODES_TRACING_SAMPLE_RATE must be a number from 0 to 1/],
    ['ERRCODES_TRACING_SAMPLE_RATE', 'NaN', /^fromEnv: ERRCODES_TRACING_SAMPLE_RATE/],
    ['ERRCODES_TRACING_SAMPLE_RATE', '-0', /^fromEnv: ERRCODES_TRACING_SAMPLE_RATE/],
    ['ERRCODES_SERVICE_NAME', '   ', /^fromEnv: ERRCODES_SERVICE_NAME must be a name/],
    ['ERRCODES_SERVICE_VERSION', 'v'.repeat(201), /^fromEnv: ERRCODES_SERVICE_VERSION/],
    ['ERRCODES_ENVIRONMENT', 'a\u0000b', /^fromEnv: ERRCODES_ENVIRONMENT/],
    ['ERRCODES_ENVIRONMENT', 'e'.repeat(201), /^fromEnv: ERRCODES_ENVIRONMENT must be a name such as production, at most 200 printable characters/]
  ]
  for (const [name, value, message] of bad) {
    t.throws(() => fromEnv({ [name]: value }), { name: 'TypeError', message }, `${name}=${value.slice(0, 20)}`)
  }
  t.throws(() => fromEnv({ ERRCODES_SENTRY_SAMPLE_RATE: '0.5' }), { name: 'TypeError', message: /^fromEnv: ERRCODES_SENTRY_SAMPLE_RATE needs ERRCODES_SENTRY_DSN/ })
  t.throws(() => fromEnv({ ERRCODES_SENTRY_REPORT_4XX: 'true' }), { name: 'TypeError', message: /^fromEnv: ERRCODES_SENTRY_REPORT_4XX needs ERRCODES_SENTRY_DSN/ })
  t.throws(() => fromEnv(null as never), { name: 'TypeError', message: /^fromEnv: env must be an object/ })
  t.throws(() => fromEnv({}, [] as never), { name: 'TypeError', message: /^fromEnv: defaults must be an object/ })
  t.throws(() => fromEnv({}, { preset: 'staging' as 'testing' }), { name: 'TypeError', message: /^fromEnv: option "preset" must be development, production, testing or disabled$/ })
  t.throws(() => fromEnv({}, { metrics: { prefx: 'a' } } as never), { name: 'TypeError', message: /^fromEnv: unknown option "metrics.prefx"; did you mean "metrics.prefix"\?/ })
})

t.test('secrets are never quoted in a message', async t => {
  const secrets: Array<[string, string]> = [
    ['ERRCODES_SENTRY_DSN', 'https://sekrit-key@sentry.example.com'],
    ['ERRCODES_SENTRY_DSN', 'sekrit-key'],
    ['ERRCODES_TRACING_URL', 'ftp://user:sekrit-key@collector/v1/traces'],
    ['ERRCODES_TRACING_URL', 'sekrit-key']
  ]
  for (const [name, value] of secrets) {
    const err = t.throws(() => fromEnv({ [name]: value }), { name: 'TypeError', message: new RegExp(`^fromEnv: ${name} must be .*\\(value not shown: it may hold a secret\\)$`) }) as Error
    t.notMatch(err.message, /sekrit/, `${name}: the value is not in the message`)
  }
})

t.test('a misspelt ERRCODES_ variable is a warning naming the closest; others are left alone', async t => {
  const warnings: Error[] = []
  // Only fromEnv's own: Node or the test loader may warn about other things meanwhile.
  const listen = (w: Error): void => { if (w.message.startsWith('fromEnv:')) warnings.push(w) }
  process.on('warning', listen)
  t.teardown(() => { process.off('warning', listen) })
  const p = fromEnv({ ERRCODES_METRICS_ENABLE: 'false', ERRCODES_SENTRY_SAMPLERATE: '1', ERRCODES_REQUIRE_TOOLS: '1', ERRCODES_UPDATE_API: '1', OTHER: 'x' })
  t.equal(p.metrics.enabled, true, 'a misspelt variable sets nothing')
  await new Promise(resolve => setImmediate(resolve))
  t.same(warnings.map(w => [(w as Error & { code?: string }).code, w.message]), [
    ['ERRCODES_ENV_TYPO', 'fromEnv: unknown variable ERRCODES_METRICS_ENABLE; did you mean ERRCODES_METRICS_ENABLED? (it is ignored)'],
    ['ERRCODES_ENV_TYPO', 'fromEnv: unknown variable ERRCODES_SENTRY_SAMPLERATE; did you mean ERRCODES_SENTRY_SAMPLE_RATE? (it is ignored)']
  ], 'the repository\'s own tool variables are far from every name and draw no warning')
})

t.test('the README table lists exactly the variables fromEnv reads, with the options they set', async t => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n')
  const at = readme.findIndex(l => l.startsWith('| Variable | Sets | Accepts |'))
  t.ok(at > 0, 'the table is in packages/core/README.md')
  const rows = readme.slice(at + 2).filter((l, i, all) => all.slice(0, i + 1).every(x => x.startsWith('|')))
  const documented = rows.map(row => {
    const [, name, sets] = row.split('|').map(c => c.trim())
    return { name: name.replace(/`/g, ''), sets: sets === 'the preset' ? ['preset'] : [...sets.matchAll(/`([\w.]+)`/g)].map(m => m[1]) }
  })
  t.same(documented, ENV_VARIABLES.map(v => ({ name: v.name, sets: [...v.sets] })))
})
