import t from 'tap'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { SpanKind } from '@opentelemetry/api'
import { InMemorySpanExporter, SimpleSpanProcessor, BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { createTracing } from '../src/create-tracing.js'
import { errors } from './fixtures/errors.js'

t.test('through the plugin, an error reaches the tracer once, at the throw site: its exception event precedes onSend', async t => {
  const memory = new InMemorySpanExporter()
  // Keeps the live server span, so onSend can read what it carries at that moment. (Comparing the
  // event's timestamp with a span started in onSend was flaky: two spans, two clock anchors.)
  let live: Span | undefined
  const keepServerSpan: SpanProcessor = {
    onStart (span) { if (span.kind === SpanKind.SERVER) live = span },
    onEnd () {},
    forceFlush: async () => {},
    shutdown: async () => {}
  }
  const provider = new BasicTracerProvider({ spanProcessors: [keepServerSpan, new SimpleSpanProcessor(memory)] })
  t.teardown(() => provider.shutdown())
  const tracing = createTracing({ tracerProvider: provider })
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, tracing })
  let exceptionsAtSend: number | undefined
  app.addHook('onSend', async (request, reply, payload) => {
    exceptionsAtSend = live?.events.filter(e => e.name === 'exception').length
    return payload
  })
  app.get('/fail', async () => { throw errors.DB_DOWN.create({ host: 'db', email: 'ann@example.com' }) })

  const res = await app.inject('/fail')
  t.equal(res.statusCode, 503)
  const spans = memory.getFinishedSpans()
  const server = spans.find(s => s.name === 'GET /fail') as ReadableSpan
  t.ok(server, 'the server span ended')
  const exceptions = server.events.filter(e => e.name === 'exception')
  t.equal(exceptions.length, 1, 'one exception event')
  t.equal(exceptionsAtSend, 1, 'recorded when the error was handled, before the response was sent')
  t.equal(server.attributes['http.response.status_code'], 503, 'finishRequest set the final status')
  t.equal(server.attributes['errcodes.code'], 501)
})
