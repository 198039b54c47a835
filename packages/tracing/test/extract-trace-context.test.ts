import t from 'tap'
import { trace } from '@opentelemetry/api'
import { extractTraceContext } from '../src/extract-trace-context.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT = '00f067aa0ba902b7'
const STATE = 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'

// The W3C Trace Context rules (spec/20-http_request_header_format.md, spec/30-processing-model.md).
const table: Array<{ name: string, headers: Record<string, string | string[]>, continues: boolean }> = [
  { name: 'valid traceparent and tracestate', headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: STATE }, continues: true },
  { name: 'version ff is invalid', headers: { traceparent: `ff-${TRACE}-${PARENT}-01`, tracestate: STATE }, continues: false },
  { name: 'all-zero trace id', headers: { traceparent: `00-${'0'.repeat(32)}-${PARENT}-01`, tracestate: STATE }, continues: false },
  { name: 'all-zero parent id', headers: { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01`, tracestate: STATE }, continues: false },
  { name: 'uppercase hex', headers: { traceparent: `00-${TRACE.toUpperCase()}-${PARENT}-01`, tracestate: STATE }, continues: false },
  { name: 'version 00 with an extra field', headers: { traceparent: `00-${TRACE}-${PARENT}-01-extra`, tracestate: STATE }, continues: false },
  { name: 'a future version with an extra field', headers: { traceparent: `01-${TRACE}-${PARENT}-01-extra`, tracestate: STATE }, continues: true },
  { name: 'short trace id', headers: { traceparent: `00-${TRACE.slice(2)}-${PARENT}-01` }, continues: false },
  { name: 'non-hex characters', headers: { traceparent: `00-${TRACE.slice(0, 31)}g-${PARENT}-01` }, continues: false },
  { name: 'garbage', headers: { traceparent: 'hello world' }, continues: false },
  { name: 'missing traceparent', headers: {}, continues: false },
  { name: 'tracestate alone', headers: { tracestate: STATE }, continues: false }
]

t.test('incoming trace context follows W3C Trace Context', async t => {
  const { tracing, spans } = memoryTracing()
  for (const row of table) {
    const scope = tracing.startRequest({ method: 'GET', path: '/', route: '/', headers: row.headers })!
    tracing.finishRequest(scope, 200, undefined)
    const span = (await spans()).find(s => s.spanContext().spanId === scope.spanId)!
    if (row.continues) {
      t.equal(scope.traceId, TRACE, `${row.name}: trace continued`)
      t.equal(span.parentSpanContext?.spanId, PARENT, `${row.name}: child of the caller`)
      t.equal(span.parentSpanContext?.isRemote, true, `${row.name}: remote parent`)
      t.equal(span.spanContext().traceState?.serialize(), STATE, `${row.name}: tracestate kept`)
    } else {
      t.not(scope.traceId, TRACE, `${row.name}: a new trace`)
      t.equal(span.parentSpanContext, undefined, `${row.name}: a root span`)
      t.equal(span.spanContext().traceState, undefined, `${row.name}: tracestate dropped with its traceparent`)
    }
  }
})

t.test('extractTraceContext reads Node headers and fetch Headers', async t => {
  const node = trace.getSpanContext(extractTraceContext({ traceparent: `00-${TRACE}-${PARENT}-01` }))
  t.equal(node?.traceId, TRACE)
  t.equal(node?.spanId, PARENT)
  const fetchHeaders = new Headers({ TraceParent: `00-${TRACE}-${PARENT}-00` })
  const viaFetch = trace.getSpanContext(extractTraceContext(fetchHeaders))
  t.equal(viaFetch?.traceId, TRACE, 'Headers lookups ignore case')
  t.equal(viaFetch?.traceFlags, 0, 'not sampled flag kept')
  t.equal(trace.getSpanContext(extractTraceContext({ traceparent: `ff-${TRACE}-${PARENT}-01` })), undefined, 'invalid: no span context')
  t.equal(trace.getSpanContext(extractTraceContext({ traceparent: 42 } as never)), undefined, 'non-string header ignored')
})
