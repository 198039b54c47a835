import t from 'tap'
import Fastify from 'fastify'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import { SpanStatusCode } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import errorCodes from '@errcodes/fastify'
import { MaskingSpanProcessor, createTracing } from '../src/index.js'
import { errors } from './fixtures/errors.js'
import { LEAKY_PATHS, leakedSecrets, leakyRoutes, spansOfLeakyRequests } from './fixtures/leaky-app.js'

t.test('bad options are rejected with a TypeError naming the option', async t => {
  const bad: Array<[unknown, RegExp]> = [
    [null, /options must be an object/],
    ['x', /options must be an object/],
    [{ attributes: 'db.statement' }, /option "attributes" must be an array/],
    [{ attributes: [''] }, /option "attributes" must be an array/],
    [{ attributes: [1] }, /option "attributes" must be an array/],
    [{ attribute: [] }, /^MaskingSpanProcessor: unknown option "attribute"; did you mean "attributes"\?/],
    [{ atributes: [] }, /^MaskingSpanProcessor: unknown option "atributes"; did you mean "attributes"\?/]
  ]
  for (const [options, message] of bad) {
    t.throws(() => new MaskingSpanProcessor(options as never), { name: 'TypeError', message }, JSON.stringify(options))
  }
  t.doesNotThrow(() => new MaskingSpanProcessor({ attributes: ['db.statement'] }))
})

t.test('masks status, exception events, url.* and named attributes of a span made by hand', async t => {
  const memory = new InMemorySpanExporter()
  // The exporting processor comes first on purpose: onEnding runs before any onEnd, whatever the order.
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new MaskingSpanProcessor({ attributes: ['db.statement'] })] })
  const span = provider.getTracer('test').startSpan('GET /users/jane@example.com', {
    attributes: {
      'url.path': '/users/jane%40example.com?token=abc123secret',
      'url.full': 'https://u:hunter2@api.example.com/users/jane%40example.com?token=abc123secret#x',
      'url.query': 'token=abc123secret',
      'url.scheme': 'https',
      'http.target': '/cards/4111%201111%201111%201111?x=1',
      'http.url': 'http://api.example.com/users/jane@example.com',
      'db.statement': "select * from users where email = 'kim@example.com'",
      'http.route': '/users/:id',
      count: 3
    }
  })
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'db postgres://u:hunter2@db failed' })
  const err = new Error('failed for jane.doe@example.com')
  err.stack = 'Error: failed\n    at a (x.js:1:1)\nuser=kim@example.com password=hunter2\n    at b (y.js:2:2)'
  span.recordException(err)
  span.addEvent('note', { 'exception.message': 'not an exception event: kept', 'user.email': 'kim@example.com', attempt: 2 })
  span.addEvent('lookup of jane@example.com')
  span.end()
  await provider.forceFlush()
  const [out] = memory.getFinishedSpans()
  t.same(out.attributes, {
    'url.path': '/users/j***@example.com',
    'url.full': 'https://***:***@api.example.com/users/j***@example.com',
    'url.query': '[REDACTED]',
    'url.scheme': 'https',
    'http.target': '/cards/**** **** **** 1111',
    'http.url': 'http://api.example.com/users/j***@example.com',
    'db.statement': "select * from users where email = 'k***@example.com'",
    'http.route': '/users/:id',
    count: 3
  })
  t.same(out.status, { code: SpanStatusCode.ERROR, message: 'db postgres://***:***@db failed' })
  t.equal(out.events[0].attributes?.['exception.message'], 'failed for j***@example.com')
  t.equal(out.events[0].attributes?.['exception.stacktrace'], 'Error: failed\n    at a (x.js:1:1)\nuser=k***@example.com password=[REDACTED]\n    at b (y.js:2:2)', 'every line of the stack')
  t.equal(out.name, 'GET /users/j***@example.com', 'the span name')
  t.same(out.events[1].attributes, { 'exception.message': 'not an exception event: kept', 'user.email': 'k***@example.com', attempt: 2 }, 'attributes of any event')
  t.equal(out.events[2].name, 'lookup of j***@example.com', 'event names')
  t.same(leakedSecrets([out]), [])
})

t.test('with @fastify/otel alone: spans leak without the processor and are masked with it', async t => {
  const run = async (processors: Array<MaskingSpanProcessor | SimpleSpanProcessor>, memory: InMemorySpanExporter): Promise<string[]> => {
    const provider = new NodeTracerProvider({ spanProcessors: processors })
    const otel = new FastifyOtelInstrumentation()
    otel.setTracerProvider(provider)
    const app = Fastify()
    await app.register(otel.plugin())
    leakyRoutes(app)
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const spans = await spansOfLeakyRequests(base, memory)
      t.ok(spans.some(s => s.instrumentationScope.name === '@fastify/otel'), '@fastify/otel made the spans')
      t.ok(spans.some(s => s.status.code === SpanStatusCode.ERROR && s.events.some(e => e.name === 'exception')), 'the failure was recorded with an exception event')
      return leakedSecrets(spans)
    } finally {
      await app.close()
      await provider.shutdown()
    }
  }
  const control = new InMemorySpanExporter()
  const leaked = await run([new SimpleSpanProcessor(control)], control)
  t.ok(leaked.includes('hunter2') && leaked.includes('jane@example.com') && leaked.includes('jane%40example.com'), `without the processor @fastify/otel leaks (${leaked.join(', ')})`)
  const memory = new InMemorySpanExporter()
  t.same(await run([new SimpleSpanProcessor(memory), new MaskingSpanProcessor()], memory), [], `with it nothing of ${LEAKY_PATHS.length} requests leaks`)
})

t.test('with @fastify/otel and @errcodes/fastify + createTracing: the shared span is masked too', async t => {
  const memory = new InMemorySpanExporter()
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new MaskingSpanProcessor()] })
  const otel = new FastifyOtelInstrumentation()
  otel.setTracerProvider(provider)
  const app = Fastify()
  await app.register(otel.plugin())
  await app.register(errorCodes, { catalog: errors, tracing: createTracing({ tracerProvider: provider }) })
  leakyRoutes(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close(); await provider.shutdown() })
  const spans = await spansOfLeakyRequests(base, memory)
  t.same(leakedSecrets(spans), [])
  const paths = spans.map(s => s.attributes['url.path']).filter(p => p !== undefined).sort()
  t.same(paths, ['/boom/1', '/cards/**** **** **** 1111', '/users/j***@example.com', '/users/j***@example.com'], 'url.path decoded, masked, without query')
})
