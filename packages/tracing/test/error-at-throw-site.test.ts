import t from 'tap'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { InMemorySpanExporter, SimpleSpanProcessor, BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { createTracing } from '../src/create-tracing.js'
import { errors } from './fixtures/errors.js'

const before = (a: readonly [number, number], b: readonly [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1])

t.test('through the plugin, an error reaches the tracer once, at the throw site: its exception event precedes onSend', async t => {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] })
  t.teardown(() => provider.shutdown())
  const tracing = createTracing({ tracerProvider: provider })
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, tracing })
  // A span started and ended in onSend marks, on the SDK's own clock, when the response went out.
  app.addHook('onSend', async (request, reply, payload) => {
    tracing.tracer.startSpan('onSend marker').end()
    return payload
  })
  app.get('/fail', async () => { throw errors.DB_DOWN.create({ host: 'db', email: 'ann@example.com' }) })

  const res = await app.inject('/fail')
  t.equal(res.statusCode, 503)
  const spans = memory.getFinishedSpans()
  const server = spans.find(s => s.name === 'GET /fail') as ReadableSpan
  const marker = spans.find(s => s.name === 'onSend marker') as ReadableSpan
  t.ok(server, 'the server span ended')
  const exceptions = server.events.filter(e => e.name === 'exception')
  t.equal(exceptions.length, 1, 'one exception event')
  t.ok(before(exceptions[0].time, marker.startTime), 'stamped when the error was handled, before the response was sent')
  t.equal(server.attributes['http.response.status_code'], 503, 'finishRequest set the final status')
  t.equal(server.attributes['errcodes.code'], 501)
})
