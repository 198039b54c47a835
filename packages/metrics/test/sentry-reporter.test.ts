import t, { type Test } from 'tap'
import * as Sentry from '@sentry/node'
import { normalizeError } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { startSentryEndpoint, type SentryEndpoint } from './fixtures/sentry-endpoint.js'
import { SECRETS, buildApp, errors } from './fixtures/sentry-app.js'

// `sentry: { dsn }`: the reporter's own client, the real SDK and its transport, a local endpoint.

async function setup (t: Test, sentry: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<{ endpoint: SentryEndpoint, metrics: ReturnType<typeof createMetrics> }> {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, environment: 'test', release: '1.2.3', ...sentry }, ...extra })
  t.teardown(() => metrics.close(500))
  return { endpoint, metrics }
}

const exceptionsOf = (event: Record<string, any>): Array<Record<string, any>> => event.exception.values

t.test('a crash in a handler reaches Sentry as the thrown value: type, masked message, frames in the handler file, cause linked', async t => {
  const { endpoint, metrics } = await setup(t)
  const app = await buildApp(metrics)
  const res = await app.inject('/crash')
  t.equal(res.statusCode, 500)
  t.equal(res.json().message, 'Internal server error', 'the client body stays generic')
  t.equal(await metrics.flush(5000), true)
  t.equal(endpoint.events.length, 1)
  const event = endpoint.events[0]
  const values = exceptionsOf(event)
  const top = values.at(-1) as Record<string, any>
  t.equal(top.type, 'TypeError')
  t.equal(top.value, 'cannot read profile of undefined for j***@example.com')
  t.ok(top.stacktrace.frames.some((f: { filename?: string, function?: string }) => /sentry-app\.ts$/.test(f.filename ?? '') && /readProfile/.test(f.function ?? '')), 'a frame points into the handler file')
  t.equal(values.length, 2, 'the cause is a linked exception')
  t.equal(values[0].type, 'Error')
  t.match(values[0].value, /password=\[REDACTED\]/)
  t.equal(event.fingerprint, undefined, 'unknown errors keep Sentry\'s default grouping')
  t.match(event.tags, { error_name: 'INTERNAL_ERROR', status_code: '500', route: '/crash' })
  t.match(event.request, { method: 'GET', url: '/crash' })
  t.equal(event.level, 'error')
  t.equal(event.environment, 'test')
  t.equal(event.release, '1.2.3')
  t.match(top.mechanism, { type: 'errcodes', handled: false })
  t.match(endpoint.paths[0], /^\/api\/1\/envelope\//)
  await app.close()
})

t.test('two different bugs are two groups; catalog errors group by code, tagged with code, name and domain', async t => {
  const { endpoint, metrics } = await setup(t)
  const app = await buildApp(metrics)
  await app.inject('/crash')
  await app.inject('/other-bug')
  await app.inject('/catalog')
  await app.inject('/catalog')
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 4)
  const [crash, other, catalog] = endpoint.events
  t.not(exceptionsOf(crash).at(-1)?.type, exceptionsOf(other).at(-1)?.type, 'other types')
  t.equal(crash.fingerprint, undefined)
  t.equal(other.fingerprint, undefined)
  t.notSame(exceptionsOf(crash).at(-1)?.stacktrace.frames.at(-1), exceptionsOf(other).at(-1)?.stacktrace.frames.at(-1), 'other frames')
  t.same(catalog.fingerprint, ['DB_DOWN'])
  t.same(endpoint.events[3].fingerprint, ['DB_DOWN'])
  t.match(catalog.tags, { error_code: '501', error_name: 'DB_DOWN', domain: 'SERVER', status_code: '503' })
  t.equal(exceptionsOf(catalog).at(-1)?.type, 'DB_DOWN')
  t.equal(exceptionsOf(catalog).length, 2, 'a catalog error\'s cause is linked too')
  await app.close()
})

t.test('groupByRoute: catalog errors group by code and route template', async t => {
  const { endpoint, metrics } = await setup(t, { groupByRoute: true })
  const app = await buildApp(metrics)
  await app.inject('/catalog')
  await metrics.flush(5000)
  t.same(endpoint.events[0].fingerprint, ['DB_DOWN', '/catalog'])
  await app.close()
})

t.test('AggregateError members become linked exceptions', async t => {
  const { endpoint, metrics } = await setup(t)
  const app = await buildApp(metrics)
  await app.inject('/aggregate')
  await metrics.flush(5000)
  const values = exceptionsOf(endpoint.events[0])
  t.same(values.map(v => v.type).sort(), ['AggregateError', 'Error', 'TypeError'])
  t.ok(values.some(v => v.mechanism?.source === 'errors[1]'), 'members are tagged by index, as Sentry links them')
  t.notOk(JSON.stringify(values).includes('sk_live_51HxQ'), 'member messages are masked')
  await app.close()
})

t.test('leaks: secrets in message, cause, props, name, URL path, user, tags, contexts and breadcrumbs never reach Sentry', async t => {
  const { endpoint, metrics } = await setup(t)
  const app = await buildApp(metrics, {
    onRequest (request, done) {
      Sentry.withIsolationScope(scope => {
        scope.setUser({ id: 'u1', email: 'alice@example.com', ip_address: '10.1.2.3' })
        scope.setTag('customer', 'bob@example.com')
        scope.setContext('payment', { card: '4111 1111 1111 1111', apiKey: 'sk_live_51HxQ' })
        scope.setExtra('jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')
        scope.addBreadcrumb({ message: 'login by jane.doe@example.com', data: { password: 'hunter2' } })
        done()
      })
    }
  })
  for (const url of ['/crash', '/catalog', '/secret-props', '/aggregate', '/users/jane.doe%40example.com?token=hunter2']) await app.inject(url)
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 5)
  const sent = endpoint.bodies.join('\n')
  for (const secret of SECRETS) t.notOk(sent.includes(secret), `nothing sent contains ${secret}`)
  const byRoute = (route: string): Record<string, any> | undefined => endpoint.events.find(e => e.tags?.route === route)
  t.equal(byRoute('/users/:id')?.request.url, '/users/j***@example.com', 'the path is decoded before masking; the query is dropped')
  t.match(byRoute('/crash')?.user, { id: 'u1', email: 'a***@example.com' })
  t.notOk('ip_address' in (byRoute('/crash')?.user ?? {}))
  t.match(byRoute('/secret-props')?.exception.values.at(-1), { type: 'Leak j***@example.com', value: 'props leak' })
  t.equal(byRoute('/crash')?.breadcrumbs?.[0]?.data?.password, '[REDACTED]')
  await app.close()
})

t.test('4xx are not reported unless report4xx, then at warning level', async t => {
  const off = await setup(t)
  const app = await buildApp(off.metrics)
  await app.inject('/missing')
  await off.metrics.flush(5000)
  t.equal(off.endpoint.events.length, 0)
  const on = await setup(t, { report4xx: true })
  const app2 = await buildApp(on.metrics)
  await app2.inject('/missing')
  await on.metrics.flush(5000)
  t.equal(on.endpoint.events.length, 1)
  t.equal(on.endpoint.events[0].level, 'warning')
  await app.close()
  await app2.close()
})

t.test('a thrown value Sentry already has is not sent again', async t => {
  const { endpoint, metrics } = await setup(t)
  const thrown = new Error('already reported by Sentry\'s own integration')
  Object.defineProperty(thrown, '__sentry_captured__', { value: true })
  metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: Date.now() })
  // Without `thrown` (a caller that only has the normalized error) the cause is checked.
  metrics.record({ error: normalizeError(thrown), status: 500, timestamp: Date.now() })
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 0)
  t.match(metrics.sentryStats, { alreadyReported: 2, reported: 0 })
})

t.test('without a thrown value (a plain recorder call) the normalized error is sent with its cause linked', async t => {
  const { endpoint, metrics } = await setup(t)
  metrics.record({ error: normalizeError(new SyntaxError('bad input')), status: 500, timestamp: Date.now() })
  await metrics.flush(5000)
  t.same(exceptionsOf(endpoint.events[0]).map(v => v.type), ['SyntaxError', 'INTERNAL_ERROR'])
})

t.test('volume: sampleRate 0 sends nothing; the per-code rate limit caps a flood and counts the rest', async t => {
  const sampled = await setup(t, { sampleRate: 0 })
  for (let i = 0; i < 20; i++) sampled.metrics.record({ error: errors.DB_DOWN.create({ user: 'x' }), status: 503, timestamp: Date.now() })
  await sampled.metrics.flush(5000)
  t.equal(sampled.endpoint.events.length, 0)
  t.match(sampled.metrics.sentryStats, { sampledOut: 20, reported: 0 })

  let now = 1_000_000
  const capped = await setup(t, { rateLimit: { events: 3, seconds: 60 } }, { now: () => now })
  const flood = (): void => {
    for (let i = 0; i < 50; i++) capped.metrics.record({ error: errors.DB_DOWN.create({ user: 'x' }), status: 503, timestamp: now })
    capped.metrics.record({ error: normalizeError(new TypeError('t')), thrown: new TypeError('t'), status: 500, timestamp: now })
  }
  flood()
  await capped.metrics.flush(5000)
  t.equal(capped.endpoint.events.length, 4, '3 of the flooding code, and another code still gets through')
  t.match(capped.metrics.sentryStats, { reported: 4, rateLimited: 47 })
  const text = await capped.metrics.metrics()
  t.match(text, /errcodes_sentry_events_total\{outcome="rate_limited"\} 47/, 'the outcomes are a Prometheus counter too')
  t.match(text, /errcodes_sentry_events_total\{outcome="reported"\} 4/)
  t.match(text, /errcodes_sentry_events_total\{outcome="sampled_out"\} 0/, 'every outcome has a series from the start')
  t.equal(capped.metrics.byCode('DB_DOWN')?.count, 50, 'every error is still counted')
  now += 60_000
  flood()
  await capped.metrics.flush(5000)
  t.equal(capped.endpoint.events.length, 8, 'the next interval has a new budget')
})

t.test('Sentry down or hanging: record() stays synchronous and never throws; close() returns', async t => {
  const hanging = await startSentryEndpoint(false)
  t.teardown(hanging.close)
  const closed = await startSentryEndpoint()
  await closed.close()
  for (const dsn of [hanging.dsn, closed.dsn]) {
    const metrics = createMetrics({ catalog: errors, sentry: { dsn, rateLimit: false } })
    for (let i = 0; i < 300; i++) {
      const result = metrics.record({ error: errors.DB_DOWN.create({ user: String(i) }), status: 503, timestamp: Date.now() }) as unknown
      t.equal(result, undefined)
    }
    t.equal(metrics.byCode('DB_DOWN')?.count, 300)
    t.equal(metrics.sentryStats?.reported, 300)
    await t.resolves(metrics.close(200))
  }
})

t.test('hostile or odd thrown values: one NonErrorThrown shape saying what was thrown; flush still succeeds', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: false })
  const hostile = new Proxy(new Error('proxy'), { get () { throw new Error('trap') }, getPrototypeOf () { throw new Error('trap') } })
  const getter = Object.defineProperty(new Error('getter'), 'name', { get () { throw new Error('boom') } })
  const values: unknown[] = ['plain string with jane.doe@example.com', hostile, getter, Symbol('s'), { password: 'hunter2' }, null, 42]
  for (const thrown of values) metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: Date.now() })
  t.equal(await metrics.flush(5000), true, 'no event is left counted as processing')
  t.equal(endpoint.events.length, values.length)
  t.match(metrics.sentryStats, { reported: values.length, dropped: 0 })
  t.same(endpoint.events.map(e => exceptionsOf(e).at(-1)?.value), [
    'a string was thrown: plain string with j***@example.com',
    'an object was thrown',
    'an object was thrown',
    'a symbol was thrown',
    'an object was thrown',
    'null was thrown',
    'a number was thrown: 42'
  ], 'a Proxy or a throwing getter is not read: it is an object that was thrown')
  t.ok(endpoint.events.every(e => exceptionsOf(e).at(-1)?.type === 'NonErrorThrown'))
  t.notOk(endpoint.bodies.join('').includes('hunter2'))
})

t.test('the outcome counter\'s name is checked with the others: a taken name is a TypeError naming the registry option', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const { Registry, Counter } = await import('prom-client')
  const registry = new Registry()
  const taken = new Counter({ name: 'errcodes_sentry_events_total', help: 'someone else', registers: [registry] })
  t.ok(taken)
  t.throws(() => createMetrics({ registry, sentry: { dsn: endpoint.dsn } }), { name: 'TypeError', message: /option "registry": a metric named errcodes_sentry_events_total has already been registered/ })
  t.doesNotThrow(() => createMetrics({ registry }), 'without Sentry the name is not needed')
})

t.test('the rate limit\'s state is bounded: past MAX_RATE_KEYS codes the oldest window is forgotten', async t => {
  const { MAX_RATE_KEYS } = await import('../src/index.js')
  const { endpoint, metrics } = await setup(t, { rateLimit: { events: 1, seconds: 60, total: 1_000_000 } }, { now: () => 5_000_000 })
  t.ok(endpoint)
  const crash = (name: string): void => {
    // One stack whatever line calls crash(): the key is the type and frames.
    const thrown = Object.assign(new Error('x'), { name, stack: `${name}: x\n    at crash (/app/src/crash.js:1:1)` })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: 0 })
  }
  crash('First')
  crash('First')
  t.match(metrics.sentryStats, { reported: 1, rateLimited: 1 }, 'one per key per interval')
  for (let i = 0; i < MAX_RATE_KEYS; i++) crash(`Other${i}`)
  crash('First')
  t.match(metrics.sentryStats, { reported: MAX_RATE_KEYS + 2, rateLimited: 1 }, 'the first key was forgotten, not kept forever')
  await metrics.flush(5000)
})

t.test('throw undefined, null or a string: one clear event shape, grouped per kind and route, through the real error handler', async t => {
  const { endpoint, metrics } = await setup(t)
  const app = await buildApp(metrics)
  for (const url of ['/throw-undefined', '/throw-null', '/throw-string', '/throw-undefined']) t.equal((await app.inject(url)).statusCode, 500)
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 4)
  const shapes = endpoint.events.map(e => ({ type: exceptionsOf(e).at(-1)?.type, value: exceptionsOf(e).at(-1)?.value, fingerprint: e.fingerprint, thrown: e.tags.thrown, frames: exceptionsOf(e).at(-1)?.stacktrace?.frames?.length ?? 0 }))
  t.same(shapes, [
    { type: 'NonErrorThrown', value: 'undefined was thrown', fingerprint: ['NonErrorThrown', 'undefined', '/throw-undefined'], thrown: 'undefined', frames: 0 },
    { type: 'NonErrorThrown', value: 'null was thrown', fingerprint: ['NonErrorThrown', 'null', '/throw-null'], thrown: 'null', frames: 0 },
    { type: 'NonErrorThrown', value: 'a string was thrown: lookup failed for j***@example.com', fingerprint: ['NonErrorThrown', 'string', '/throw-string'], thrown: 'string', frames: 0 },
    { type: 'NonErrorThrown', value: 'undefined was thrown', fingerprint: ['NonErrorThrown', 'undefined', '/throw-undefined'], thrown: 'undefined', frames: 0 }
  ], 'no frames of the reporter, the same fingerprint for the same kind and route')
  t.match(endpoint.events[0].tags, { error_name: 'INTERNAL_ERROR', route: '/throw-undefined' })
  await app.close()
})

t.test('the cap of unknown errors is per type and top frame: a flood of one TypeError does not hide another TypeError bug', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: { events: 3, seconds: 60 } })
  const app = await buildApp(metrics)
  for (let i = 0; i < 10; i++) await app.inject('/flood')
  await app.inject('/crash')
  await app.inject('/users/42')
  await metrics.flush(5000)
  const values = endpoint.events.map(e => exceptionsOf(e).at(-1)?.value)
  t.equal(values.filter(v => /^cannot read limit of undefined/.test(v)).length, 3, 'the flood is capped')
  t.equal(values.filter(v => /^cannot read profile/.test(v)).length, 2, 'another TypeError, thrown elsewhere, gets through (the same bug from two routes is one key)')
  t.match(metrics.sentryStats, { reported: 5, rateLimited: 7 })
  await app.close()
})

t.test('the rate limit forgets the least recently used key first: an ongoing flood keeps its window', async t => {
  const { MAX_RATE_KEYS } = await import('../src/index.js')
  const { metrics } = await setup(t, { rateLimit: { events: 1, seconds: 60, total: 1_000_000 } }, { now: () => 5_000_000 })
  const crash = (name: string): void => {
    // One stack whatever line calls crash(): the key is the type and frames.
    const thrown = Object.assign(new Error('x'), { name, stack: `${name}: x\n    at crash (/app/src/crash.js:1:1)` })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: 0 })
  }
  crash('Hot')
  for (let i = 0; i < MAX_RATE_KEYS - 1; i++) crash(`Other${i}`)
  crash('Hot')
  t.match(metrics.sentryStats, { reported: MAX_RATE_KEYS, rateLimited: 1 })
  for (let i = 0; i < 10; i++) crash(`Newer${i}`)
  crash('Hot')
  t.match(metrics.sentryStats, { reported: MAX_RATE_KEYS + 10, rateLimited: 2 }, 'used recently, so still remembered (and capped) after ten new keys')
  crash('Other0')
  t.match(metrics.sentryStats, { reported: MAX_RATE_KEYS + 11, rateLimited: 2 }, 'the least recently used one was forgotten')
  await metrics.flush(5000)
})

t.test('trace: each event carries its own request\'s trace id (the one @errcodes/tracing gave the request, else a new one)', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: false })
  const traceId = '4bf92f3577b34a06a0fa1b2ec3a8e2d1'
  metrics.record({ error: normalizeError(new Error('traced')), thrown: new Error('traced'), status: 500, traceId, timestamp: Date.now() })
  const app = await buildApp(metrics)
  await Promise.all([app.inject('/crash'), app.inject('/other-bug'), app.inject('/flood')])
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 4)
  t.equal(endpoint.events[0].contexts.trace.trace_id, traceId)
  const ids = endpoint.events.map(e => e.contexts.trace.trace_id as string)
  t.ok(ids.every(id => /^[0-9a-f]{32}$/.test(id)))
  t.equal(new Set(ids).size, 4, 'four requests, four traces')
  await app.close()
})

t.test('an unknown error is keyed by its frames even outside the app (a message quoting user input is no new key); by its message only without frames', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: { events: 1, seconds: 60 } })
  const crash = (message: string, stack: string): void => {
    const thrown = Object.assign(new Error(message), { stack: `Error: ${message}\n${stack}` })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: Date.now() })
  }
  // A driver rejecting from a setImmediate: no frame of the application at all.
  const inDependency = '    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)\n    at Immediate.<anonymous> (/app/node_modules/pg/lib/client.js:526:17)\n    at process.processImmediate (node:internal/timers:483:21)'
  for (const input of ['abc', 'xyz', 'qrs', 'jkl']) crash(`invalid input syntax for type integer: "${input}"`, inDependency)
  crash('no frames at all 1', '')
  crash('no frames at all 2', '')
  // No stack at all, and a name getter that throws (the key falls back to what was thrown).
  for (const n of [1, 2]) {
    const thrown = Object.assign(new Error(`stackless ${n}`), { stack: undefined })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: Date.now() })
  }
  for (let n = 0; n < 2; n++) {
    const thrown = Object.defineProperty(new Error('hostile'), 'name', { get () { throw new Error('trap') } })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, route: '/r', timestamp: Date.now() })
  }
  await metrics.flush(5000)
  t.same(endpoint.events.map(e => exceptionsOf(e).at(-1)?.value), ['invalid input syntax for type integer: "abc"', 'no frames at all 1', 'stackless 1', 'an object was thrown'])
  t.match(metrics.sentryStats, { reported: 4, rateLimited: 6 })
})

t.test('two bugs thrown through one helper are two keys: a flood of one does not hide the other', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: { events: 2, seconds: 60 } })
  const app = await buildApp(metrics)
  for (let i = 0; i < 10; i++) await app.inject('/charge')
  await app.inject('/profile')
  await metrics.flush(5000)
  const values = endpoint.events.map(e => exceptionsOf(e).at(-1)?.value)
  t.equal(values.filter(v => /^charge failed/.test(v)).length, 2, 'the flood is capped')
  t.same(values.filter(v => /^profile failed/.test(v)), ['profile failed'], 'the other bug gets through')
  t.match(metrics.sentryStats, { reported: 3, rateLimited: 8 })
  await app.close()
})

t.test('a ceiling over all keys: many distinct keys send at most rateLimit.total per interval, the rest counted rate_limited', async t => {
  const { endpoint, metrics } = await setup(t, { rateLimit: { events: 5, seconds: 60, total: 3 } }, { now: () => 7_000_000 })
  for (let i = 0; i < 8; i++) {
    const thrown = Object.assign(new Error(`bug ${i}`), { name: `Bug${String.fromCharCode(65 + i)}` })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: 0 })
  }
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 3)
  t.match(metrics.sentryStats, { reported: 3, rateLimited: 5 })
  t.match(await metrics.metrics(), /errcodes_sentry_events_total\{outcome="rate_limited"\} 5/)
})

t.test('the default ceiling is ten times the per-key cap', async t => {
  const { metrics } = await setup(t, { rateLimit: { events: 1, seconds: 60 } }, { now: () => 7_000_000 })
  for (let i = 0; i < 15; i++) {
    const thrown = Object.assign(new Error('x'), { name: `Kind${String.fromCharCode(65 + i)}` })
    metrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: 0 })
  }
  t.match(metrics.sentryStats, { reported: 10, rateLimited: 5 })
  await metrics.flush(5000)
})

t.test('a client that throws: the error is counted dropped and flush() says false; record() never throws', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const client = new Sentry.NodeClient({ dsn: endpoint.dsn, transport: Sentry.makeNodeTransport, stackParser: Sentry.defaultStackParser, integrations: [] })
  client.init()
  // Fault injection on a real client: its capture and flush fail as a broken transport setup would.
  const flush = client.flush.bind(client)
  client.captureException = () => { throw new Error('capture failed') }
  client.flush = async () => { throw new Error('flush failed') }
  t.teardown(async () => {
    client.flush = flush
    await client.close(500)
  })
  const metrics = createMetrics({ sentry: { client } })
  t.doesNotThrow(() => metrics.record({ error: normalizeError(new Error('x')), thrown: new Error('x'), status: 500, timestamp: Date.now() }))
  t.match(metrics.sentryStats, { dropped: 1, reported: 0 })
  t.equal(metrics.sentryDropped, 1)
  t.equal(await metrics.flush(100), false)
})
