import t from 'tap'
import Fastify from 'fastify'
import { SpanKind, context, trace } from '@opentelemetry/api'
import { createTracing } from '../src/create-tracing.js'
import { injectTraceContext } from '../src/inject-trace-context.js'
import { recordError } from '../src/record-error.js'
import { errors } from './fixtures/errors.js'
import errorCodes from '@errcodes/fastify'
import { startReceiver } from './fixtures/otlp-receiver.js'

// OTLP/JSON span kinds and status codes.
const SERVER = 2
const CLIENT = 3
const ERROR = 2

t.test('two services over loopback export one trace over OTLP/HTTP', async t => {
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())

  // A takes its URL from the option, B from the standard environment variable.
  const tracingA = createTracing({ serviceName: 'svc-a', url: receiver.url, batch: { scheduledDelayMillis: 60_000 } })
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url
  const tracingB = createTracing({ serviceName: 'svc-b', serviceVersion: '2.0.0', batch: { scheduledDelayMillis: 60_000 } })
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  t.teardown(() => Promise.all([tracingA.shutdown(), tracingB.shutdown()]))

  // Both services wire the port through the real @errcodes/fastify plugin.
  const b = Fastify()
  await b.register(errorCodes, { catalog: errors, tracing: tracingB })
  b.get('/users/:id', async () => {
    throw errors.DB_DOWN.create({ host: 'db-7', email: 'ops@example.com' })
  })
  const bUrl = await b.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => b.close())

  const a = Fastify()
  await a.register(errorCodes, { catalog: errors, tracing: tracingA })
  a.get('/proxy/:id', async (request) => {
    const { id } = request.params as { id: string }
    const client = tracingA.tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'server.address': '127.0.0.1' } })
    try {
      const res = await context.with(trace.setSpan(context.active(), client), () =>
        fetch(`${bUrl}/users/${id}`, { headers: injectTraceContext({ accept: 'application/json' }) }))
      client.setAttribute('http.response.status_code', res.status)
      if (res.status >= 400) client.setAttribute('error.type', String(res.status))
      return { upstream: res.status, body: await res.json(), upstreamTraceId: res.headers.get('x-trace-id') }
    } catch (err) {
      recordError(client, err)
      throw err
    } finally {
      client.end()
    }
  })
  const aUrl = await a.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => a.close())

  const res = await fetch(`${aUrl}/proxy/7?secret=1`)
  t.equal(res.status, 200)
  const traceId = res.headers.get('x-trace-id')!
  t.match(traceId, /^[0-9a-f]{32}$/)
  const body = await res.json() as { upstream: number, body: { error_code: number, trace_id: string }, upstreamTraceId: string }
  t.equal(body.upstream, 503)
  t.equal(body.body.error_code, 501)
  t.equal(body.body.trace_id, traceId, 'B\'s error body carries the shared trace id')
  t.equal(body.upstreamTraceId, traceId, 'B\'s X-Trace-ID is the shared trace id')

  await Promise.all([tracingA.forceFlush(), tracingB.forceFlush()])
  const spans = receiver.spans
  t.equal(spans.length, 3, 'A server, A client, B server')
  t.same([...new Set(spans.map(s => s.traceId))], [traceId], 'one trace id across both services')
  const aServer = spans.find(s => s.service === 'svc-a' && s.kind === SERVER)!
  const aClient = spans.find(s => s.service === 'svc-a' && s.kind === CLIENT)!
  const bServer = spans.find(s => s.service === 'svc-b' && s.kind === SERVER)!
  t.ok(aServer && aClient && bServer, 'all three spans arrived')
  t.equal(aServer.name, 'GET /proxy/:id')
  t.equal(aServer.parentSpanId, '', 'A started the trace')
  t.equal(aServer.attributes['url.path'], '/proxy/7', 'no query string')
  t.equal(aClient.parentSpanId, aServer.spanId, 'the client span is the handler\'s child')
  t.equal(bServer.parentSpanId, aClient.spanId, 'B\'s server span is the child of A\'s client span')
  t.equal(bServer.name, 'GET /users/:id')
  t.equal(bServer.attributes['errcodes.code'], 501)
  t.equal(bServer.attributes['errcodes.name'], 'DB_DOWN')
  t.equal(bServer.attributes['errcodes.domain'], 'SERVER')
  t.equal(bServer.attributes['error.type'], 'DB_DOWN')
  t.equal(bServer.attributes['http.response.status_code'], 503)
  t.equal(bServer.status.code, ERROR)
  t.equal(bServer.status.message, 'Database db-7 down for o***@example.com')
  t.same(bServer.events.map(e => e.name), ['exception'])
  t.equal(bServer.events[0].attributes['exception.message'], 'Database db-7 down for o***@example.com')
  t.equal(aServer.status.code ?? 0, 0, 'A answered 200: status unset')
})
