import t from 'tap'
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api'
import { extractTraceContext } from '../src/extract-trace-context.js'
import { injectTraceContext } from '../src/inject-trace-context.js'
import { currentTraceId } from '../src/current-trace-id.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

t.test('injectTraceContext writes the active span as traceparent', async t => {
  const { tracing } = memoryTracing()
  const span = tracing.tracer.startSpan('client')
  const ids = span.spanContext()
  const headers = context.with(trace.setSpan(context.active(), span), () => {
    t.equal(currentTraceId(), ids.traceId)
    return injectTraceContext({ accept: 'application/json' })
  })
  t.same(headers, { accept: 'application/json', traceparent: `00-${ids.traceId}-${ids.spanId}-01` })
  const back = trace.getSpanContext(extractTraceContext(headers))
  t.equal(back?.traceId, ids.traceId, 'round trip')
  span.end()
})

t.test('injectTraceContext writes into fetch Headers and takes an explicit context', async t => {
  const { tracing } = memoryTracing()
  const span = tracing.tracer.startSpan('client')
  const ids = span.spanContext()
  const headers = injectTraceContext(new Headers(), trace.setSpan(ROOT_CONTEXT, span))
  t.equal(headers.get('traceparent'), `00-${ids.traceId}-${ids.spanId}-01`)
  span.end()
})

t.test('without a span nothing is written and currentTraceId is undefined', async t => {
  t.same(injectTraceContext({}), {})
  t.equal(currentTraceId(), undefined)
  t.same(injectTraceContext(Object.freeze({}) as Record<string, string>, trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 }))), {}, 'a frozen target does not throw')
})
