import t from 'tap'
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { recordError } from '../src/record-error.js'
import { errors } from './fixtures/errors.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

t.test('on an INTERNAL or CLIENT span any error is a failure, 4xx included', async t => {
  const { tracing, spans } = memoryTracing()
  const job = tracing.tracer.startSpan('job')
  recordError(job, errors.USER_NOT_FOUND.create({ userId: '42' }))
  job.end()
  const call = tracing.tracer.startSpan('GET users', { kind: SpanKind.CLIENT })
  recordError(call, new Error('socket hang up for bob@example.com'), { status: 502 })
  call.end()
  const [a, b] = await spans()
  t.equal(a.status.code, SpanStatusCode.ERROR)
  t.equal(a.status.message, 'User 42 not found')
  t.equal(a.attributes['error.type'], 'USER_NOT_FOUND')
  t.equal(a.attributes['errcodes.code'], 301)
  t.equal(a.events.length, 1)
  t.equal(b.attributes['error.type'], 'INTERNAL_ERROR', 'a foreign error is normalized')
  t.match(String(b.events[0].attributes!['exception.stacktrace']), /Caused by: Error: socket hang up for b\*\*\*@example\.com/)
})

t.test('on a SERVER span the server rules apply', async t => {
  const { tracing, spans } = memoryTracing()
  const a = tracing.tracer.startSpan('GET /a', { kind: SpanKind.SERVER })
  recordError(a, errors.USER_NOT_FOUND.create({ userId: '1' }))
  a.end()
  const b = tracing.tracer.startSpan('GET /b', { kind: SpanKind.SERVER })
  recordError(b, errors.USER_NOT_FOUND.create({ userId: '1' }), { recordClientErrors: true })
  recordError(b, errors.USER_NOT_FOUND.create({ userId: '1' }), { recordClientErrors: true })
  b.end()
  const [sa, sb] = await spans()
  t.equal(sa.status.code, SpanStatusCode.UNSET)
  t.equal(sa.events.length, 0)
  t.equal(sa.attributes['error.type'], 'USER_NOT_FOUND')
  t.equal(sb.status.code, SpanStatusCode.UNSET)
  t.equal(sb.events.length, 1, 'one exception event per span')
})

t.test('any thrown value, any span, never throws', async t => {
  const { tracing, spans } = memoryTracing()
  const span = tracing.tracer.startSpan('x')
  for (const v of [null, undefined, 'string', 42, { statusCode: 418 }, Object.create(null)]) recordError(span, v)
  recordError(undefined as never, new Error('x'))
  recordError(trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 }), new Error('x'))
  const hostile = new Proxy({}, { get () { throw new Error('trap') } })
  recordError(span, hostile)
  span.end()
  recordError(span, new Error('after end'))
  const [s] = await spans()
  t.equal(s.status.code, SpanStatusCode.ERROR)
  t.equal(s.events.length, 1)
})
