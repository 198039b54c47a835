import t from 'tap'
import { Registry } from 'prom-client'
import { builtinErrors, defineErrors, normalizeError, type ErrorEvent } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { MAX_ROUTES } from '../src/error-counter.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' }
})

function clock (start = 1_700_000_000_000): { now: () => number, advance: (ms: number) => void } {
  let current = start
  return { now: () => current, advance: (ms) => { current += ms } }
}

function ev (error = errors.USER_NOT_FOUND.create(), extra: Partial<ErrorEvent> = {}): ErrorEvent {
  return { error, status: error.status, timestamp: 1_700_000_000_000, ...extra }
}

async function series (registry: Registry, name = 'errcodes_errors_total'): Promise<Array<{ labels: Record<string, unknown>, value: number }>> {
  const metric = registry.getSingleMetric(name)
  if (metric === undefined) return []
  return (await metric.get()).values.map(v => ({ labels: v.labels, value: v.value }))
}

t.test('every option rejects bad values with a TypeError naming it', async t => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ registry: {} }, /option "registry"/],
    [{ prefix: 'bad prefix' }, /option "prefix"/],
    [{ prefix: 3 }, /option "prefix"/],
    [{ prefix: '1abc' }, /option "prefix"/],
    [{ maxEvents: -1 }, /option "maxEvents"/],
    [{ maxEvents: 1.5 }, /option "maxEvents"/],
    [{ maxEvents: 2_000_000 }, /option "maxEvents"/],
    [{ maxEvents: '10' }, /option "maxEvents"/],
    [{ bucketSeconds: 0 }, /option "bucketSeconds"/],
    [{ bucketSeconds: NaN }, /option "bucketSeconds"/],
    [{ maxBuckets: 0 }, /option "maxBuckets"/],
    [{ maxBuckets: 20_000 }, /option "maxBuckets"/],
    [{ labels: true }, /option "labels"/],
    [{ labels: { status: true } }, /^createMetrics: unknown option "labels.status" \(valid: method, route\)$/],
    [{ labels: { route: 'yes' } }, /option "labels.route"/],
    [{ catalog: { USER: {} } }, /option "catalog"/],
    [{ enabled: 'false' }, /^createMetrics: option "enabled" must be a boolean$/],
    [{ enabled: false, prefix: 'bad prefix' }, /option "prefix"/],
    [{ defaultMetrics: 'yes' }, /option "defaultMetrics"/],
    [{ routes: 1 }, /option "routes"/],
    [{ dashboard: 'no' }, /option "dashboard"/],
    [{ now: 5 }, /option "now"/],
    [{ sentry: 'https://k@sentry.io/1' }, /option "sentry"/],
    [{ sentry: {} }, /option "sentry" needs exactly one/],
    [{ sentry: { dsn: 'not a url' } }, /option "sentry.dsn"/],
    [{ sentry: { dsn: 'ftp://k@host/1' } }, /option "sentry.dsn"/],
    [{ sentry: { dsn: 'https://host/1' } }, /option "sentry.dsn"/],
    [{ sentry: { client: {} } }, /option "sentry.client"/],
    [{ sentry: { client: { captureException () {} } } }, /option "sentry.client" must be a Sentry client with captureException\(\) and addEventProcessor\(\)/],
    [{ sentry: { client: { captureException () {} }, dsn: 'https://k@h/1' } }, /exactly one/],
    [{ sentry: { dsn: 'https://k@h/1', environment: 5 } }, /option "sentry.environment"/],
    [{ sentry: { dsn: 'https://k@h/1', release: {} } }, /option "sentry.release"/],
    [{ sentry: { dsn: 'https://k@h/1', report4xx: 'yes' } }, /option "sentry.report4xx"/],
    [{ sentry: { dsn: 'https://k@h/1', sampleRate: 1.5 } }, /option "sentry.sampleRate" must be a number from 0 to 1/],
    [{ sentry: { dsn: 'https://k@h/1', sampleRate: '1' } }, /option "sentry.sampleRate"/],
    [{ sentry: { dsn: 'https://k@h/1', sampleRate: Number.NaN } }, /option "sentry.sampleRate"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: true } }, /option "sentry.rateLimit" must be false or an object/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { events: 0 } } }, /option "sentry.rateLimit.events"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { events: 1.5 } } }, /option "sentry.rateLimit.events"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { seconds: 0 } } }, /option "sentry.rateLimit.seconds"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { total: 0 } } }, /option "sentry.rateLimit.total"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { total: 2.5 } } }, /option "sentry.rateLimit.total"/],
    [{ sentry: { dsn: 'https://k@h/1', rateLimit: { per: 1 } } }, /^createMetrics: unknown option "sentry.rateLimit.per" \(valid: events, seconds, total\)$/],
    [{ sentry: { dsn: 'https://k@h/1', groupByRoute: 1 } }, /option "sentry.groupByRoute" must be a boolean/],
    [{ sentry: { dsn: 'https://k@h/1', sample: 1 } }, /^createMetrics: unknown option "sentry.sample"; did you mean "sentry.sampleRate"\?/],
    [{ registery: new Registry() }, /^createMetrics: unknown option "registery"; did you mean "registry"\?/]
  ]
  for (const [options, message] of cases) {
    t.throws(() => createMetrics(options as never), { name: 'TypeError', message }, JSON.stringify(Object.keys(options)))
  }
  t.throws(() => createMetrics(null as never), { name: 'TypeError', message: /options must be an object/ })
  t.doesNotThrow(() => createMetrics({ prefix: '' }))
})

t.test('counts by code, name, domain and status in its own registry', async t => {
  const metrics = createMetrics({ catalog: errors })
  t.type(metrics.registry, Registry)
  metrics.record(ev())
  metrics.record(ev())
  metrics.record(ev(errors.DB_DOWN.create()))
  metrics.record(ev(builtinErrors.VALIDATION_FAILED.create()))
  const values = await series(metrics.registry)
  t.same(values.map(v => [v.labels, v.value]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))), [
    [{ error_code: '501', error_name: 'DB_DOWN', domain: 'SERVER', status_code: '503' }, 1],
    [{ error_code: '491', error_name: 'VALIDATION_FAILED', domain: 'VALIDATION', status_code: '400' }, 1],
    [{ error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: '404' }, 2]
  ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))))
  const text = await metrics.metrics()
  t.match(text, /# TYPE errcodes_errors_total counter/)
  t.match(text, /errcodes_errors_total\{error_code="301",error_name="USER_NOT_FOUND",domain="RESOURCE",status_code="404"\} 2/)
})

t.test('codes outside the catalog collapse to _OTHER, so clients cannot grow the series count', async t => {
  const metrics = createMetrics({ catalog: errors })
  const stranger = defineErrors({ X: { code: 950, domain: 'CUSTOM', status: 418, message: 'x' } })
  for (let i = 0; i < 500; i++) {
    const foreign = { ...stranger.X.create(), name: `RANDOM_${i}`, code: `RANDOM_${i}`, errorCode: i }
    metrics.record(ev(foreign as never, { status: 500 }))
  }
  metrics.record(ev(stranger.X.create()))
  const values = await series(metrics.registry)
  t.equal(values.length, 2, 'one _OTHER series per status')
  for (const v of values) t.same({ code: v.labels.error_code, name: v.labels.error_name, domain: v.labels.domain }, { code: '_OTHER', name: '_OTHER', domain: '_OTHER' })
  t.equal(values.find(v => v.labels.status_code === '500')?.value, 500)
  t.equal(metrics.byCode('_OTHER')?.count, 501)
  metrics.useCatalog(stranger)
  metrics.record(ev(stranger.X.create()))
  t.ok((await series(metrics.registry)).some(v => v.labels.error_name === 'X'), 'useCatalog makes a code known')
})

t.test('a registry from another copy of prom-client is taken by its shape', async t => {
  const other = new Registry()
  // What another installed copy's Registry looks like here: the same methods, another class.
  const foreign = { contentType: other.contentType, registerMetric: other.registerMetric.bind(other), metrics: other.metrics.bind(other), getSingleMetric: other.getSingleMetric.bind(other) }
  const metrics = createMetrics({ registry: foreign as never })
  metrics.record(ev(undefined))
  t.equal((await series(other)).length, 1, 'the counter lives in the foreign registry')
  for (const partial of [{ registerMetric () {} }, { registerMetric () {}, metrics () {} }, null]) {
    t.throws(() => createMetrics({ registry: partial as never }), { name: 'TypeError', message: /option "registry"/ }, JSON.stringify(partial))
  }
})

t.test('a catalog that renames a code keeps the counts already made under the old one', async t => {
  const metrics = createMetrics()
  const first = defineErrors({ PAYMENT_FAILED: { code: 901, domain: 'CUSTOM', status: 402, message: 'Payment failed' }, QUOTA_HIT: { code: 902, domain: 'CUSTOM', status: 429, message: 'Quota' } })
  metrics.useCatalog(first)
  metrics.record(ev(first.PAYMENT_FAILED.create(), { status: 402 }))
  // A redeploy's catalog moves both names to other codes; only PAYMENT_FAILED has counted errors.
  const second = defineErrors({ PAYMENT_FAILED: { code: 911, domain: 'CUSTOM', status: 402, message: 'Payment failed' }, QUOTA_HIT: { code: 912, domain: 'CUSTOM', status: 429, message: 'Quota' } })
  metrics.useCatalog(second)
  metrics.record(ev(second.PAYMENT_FAILED.create(), { status: 402 }))
  metrics.record(ev(second.QUOTA_HIT.create(), { status: 429 }))
  const values = await series(metrics.registry)
  t.same(values.map(v => [v.labels.error_name, v.labels.error_code, v.value]).sort(), [['PAYMENT_FAILED', '901', 2], ['QUOTA_HIT', '912', 1]])
})

t.test('recent() and top() take whole limits, clamped to 1–1000, and their defaults otherwise', async t => {
  const metrics = createMetrics({ catalog: errors })
  for (let i = 0; i < 120; i++) metrics.record(ev(undefined))
  t.equal(metrics.recent(1.5).length, 100, 'a fraction: the default 100')
  t.equal(metrics.recent(0).length, 1, 'clamped to 1')
  t.equal(metrics.recent(5000).length, 120, 'clamped to 1000, of which 120 exist')
  t.equal(metrics.top('3' as never).length, 1, 'a string: the default 10, of which one code exists')
})

t.test('method and route labels are opt-in, bounded, and __unknown__ when no route matched', async t => {
  const plain = createMetrics()
  plain.record(ev(undefined, { method: 'GET', route: '/users/:id' }))
  t.notOk('method' in (await series(plain.registry))[0].labels)

  const metrics = createMetrics({ catalog: errors, labels: { method: true, route: true } })
  metrics.record(ev(undefined, { method: 'get', route: '/users/:id' }))
  metrics.record(ev(builtinErrors.ROUTE_NOT_FOUND.create(), { method: 'BREW', path: '/wp-admin.php?x=1' }))
  for (let i = 0; i < MAX_ROUTES + 50; i++) metrics.record(ev(undefined, { method: 'GET', route: `/r${i}` }))
  metrics.record(ev(undefined, { method: 'GET', route: 'x'.repeat(300) }))
  const values = await series(metrics.registry)
  t.ok(values.some(v => v.labels.method === 'GET' && v.labels.route === '/users/:id'))
  t.ok(values.some(v => v.labels.method === '_OTHER' && v.labels.route === '__unknown__' && v.labels.error_name === 'ROUTE_NOT_FOUND'))
  t.ok(values.every(v => String(v.labels.route).length <= 256))
  t.ok(values.length <= MAX_ROUTES + 3, `bounded: ${values.length} series`)
  t.equal(values.filter(v => v.labels.route === '_OTHER').reduce((n, v) => n + v.value, 0), 52, 'routes beyond the cap (and over 256 characters) become _OTHER')
})

t.test('two instances side by side keep separate registries and counts', async t => {
  const a = createMetrics({ catalog: errors })
  const b = createMetrics({ catalog: errors })
  a.record(ev())
  a.record(ev())
  b.record(ev())
  t.equal((await series(a.registry))[0].value, 2)
  t.equal((await series(b.registry))[0].value, 1)
  const shared = new Registry()
  createMetrics({ registry: shared, prefix: 'svc_a_' })
  createMetrics({ registry: shared, prefix: 'svc_b_' })
  t.throws(() => createMetrics({ registry: shared, prefix: 'svc_a_' }), /already been registered/, 'same name twice in one registry is the user\'s mistake and says so')
})

t.test('record() never throws on hostile events', async t => {
  const metrics = createMetrics({ catalog: errors, labels: { method: true, route: true }, maxEvents: 5 })
  const throwing = new Proxy({}, { get () { throw new Error('boom') } })
  const hostile: unknown[] = [
    undefined, null, 42, 'str', {}, { error: null }, { error: undefined, status: 500 }, throwing, { error: throwing, status: 500 },
    { error: { name: { toString () { throw new Error('x') } } }, status: { valueOf () { throw new Error('y') } } },
    { error: errors.USER_NOT_FOUND.create(), status: NaN, method: Symbol('m'), route: {}, path: 12, message: { x: 1 }, timestamp: Infinity },
    { error: errors.USER_NOT_FOUND.create(), status: 1e9, method: 'GET'.repeat(1000), route: '/a', path: 'p'.repeat(100_000), requestId: '<script>', traceId: 'zz', timestamp: -1e20 },
    Object.create(null),
    { get error () { throw new Error('getter') } }
  ]
  for (const h of hostile) t.doesNotThrow(() => metrics.record(h as ErrorEvent))
  const failures = (await series(metrics.registry, 'errcodes_recorder_failures_total'))[0].value
  t.ok(failures >= 5, `unreadable events are counted (${failures})`)
  const recent = metrics.recent(10)
  t.ok(recent.length <= 5, 'ring bounded by maxEvents')
  for (const e of recent) {
    t.ok(e.path === null || e.path.length <= 1030)
    t.ok(e.method === null || e.method.length <= 16)
    t.doesNotThrow(() => new Date(e.timestamp).toISOString())
  }
  const values = await series(metrics.registry)
  t.ok(values.every(v => v.labels.status_code === '_OTHER' || /^[1-5]\d\d$/.test(String(v.labels.status_code))))
  await t.resolves(metrics.metrics())
})

t.test('recent events are masked and newest first; the ring keeps only maxEvents', async t => {
  const c = clock()
  const metrics = createMetrics({ catalog: errors, maxEvents: 3, now: c.now })
  const err = errors.USER_NOT_FOUND.create(undefined, { detail: { email: 'jane.doe@example.com', password: 'hunter2', card: '4111 1111 1111 1111' } })
  for (let i = 0; i < 5; i++) {
    metrics.record(ev(err, { path: `/users/${i}?token=abcdef123456`, message: `no user jane.doe@example.com #${i}`, requestId: `req-${i}`, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', method: 'GET' }))
  }
  const recent = metrics.recent(100)
  t.equal(recent.length, 3)
  t.same(recent.map(e => e.request_id), ['req-4', 'req-3', 'req-2'])
  const first = recent[0]
  t.notMatch(JSON.stringify(recent), /jane\.doe@|hunter2|4111 1111 1111 1111|abcdef123456/)
  t.match(first.message, /j\*\*\*@example\.com/)
  t.same((first.detail as Record<string, unknown>).password, '[REDACTED]')
  t.equal(first.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736')
  t.equal(first.error_code, 301)
  t.equal(metrics.recent(1).length, 1)
  t.equal(metrics.recent(0).length, 1, 'limit is clamped to 1..1000')
  t.same(createMetrics({ maxEvents: 0 }).recent(), [], 'maxEvents 0 keeps no events')
})

t.test('summary, top and byCode follow the injected clock and bucket window', async t => {
  const c = clock(1_700_000_000_000 - (1_700_000_000_000 % 60_000))
  const metrics = createMetrics({ catalog: errors, bucketSeconds: 60, maxBuckets: 3, now: c.now })
  metrics.record(ev())
  c.advance(60_000)
  metrics.record(ev())
  metrics.record(ev(errors.DB_DOWN.create()))
  let summary = metrics.summary()
  t.equal(summary.total_errors, 3)
  t.same(summary.error_counts, { 301: 2, 501: 1 })
  t.same(summary.name_counts, { USER_NOT_FOUND: 2, DB_DOWN: 1 })
  t.same(summary.status_counts, { 404: 2, 503: 1 })
  t.equal(summary.buckets.length, 3)
  t.same(summary.buckets.map(b => b.total), [0, 1, 2])
  t.same(summary.buckets[2].counts, { USER_NOT_FOUND: 1, DB_DOWN: 1 })
  t.equal(summary.bucket_count, 2)
  t.equal(summary.timestamp, new Date(c.now()).toISOString())

  c.advance(5 * 60_000)
  summary = metrics.summary()
  t.same(summary.buckets.map(b => b.total), [0, 0, 0], 'old buckets leave the window')
  t.equal(summary.total_errors, 3, 'totals stay')

  t.same(metrics.top(1).map(s => [s.error_name, s.count]), [['USER_NOT_FOUND', 2]])
  const detail = metrics.byCode('301')
  t.equal(detail?.error_name, 'USER_NOT_FOUND')
  t.same(detail?.status_counts, { 404: 2 })
  t.equal(detail?.recent.length, 2)
  t.equal(metrics.byCode('DB_DOWN')?.count, 1)
  t.equal(metrics.byCode('INTERNAL_ERROR')?.count, 0, 'a known code never seen answers zero')
  t.equal(metrics.byCode('NOPE'), undefined)
  t.equal(metrics.byCode(9999), undefined)

  metrics.reset()
  t.equal(metrics.summary().total_errors, 0)
  t.same(await series(metrics.registry), [])
})

t.test('normalized foreign errors (thrown strings, TypeErrors) count as INTERNAL_ERROR', async t => {
  const metrics = createMetrics()
  metrics.record({ error: normalizeError(new TypeError('x is undefined')), status: 500, timestamp: Date.now() })
  metrics.record({ error: normalizeError('just a string'), status: 500, timestamp: Date.now() })
  t.equal(metrics.byCode('INTERNAL_ERROR')?.count, 2)
})

t.test('defaultMetrics adds process metrics to the instance registry only', async t => {
  const metrics = createMetrics({ defaultMetrics: true, prefix: 'dm_' })
  t.match(await metrics.metrics(), /process_cpu_user_seconds_total/)
  t.notMatch(await createMetrics().metrics(), /process_cpu_user_seconds_total/)
})

t.test('routes: false and dashboard: false drop routes', async t => {
  t.same(createMetrics({ routes: false }).routes, [])
  t.same(createMetrics({ dashboard: false }).routes.map(r => r.path), ['/metrics', '/api/metrics/summary', '/api/metrics/recent', '/api/metrics/by-code/:code', '/api/metrics/top-errors'])
  t.ok(createMetrics().routes.some(r => r.path === '/api/metrics/dashboard'))
})

t.test('enabled: false records, serves, collects and sends nothing, but keeps the API', async t => {
  const off = createMetrics({ enabled: false, catalog: errors, defaultMetrics: true, sentry: { dsn: 'https://key@127.0.0.1:9/1' }, fleet: { url: 'http://127.0.0.1:9' } })
  t.same(off.routes, [], 'no /metrics, /api/metrics/* or dashboard routes')
  off.record(ev())
  off.record(ev(errors.DB_DOWN.create()))
  t.equal(off.summary().total_errors, 0, 'nothing recorded')
  t.same(off.recent(), [])
  t.same(await series(off.registry), [], 'errors_total has no series')
  t.notMatch(await off.metrics(), /process_cpu_user_seconds_total|sentry_events_total/, 'no default metrics, no Sentry counter')
  t.equal(off.sentryStats, undefined, 'no Sentry client was made')
  t.equal(off.fleet, undefined, 'no fleet view')
  t.equal(await off.flush(), true)
  // The same options switched on do record: the assertions above can fail.
  const on = createMetrics({ catalog: errors })
  on.record(ev())
  t.equal(on.summary().total_errors, 1)
})
