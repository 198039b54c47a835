import t from 'tap'
import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api'
import { defineErrors } from '@errcodes/core'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { MaskingSpanProcessor, currentTraceId, ensureContextManager, recordError } from '../src/index.js'

function provider (): { tracer: ReturnType<BasicTracerProvider['getTracer']>, memory: InMemorySpanExporter } {
  const memory = new InMemorySpanExporter()
  const p = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new MaskingSpanProcessor({ attributes: ['db.statement'] })] })
  return { tracer: p.getTracer('edges'), memory }
}

t.test('masking: a URL without a scheme, an empty query, and text past the 32 KiB cut', async t => {
  const { tracer, memory } = provider()
  const long = 'select 1 -- ' + 'x'.repeat(40_000) + ' kim@example.com'
  tracer.startSpan('GET', { attributes: { 'url.full': 'api.example.com/users/jane%40example.com?token=abc', 'url.query': '', 'db.statement': long } }).end()
  const [span] = memory.getFinishedSpans()
  t.equal(span.attributes['url.full'], 'api.example.com/users/j***@example.com', 'host kept, the path decoded and masked, the query dropped')
  t.equal(span.attributes['url.query'], '', 'an empty query stays empty')
  const statement = span.attributes['db.statement'] as string
  t.equal(statement.length, 32768 + 1, 'cut at 32 KiB, with an ellipsis')
  t.ok(statement.endsWith('…'))
  t.notMatch(statement, /kim@example\.com/, 'what lies past the cut is never exported')
})

t.test('masking a span that cannot be changed still ends it', async t => {
  const { tracer, memory } = provider()
  const span = tracer.startSpan('GET /users/jane@example.com', { attributes: { 'url.path': '/users/jane@example.com' } })
  // Another processor (or buggy code) froze the attributes: masking them throws, the span ends anyway.
  Object.freeze((span as unknown as { attributes: object }).attributes)
  span.end()
  t.equal(memory.getFinishedSpans().length, 1)
})

t.test('recordError: a long message is cut, and a span that throws never breaks the caller', async t => {
  const { tracer, memory } = provider()
  const span = tracer.startSpan('job')
  // A catalog message far longer than a status description should be (params are capped by core).
  const verbose = defineErrors({ VERBOSE: { code: 901, domain: 'CUSTOM', status: 500, message: 'The import failed because ' + 'of a reason '.repeat(100) } })
  recordError(span, verbose.VERBOSE.create())
  span.end()
  const [finished] = memory.getFinishedSpans()
  t.equal(finished.status.code, SpanStatusCode.ERROR)
  t.equal(finished.status.message?.length, 1024, 'the status description is cut at 1024 characters')
  t.equal(finished.events[0].attributes?.['exception.message'], finished.status.message, 'the exception message too')
  const broken = new Proxy(tracer.startSpan('broken'), {
    get (target, key, receiver) {
      if (key === 'setAttributes') return () => { throw new Error('exporter bug') }
      const value = Reflect.get(target, key, receiver) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    }
  }) as Span
  t.doesNotThrow(() => recordError(broken, new Error('x')))
})

t.test('currentTraceId: an active span with an all-zero trace id is no trace', async t => {
  ensureContextManager()
  const valid = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 })
  t.equal(context.with(trace.setSpan(context.active(), valid), () => currentTraceId()), 'a'.repeat(32), 'the context manager makes the span current')
  const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 })
  t.equal(context.with(trace.setSpan(context.active(), invalid), () => currentTraceId()), undefined)
})
