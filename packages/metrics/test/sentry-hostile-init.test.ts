import t from 'tap'
import * as Sentry from '@sentry/node'
import type { AddressInfo } from 'node:net'
import { startSentryEndpoint } from './fixtures/sentry-endpoint.js'

// Sentry.init with tracing, Sentry's Fastify integration filtered by sentryShouldHandleError (the README's
// recommended setup), Sentry.setupFastifyErrorHandler and @errcodes reporting through the same client.
// Without the filter, Sentry's diagnostics-channel subscriber reads these values, throws, and its
// OnUncaughtException integration exits the process. Sentry.init is process-wide: its own file.

const uncaught: unknown[] = []
// Registered before Sentry.init: it records what would have crashed the process (and keeps tap alive to say so).
process.on('uncaughtException', error => { uncaught.push(error); if (process.env.DEBUG_UNCAUGHT === '1') console.error('UNCAUGHT', error) })
process.on('unhandledRejection', error => { uncaught.push(error) })

const endpoint = await startSentryEndpoint()
t.teardown(endpoint.close)
const { sentryShouldHandleError } = await import('../src/index.js')
if (typeof sentryShouldHandleError !== 'function') throw new Error('not exported')
Sentry.init({ dsn: endpoint.dsn, tracesSampleRate: 1, sendClientReports: false, integrations: [Sentry.fastifyIntegration({ shouldHandleError: sentryShouldHandleError })] })
t.teardown(() => Sentry.close(500))

const { createMetrics } = await import('../src/create-metrics.js')
const { buildApp } = await import('./fixtures/sentry-app.js')
const client = Sentry.getClient()
if (client === undefined) throw new Error('Sentry.init made no client')
const warnings: Error[] = []
process.on('warning', warning => { warnings.push(warning) })
const metrics = createMetrics({ sentry: { client, rateLimit: false } })
t.test('with sentryShouldHandleError in place, client mode does not warn about the filter', async t => {
  await new Promise(resolve => setImmediate(resolve))
  t.same(warnings.filter(w => (w as { code?: string }).code === 'ERRCODES_SENTRY_FASTIFY_FILTER'), [])
})
const app = await buildApp(metrics, { before: app => { Sentry.setupFastifyErrorHandler(app) } })
// The README's recipe: errcodes' request id and route template on Sentry's own captures too.
app.addHook('onRequest', async (request) => {
  Sentry.getIsolationScope().setTag('request_id', request.id)
  if (request.routeOptions.url !== undefined) Sentry.getIsolationScope().setTag('route', request.routeOptions.url)
})
app.get('/hostile/object-getter', async () => {
  // eslint-disable-next-line no-throw-literal
  throw { get message (): string { throw new Error('boom from a getter') } }
})
app.get('/hostile/symbol', async () => {
  throw Symbol('jane.doe@example.com')
})
app.get('/hostile/error-getter', async () => {
  const error = new Error('never read')
  Object.defineProperty(error, 'message', { get () { throw new Error('boom from the message getter') } })
  throw error
})
app.get('/hostile/proxy-error', async () => {
  // Reads pass through (Fastify's own status lookup survives it), `in` throws.
  throw new Proxy(new Error('proxied jane.doe@example.com'), { has () { throw new Error('has trap') }, ownKeys () { throw new Error('keys trap') } })
})
await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => app.close())
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

for (const [path, kind] of [['/hostile/object-getter', 'object'], ['/hostile/symbol', 'symbol'], ['/hostile/error-getter', 'object']]) {
  t.test(`${path}: no uncaught exception, exactly one scrubbed NonErrorThrown event`, async t => {
    endpoint.events.length = 0
    const res = await fetch(base + path)
    await res.arrayBuffer()
    t.equal(res.status, 500)
    await Sentry.flush(5000)
    t.same(uncaught, [], 'nothing thrown inside Sentry\'s channel subscriber')
    t.equal(endpoint.events.length, 1, 'one event: errcodes\' own')
    const value = endpoint.events[0]?.exception?.values?.at(-1)
    t.equal(value?.type, 'NonErrorThrown')
    t.equal(value?.value, `a${kind === 'object' ? 'n' : ''} ${kind} was thrown`)
    t.equal(value?.mechanism?.type, 'errcodes')
    t.same(endpoint.events[0]?.fingerprint, ['NonErrorThrown', kind, path])
    t.notOk(JSON.stringify(endpoint.events).includes('jane.doe@example.com'))
  })
}

t.test('a Proxy wrapping an Error: Sentry\'s tracing replaces it with its trap\'s error before Fastify sees it; no crash, one event', async t => {
  endpoint.events.length = 0
  const res = await fetch(base + '/hostile/proxy-error')
  await res.arrayBuffer()
  t.equal(res.status, 500)
  await Sentry.flush(5000)
  t.same(uncaught, [])
  t.equal(endpoint.events.length, 1)
  // Sentry's span wrapper around the handler (handleCallbackErrors → recordEscapedErrorSpan → isPrimitive)
  // runs `in` on the rejection value; the trap's error becomes the handler's rejection. errcodes receives
  // that Error, not the Proxy, and so does Sentry's integration: one event (README, "Limits of the model").
  const value = endpoint.events[0]?.exception?.values?.at(-1)
  t.match(value, { type: 'Error', value: 'has trap' })
  t.notOk(JSON.stringify(endpoint.events).includes('jane.doe@example.com'))
})

t.test('an ordinary crash is still Sentry\'s own capture (the filter keeps the default rule), tagged by the onRequest recipe', async t => {
  endpoint.events.length = 0
  const crash = await fetch(base + '/users/42')
  await crash.arrayBuffer()
  await (await fetch(base + '/missing')).arrayBuffer()
  await Sentry.flush(5000)
  t.equal(endpoint.events.length, 1, 'the 500, not the 404')
  t.equal(endpoint.events[0]?.exception?.values?.at(-1)?.mechanism?.type, 'auto.function.fastify')
  const requestId = crash.headers.get('x-request-id')
  t.ok(requestId)
  t.match(endpoint.events[0]?.tags, { request_id: requestId, route: '/users/:id' }, 'the onRequest recipe tags Sentry\'s own capture with the request id the client saw and the route')
  t.same(uncaught, [])
})
