import t from 'tap'
import * as Sentry from '@sentry/node'
import type { AddressInfo } from 'node:net'
import { startSentryEndpoint } from './fixtures/sentry-endpoint.js'

// `sentry: { dsn }` next to an application-wide Sentry.init and Sentry's own Fastify integration, which
// captures handler errors before the error handler runs and sends them to the application's DSN. The
// reporter adds its processor to that client (one process warning says so): whatever reaches either
// endpoint is scrubbed, and Sentry's captures of our errors are sampled and capped like ours.
// Sentry.init is process-wide, so this file is its own process.

const appEndpoint = await startSentryEndpoint()
t.teardown(appEndpoint.close)
const ownEndpoint = await startSentryEndpoint()
t.teardown(ownEndpoint.close)
Sentry.init({ dsn: appEndpoint.dsn, tracesSampleRate: 1, sendClientReports: false })
t.teardown(() => Sentry.close(500))

const { createMetrics } = await import('../src/create-metrics.js')
const { buildApp, errors, SECRETS } = await import('./fixtures/sentry-app.js')

const warnings: Error[] = []
process.on('warning', warning => { if ((warning as { code?: string }).code === 'ERRCODES_SENTRY_APP_CLIENT') warnings.push(warning) })
const metrics = createMetrics({ catalog: errors, sentry: { dsn: ownEndpoint.dsn, rateLimit: { events: 4, seconds: 3600 } } })
t.teardown(() => metrics.close(500))
const app = await buildApp(metrics, { before: app => { Sentry.setupFastifyErrorHandler(app) } })
app.addHook('preHandler', async (request) => {
  const user = String(request.headers['x-user'] ?? 'anonymous')
  Sentry.setUser({ id: user, email: `${user}@example.com`, ip_address: '10.1.2.3' })
})
await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => app.close())
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

async function get (path: string, user: string): Promise<void> {
  await (await fetch(base + path, { headers: { 'x-user': user } })).arrayBuffer()
}

async function flushBoth (): Promise<void> {
  await Sentry.flush(5000)
  await metrics.flush(5000)
}

t.test('one process warning at createMetrics says what happens and how to report through one client', async t => {
  await new Promise(resolve => setImmediate(resolve))
  t.equal(warnings.length, 1)
  t.match(warnings[0].message, /option "sentry\.dsn" is used next to an application-wide Sentry\.init/)
  await get('/crash', 'alice')
  await flushBoth()
  t.equal(warnings.length, 1, 'not repeated per error')
})

t.test('a crash: one event, on the application\'s DSN, scrubbed by errcodes', async t => {
  appEndpoint.events.length = 0
  ownEndpoint.events.length = 0
  await get('/users/jane.doe%40example.com?token=hunter2', 'bob')
  await flushBoth()
  t.equal(appEndpoint.events.length + ownEndpoint.events.length, 1, 'exactly one event')
  const event = appEndpoint.events[0]
  t.equal(event.exception.values.at(-1).value, 'cannot read profile of undefined for j***@example.com')
  t.match(event.exception.values[0].value, /password=\[REDACTED\]/, 'the cause too')
  t.match(event.user, { id: 'bob', email: 'b***@example.com' })
  t.notOk('ip_address' in event.user)
  t.match(event.request.url, /\/users\/j\*\*\*@example\.com$/)
})

t.test('nothing either endpoint received holds a secret (source lines aside), spans included', async t => {
  for (const path of ['/secret-props', '/aggregate', '/catalog', '/span-secret', '/throw-string']) await get(path, 'carol')
  await flushBoth()
  await new Promise(resolve => setTimeout(resolve, 700))
  await flushBoth()
  const sent = [...appEndpoint.events, ...ownEndpoint.events, ...appEndpoint.spans, ...appEndpoint.transactions]
    .map(item => JSON.stringify(item, (key, value) => ['pre_context', 'context_line', 'post_context'].includes(key) ? undefined : value)).join('\n')
  for (const secret of [...SECRETS, 'jane.doe%40example.com']) t.notOk(sent.includes(secret), `nothing contains ${secret}`)
  t.ok(appEndpoint.spans.length > 0, 'spans were sent')
})

t.test('a thrown string: one event, errcodes\' own shape on errcodes\' DSN (Sentry cannot mark a string as captured)', async t => {
  appEndpoint.events.length = 0
  ownEndpoint.events.length = 0
  await get('/throw-string', 'dave')
  await flushBoth()
  t.equal(appEndpoint.events.length, 0, 'Sentry\'s copy dropped')
  t.equal(ownEndpoint.events.length, 1)
  t.equal(ownEndpoint.events[0].exception.values.at(-1).value, 'a string was thrown: lookup failed for j***@example.com')
})

t.test('a flood Sentry\'s integration captures is capped at the configured rate and counted', async t => {
  appEndpoint.events.length = 0
  const before = metrics.sentryStats
  for (let i = 0; i < 12; i++) await get('/flood', 'erin')
  await flushBoth()
  t.equal(appEndpoint.events.filter(e => /^cannot read limit/.test(e.exception.values.at(-1).value)).length, 4)
  t.equal((metrics.sentryStats?.rateLimited ?? 0) - (before?.rateLimited ?? 0), 8)
  t.equal((metrics.sentryStats?.alreadyReported ?? 0) - (before?.alreadyReported ?? 0), 4)
})
