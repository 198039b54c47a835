import t, { type Test } from 'tap'
import * as Sentry from '@sentry/node'
import { connect as connectHttp2 } from 'node:http2'
import { connect, type AddressInfo } from 'node:net'
import { createMetrics } from '../src/create-metrics.js'
import { startSentryEndpoint } from './fixtures/sentry-endpoint.js'
import { buildApp, errors } from './fixtures/sentry-app.js'

// Four concurrent failing requests, each in its own Sentry isolation scope: every event must carry its
// own request's user, tags and context, in DSN mode and with a client the application made.

const USERS = ['alice', 'bob', 'carol', 'dave']

function isolate (request: { headers: Record<string, unknown> }, done: () => void): void {
  const user = String(request.headers['x-user'])
  Sentry.withIsolationScope(scope => {
    scope.setUser({ id: user, email: `${user}@example.com` })
    scope.setTag('user', user)
    scope.setContext('account', { owner: user })
    done()
  })
}

async function fireConcurrently (metrics: ReturnType<typeof createMetrics>): Promise<void> {
  const app = await buildApp(metrics, { onRequest: isolate })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  // All four fail in the same turn, the last to arrive first: a scope taken from whichever request
  // scheduled the work (or none) would show up on the others' events.
  const responses = await Promise.all(USERS.map(user => fetch(`http://127.0.0.1:${port}/together-crash`, { headers: { 'x-user': user } })))
  for (const res of responses) await res.arrayBuffer()
  await app.close()
}

function check (t: Test, events: Array<Record<string, any>>): void {
  t.equal(events.length, 4)
  t.same(events.map(e => e.user?.id).sort(), USERS, 'four users, none repeated')
  for (const event of events) {
    const user = event.user?.id as string
    t.equal(event.tags.user, user, `${user}: own tag`)
    t.equal(event.contexts.account.owner, user, `${user}: own context`)
    t.equal(event.exception.values.at(-1).value, `crash for ${user}`, `${user}: own error`)
    t.equal(event.user.email, `${user[0]}***@example.com`, `${user}: e-mail masked`)
  }
}

t.test('DSN mode: each event carries its own request\'s isolation scope', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn } })
  t.teardown(() => metrics.close(500))
  await fireConcurrently(metrics)
  t.equal(await metrics.flush(5000), true)
  check(t, endpoint.events)
  t.equal(new Set(endpoint.events.map(e => e.contexts.trace.trace_id)).size, 4, 'each event has its own request\'s trace id')
})

t.test('DSN mode: scope data set inside the handler (Sentry.setTag) is the request\'s; a withIsolationScope of the handler\'s own is gone after the throw', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn } })
  t.teardown(() => metrics.close(500))
  const app = await buildApp(metrics, { onRequest: isolate })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  await Promise.all(['erin', 'frank'].map(async user => await (await fetch(`http://127.0.0.1:${port}/handler-scope`, { headers: { 'x-user': user } })).arrayBuffer()))
  await app.close()
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 2)
  for (const event of endpoint.events) {
    t.match(event.tags, { in_handler: 'yes', user: event.user.id }, 'Sentry.setTag in the handler lands on the request\'s isolation scope')
    t.notOk('inner_scope' in event.tags, 'the handler\'s own scope ended when the throw left it')
  }
  // Without a per-request isolation scope (no Sentry.init, no onRequest hook), Sentry.setTag would
  // write to the process-wide one: the README says to fork one per request.
})

t.test('client mode: the same with a NodeClient the application made, scrubbed by the processor added to it', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const client = new Sentry.NodeClient({
    dsn: endpoint.dsn,
    transport: Sentry.makeNodeTransport,
    stackParser: Sentry.defaultStackParser,
    integrations: [Sentry.linkedErrorsIntegration(), Sentry.extraErrorDataIntegration()],
    sendClientReports: false
  })
  client.init()
  t.teardown(() => client.close(500))
  const metrics = createMetrics({ catalog: errors, sentry: { client } })
  // A second recorder on the same client (another app in the process) shares its one processor.
  createMetrics({ catalog: errors, sentry: { client } })
  await fireConcurrently(metrics)
  t.equal(await metrics.flush(5000), true)
  check(t, endpoint.events)

  // The application's own captures through that client are scrubbed too.
  endpoint.events.length = 0
  client.captureException(new Error('their own report about jane.doe@example.com'))
  await client.flush(5000)
  t.equal(endpoint.events[0]?.exception.values.at(-1).value, 'their own report about j***@example.com')
  // A parameterized message (`logentry`): template and values masked.
  endpoint.events.length = 0
  client.captureMessage(Sentry.parameterize`payment failed for ${'jane.doe@example.com'}`, 'error', undefined, Sentry.getCurrentScope())
  await client.flush(5000)
  t.match(endpoint.events[0]?.logentry, { params: ['j***@example.com'] })
  t.notOk(JSON.stringify(endpoint.events[0]).includes('jane.doe@example.com'))

  // Props the application's extraErrorData integration lifts from the thrown value are masked.
  endpoint.events.length = 0
  const app = await buildApp(metrics)
  await app.inject('/secret-props')
  await app.inject('/catalog')
  await metrics.flush(5000)
  const text = JSON.stringify(endpoint.events)
  t.equal(endpoint.events.length, 2)
  t.notOk(/sk_live_51HxQ|hunter2|jane\.doe@example\.com|eyJhbGciOiJIUzI1NiJ9\./.test(text), 'props, params, detail and name masked')
  t.ok(text.includes('[REDACTED]'), 'lifted props are there, masked')
  t.ok(endpoint.events.some(e => e.contexts?.['Leak j***@example.com']?.apiKey === '[REDACTED]'), 'context names are masked too')
  await app.close()
})

t.test('DSN mode with @errcodes/tracing: each event carries the trace its request was answered with (X-Trace-ID)', async t => {
  const { createTracing } = await import('@errcodes/tracing')
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const tracing = createTracing({ serviceName: 'sentry-scopes', exporter: 'none' })
  t.teardown(() => tracing.shutdown())
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, rateLimit: false } })
  t.teardown(() => metrics.close(500))
  const app = await buildApp(metrics, { onRequest: isolate, tracing })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const answered = new Map<string, string | null>()
  await Promise.all(USERS.map(async (user, i) => {
    const res = await fetch(`http://127.0.0.1:${port}/slow-crash?ms=${(USERS.length - i) * 20}`, { headers: { 'x-user': user } })
    await res.arrayBuffer()
    answered.set(user, res.headers.get('x-trace-id'))
  }))
  await app.close()
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 4)
  for (const event of endpoint.events) {
    const user = event.user.id as string
    t.match(answered.get(user), /^[0-9a-f]{32}$/, `${user}: the response names its trace`)
    t.equal(event.contexts.trace.trace_id, answered.get(user), `${user}: the event is in that trace`)
  }
})

/** Sends raw HTTP/1.1 text on one socket and resolves with everything the server wrote until it closed. */
async function pipeline (port: number, text: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', chunk => { data += chunk })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')))
  })
}

t.test('DSN mode, pipelined HTTP/1.1: each event carries its own request\'s scope, not the one answered before it', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, rateLimit: false } })
  t.teardown(() => metrics.close(500))
  const app = await buildApp(metrics, { onRequest: isolate })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  // Node writes a queued pipelined response when the one before it finished: its 'finish' comes in
  // that earlier request's async context. The first request is the slowest, so the others queue.
  const users = ['alice', 'bob', 'carol']
  // The last one asks the server to close the connection once it answered.
  const text = users.map((user, i) => `GET /slow-crash?ms=${i === 0 ? 150 : 10} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User: ${user}\r\n${i === users.length - 1 ? 'Connection: close\r\n' : ''}\r\n`).join('')
  const answer = await pipeline(port, text)
  t.equal(answer.match(/HTTP\/1\.1 500 /g)?.length, 3, 'three answers on one socket')
  await app.close()
  t.equal(await metrics.flush(5000), true)
  t.equal(endpoint.events.length, 3)
  for (const event of endpoint.events) {
    const thrownFor = /crash for (\w+)/.exec(String(event.exception.values.at(-1).value))?.[1]
    t.equal(event.user?.id, thrownFor, `the event of ${String(thrownFor)}'s request carries ${String(thrownFor)}`)
    t.equal(event.tags.user, thrownFor)
  }
})

t.test('DSN mode over HTTP/2: each event carries its own request\'s scope', async t => {
  const endpoint = await startSentryEndpoint()
  t.teardown(endpoint.close)
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, rateLimit: false } })
  t.teardown(() => metrics.close(500))
  const app = await buildApp(metrics, { onRequest: isolate, http2: true })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  // Node's HTTP/2 compatibility layer emits a response's 'finish' outside the request's context.
  const session = connectHttp2(`http://127.0.0.1:${port}`)
  const sessionFailed = new Promise<never>((resolve, reject) => session.on('error', reject))
  t.teardown(() => session.destroy())
  const statuses = await Promise.race([sessionFailed, Promise.all(USERS.map(async user => await new Promise<number>((resolve, reject) => {
    const stream = session.request({ ':path': '/together-crash', 'x-user': user })
    let status = 0
    stream.on('response', headers => { status = Number(headers[':status']) })
    stream.on('error', reject)
    stream.resume()
    stream.on('end', () => resolve(status))
  })))])
  session.close()
  await app.close()
  t.same(statuses, [500, 500, 500, 500])
  t.equal(await metrics.flush(5000), true)
  check(t, endpoint.events)
})
