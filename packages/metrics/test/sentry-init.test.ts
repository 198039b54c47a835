import t from 'tap'
import * as Sentry from '@sentry/node'
import type { AddressInfo } from 'node:net'
import { startSentryEndpoint } from './fixtures/sentry-endpoint.js'

// An application-wide Sentry.init with tracing and Sentry's own Fastify integration, and @errcodes
// reporting through the same client: one event per error, linked to the request's trace, scrubbed.
// Sentry.init is process-wide, so this file is its own process.

const endpoint = await startSentryEndpoint()
t.teardown(endpoint.close)
Sentry.init({ dsn: endpoint.dsn, tracesSampleRate: 1, sendClientReports: false, environment: 'init-test' })
t.teardown(() => Sentry.close(500))

const { createMetrics } = await import('../src/create-metrics.js')
const { buildApp, errors, SECRETS } = await import('./fixtures/sentry-app.js')

const client = Sentry.getClient()
if (client === undefined) throw new Error('Sentry.init made no client')
const metrics = createMetrics({ catalog: errors, sentry: { client, rateLimit: { events: 8, seconds: 3600 } } })
const app = await buildApp(metrics, { before: app => { Sentry.setupFastifyErrorHandler(app) } })
app.addHook('preHandler', async (request) => {
  // What an application does in a handler: identify the user on the request's own isolation scope.
  const user = String(request.headers['x-user'] ?? 'anonymous')
  Sentry.setUser({ id: user, email: `${user}@example.com`, ip_address: '10.1.2.3' })
  Sentry.setTag('user', user)
})
await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => app.close())
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

async function get (path: string, user: string): Promise<Response> {
  const res = await fetch(base + path, { headers: { 'x-user': user } })
  await res.arrayBuffer()
  return res
}

t.test('a crash makes exactly one event, the thrown value, linked to the request\'s trace', async t => {
  endpoint.events.length = 0
  const res = await get('/crash', 'alice')
  t.equal(res.status, 500)
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 1, 'one event although both Sentry\'s integration and @errcodes saw the error')
  const event = endpoint.events[0]
  t.equal(event.exception.values.at(-1).type, 'TypeError')
  t.equal(event.exception.values.at(-1).value, 'cannot read profile of undefined for j***@example.com')
  t.equal(event.exception.values.length, 2, 'cause linked')
  t.match(event.user, { id: 'alice', email: 'a***@example.com' })
  t.notOk('ip_address' in event.user)
  t.match(event.contexts.trace.trace_id, /^[0-9a-f]{32}$/)
  // SDK 11 streams spans: the request's server span is a segment span of the event's trace.
  const spans = endpoint.spans.filter(s => s.trace_id === event.contexts.trace.trace_id)
  t.ok(spans.some(s => s.name === 'GET /crash' && s.is_segment === true), 'the event is in the trace of the request\'s server span')
  t.ok(spans.some(s => s.span_id === event.contexts.trace.span_id), 'and points at a span of that trace')
})

t.test('a catalog 5xx: one event, tagged and grouped by code whoever captured it first', async t => {
  endpoint.events.length = 0
  await get('/catalog', 'bob')
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 1)
  const event = endpoint.events[0]
  t.same(event.fingerprint, ['DB_DOWN'])
  t.match(event.tags, { error_code: '501', error_name: 'DB_DOWN', domain: 'SERVER', user: 'bob' })
})

t.test('everything Sentry sends about these requests is scrubbed: message, values, request URL, user, breadcrumbs', async t => {
  endpoint.events.length = 0
  endpoint.bodies.length = 0
  await get('/users/jane.doe%40example.com?token=hunter2', 'carol')
  await get('/secret-props', 'dave')
  await get('/aggregate', 'alice')
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 3)
  // Sentry's contextLines integration sends the source lines around each frame: that is the fixture's
  // code, which spells the secrets out as literals. They are masked by pattern (e-mails, cards, JWTs), but
  // a bare literal like 'hunter2' in code is code, not data: the leak search covers everything else.
  const withoutSource = endpoint.events.map(e => JSON.stringify(e, (key, value) => ['pre_context', 'context_line', 'post_context'].includes(key) ? undefined : value))
  const errorsSent = withoutSource.join('\n')
  for (const secret of SECRETS) t.notOk(errorsSent.includes(secret), `no error event contains ${secret}`)
  const source = JSON.stringify(endpoint.events.map(e => e.exception.values.map((v: any) => v.stacktrace?.frames?.map((f: any) => f.context_line))))
  t.ok(source.includes('j***@example.com') && !source.includes('jane.doe@example.com'), 'source lines are sent, with their e-mails masked')
  const byUser = endpoint.events.find(e => e.user?.id === 'carol')
  t.match(byUser?.request?.url, /\/users\/j\*\*\*@example\.com$/, 'the request URL path is decoded and masked, the query dropped')
  t.notOk(byUser?.request?.query_string)
})

t.test('concurrent requests keep their own users (the SDK\'s per-request isolation scope)', async t => {
  endpoint.events.length = 0
  const users = ['alice', 'bob', 'carol', 'dave']
  await Promise.all(users.map((user, i) => fetch(`${base}/slow-crash?ms=${(users.length - i) * 40}`, { headers: { 'x-user': user } }).then(r => r.arrayBuffer())))
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 4)
  for (const event of endpoint.events) {
    t.equal(event.exception.values.at(-1).value, `crash for ${event.user.id}`)
    t.equal(event.tags.user, event.user.id)
  }
  t.same(endpoint.events.map(e => e.user.id).sort(), users)
})

t.test('a flood of one 500 that Sentry\'s integration captures first is capped at the configured rate, another bug still gets through', async t => {
  endpoint.events.length = 0
  const before = metrics.sentryStats
  for (let i = 0; i < 20; i++) await get('/flood', 'alice')
  await get('/crash', 'bob')
  await Sentry.flush(5000)
  const values = endpoint.events.map(e => e.exception.values.at(-1).value)
  t.equal(values.filter(v => /^cannot read limit of undefined/.test(v)).length, 8, '8 per hour, not 20')
  t.ok(endpoint.events.every(e => e.exception.values.at(-1).mechanism.type === 'auto.function.fastify'), 'all of them Sentry\'s own captures')
  t.equal(values.filter(v => /^cannot read profile/.test(v)).length, 1, 'a different bug is not capped with it')
  const after = metrics.sentryStats
  t.equal((after?.rateLimited ?? 0) - (before?.rateLimited ?? 0), 12, 'the dropped ones are counted rate_limited')
  t.equal((after?.alreadyReported ?? 0) - (before?.alreadyReported ?? 0), 9, 'the sent ones already_reported, once each')
  t.equal(after?.reported, before?.reported, 'none sent twice')
  t.match(await metrics.metrics(), /errcodes_sentry_events_total\{outcome="rate_limited"\} 12/)
})

t.test('throw undefined, null or a string: exactly one event each, in the same shape as without Sentry.init', async t => {
  endpoint.events.length = 0
  for (const path of ['/throw-undefined', '/throw-null', '/throw-string']) t.equal((await get(path, 'carol')).status, 500)
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 3, 'Sentry\'s copy of a value it cannot mark is dropped; the error handler\'s is sent')
  t.same(endpoint.events.map(e => [e.exception.values.at(-1).type, e.exception.values.at(-1).value, e.fingerprint]).sort(), [
    ['NonErrorThrown', 'a string was thrown: lookup failed for j***@example.com', ['NonErrorThrown', 'string', '/throw-string']],
    ['NonErrorThrown', 'null was thrown', ['NonErrorThrown', 'null', '/throw-null']],
    ['NonErrorThrown', 'undefined was thrown', ['NonErrorThrown', 'undefined', '/throw-undefined']]
  ])
  t.ok(endpoint.events.every(e => e.user.id === 'carol' && /^[0-9a-f]{32}$/.test(e.contexts.trace.trace_id)), 'in the request\'s scope and trace')
})

t.test('spans are scrubbed too: URL, span name and attributes of the request and of the application\'s own spans', async t => {
  endpoint.spans.length = 0
  await get('/users/jane.doe%40example.com?token=hunter2', 'dave')
  await get('/span-secret', 'dave')
  await Sentry.flush(5000)
  // Segments are sent when they end, after a short delay.
  for (let i = 0; i < 40 && !endpoint.spans.some(s => s.name === 'lookup j***@example.com'); i++) await new Promise(resolve => setTimeout(resolve, 100))
  const spans = JSON.stringify(endpoint.spans)
  t.ok(endpoint.spans.some(s => s.name === 'lookup j***@example.com'), 'the application\'s span is sent, its name masked')
  for (const secret of ['jane.doe@example.com', 'jane.doe%40example.com', 'hunter2', 'sk_live_51HxQ']) t.notOk(spans.includes(secret), `no span contains ${secret}`)
  const own = endpoint.spans.find(s => s.name === 'lookup j***@example.com')
  t.equal(own?.attributes.password.value, '[REDACTED]')
  t.equal(own?.attributes.email.value, 'j***@example.com')
  const server = endpoint.spans.find(s => s.is_segment === true && s.attributes['http.route']?.value === '/users/:id')
  t.match(server?.attributes['url.path']?.value, '/users/j***@example.com', 'paths decoded and masked')
  t.notOk(server?.attributes['url.query'], 'query strings dropped')
  t.notOk(server?.attributes['client.address'] ?? server?.attributes['user.ip_address'], 'client addresses dropped')
  t.ok(server?.attributes['http.request.header.user-agent'], 'harmless headers kept')
  t.notOk(server?.attributes['http.request.header.baggage'], 'other headers dropped')
})

t.test('scope data: Sentry.setTag in the handler is on the event; a withIsolationScope of the handler\'s own is not, in Sentry\'s own capture too', async t => {
  endpoint.events.length = 0
  await get('/handler-scope', 'erin')
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 1)
  const event = endpoint.events[0]
  t.equal(event.exception.values.at(-1).mechanism.type, 'auto.function.fastify', 'the event is Sentry\'s own Fastify integration\'s')
  t.match(event.tags, { in_handler: 'yes', user: 'erin' })
  t.notOk('inner_scope' in event.tags, 'the inner scope is gone once the throw left it, for Sentry\'s integration as for errcodes')
})

t.test('client mode warns once when the client\'s Fastify integration keeps Sentry\'s default filter', async t => {
  const warnings: Error[] = []
  const onWarning = (warning: Error): void => { warnings.push(warning) }
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const another = createMetrics({ sentry: { client } })
  t.teardown(() => another.close(500))
  await new Promise(resolve => setImmediate(resolve))
  const ours = warnings.filter(w => (w as { code?: string }).code === 'ERRCODES_SENTRY_FASTIFY_FILTER')
  t.equal(ours.length, 1)
  t.match(ours[0]?.message, /default shouldHandleError.*sentryShouldHandleError/)
})

t.test('DSN mode next to an app-wide Sentry.init: its own client, the app\'s scope strategy left working', async t => {
  const own = await startSentryEndpoint()
  t.teardown(own.close)
  const { normalizeError } = await import('@errcodes/core')
  const warnings: Error[] = []
  const onWarning = (warning: Error): void => { warnings.push(warning) }
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const dsnMetrics = createMetrics({ sentry: { dsn: own.dsn } })
  await new Promise(resolve => setImmediate(resolve))
  t.equal(warnings.length, 1, 'one process warning at createMetrics')
  t.match(warnings[0], { code: 'ERRCODES_SENTRY_APP_CLIENT', message: /application-wide Sentry\.init.*sentry: \{ client: Sentry\.getClient\(\) \}/ })
  t.teardown(() => dsnMetrics.close(500))
  const thrown = new RangeError('outside any route', { cause: new Error('root cause') })
  await Sentry.withIsolationScope(async scope => {
    scope.setUser({ id: 'erin', email: 'erin@example.com' })
    await Promise.resolve()
    dsnMetrics.record({ error: normalizeError(thrown), thrown, status: 500, timestamp: Date.now() })
  })
  t.equal(await dsnMetrics.flush(5000), true)
  t.equal(own.events.length, 1, 'sent to its own DSN')
  t.same(own.events[0].exception.values.map((v: { type: string }) => v.type), ['Error', 'RangeError'], 'cause linked without init()')
  t.match(own.events[0].user, { id: 'erin', email: 'e***@example.com' }, 'the isolation scope of Sentry.init\'s strategy')
  // The application's Sentry still follows its requests after the reporter's client was made.
  endpoint.events.length = 0
  await get('/crash', 'frank')
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 1)
  t.equal(endpoint.events[0].user.id, 'frank')
})
