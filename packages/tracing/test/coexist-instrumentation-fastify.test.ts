import t from 'tap'
import { createRequire } from 'node:module'
import { SpanStatusCode } from '@opentelemetry/api'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import type { FastifyInstance } from 'fastify'
import { createTracing } from '../src/create-tracing.js'
import { coexistenceApp, serverSpanOf } from './fixtures/coexistence-app.js'

// The usual NodeSDK-style setup: a global provider, then instrumentations patching http and fastify
// (through require, which is what they hook; this file runs in its own process).
const memory = new InMemorySpanExporter()
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] })
provider.register()
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new FastifyInstrumentation()] })
const Fastify = createRequire(import.meta.url)('fastify') as (opts?: object) => FastifyInstance

t.test('with instrumentation-http and instrumentation-fastify: one SERVER span, enriched', async t => {
  const tracing = createTracing({ tracerProvider: provider })
  const app = Fastify()
  const url = await coexistenceApp(app, tracing)
  t.teardown(() => app.close())

  const fail = await serverSpanOf(t, memory, `${url}/fail/1?q=secret`)
  t.equal(fail.status, 503)
  t.equal(fail.span.instrumentationScope.name, '@opentelemetry/instrumentation-http', 'the http instrumentation\'s span was reused')
  t.equal(fail.span.name, 'GET /fail/:id')
  t.equal(fail.span.attributes['http.route'], '/fail/:id')
  t.equal(fail.span.attributes['errcodes.code'], 501)
  t.equal(fail.span.attributes['errcodes.domain'], 'SERVER')
  t.equal(fail.span.attributes['error.type'], 'DB_DOWN')
  t.equal(fail.span.status.code, SpanStatusCode.ERROR)
  t.equal(fail.span.events.filter(e => e.name === 'exception').length, 1, 'one exception event on the server span')
  t.equal(fail.span.events[0].attributes?.['exception.message'], 'Database db down for a***@example.com')
  t.equal(fail.body.trace_id, fail.span.spanContext().traceId)
  t.notOk(fail.trace.some(s => s.instrumentationScope.name === '@errcodes/tracing'), 'errcodes started no span of its own')
  t.ok(fail.trace.some(s => s.instrumentationScope.name === '@opentelemetry/instrumentation-fastify'), 'instrumentation-fastify is really active')

  const missing = await serverSpanOf(t, memory, `${url}/missing/2`)
  t.equal(missing.status, 404)
  t.equal(missing.span.attributes['errcodes.code'], 301)
  t.equal(missing.span.status.code, SpanStatusCode.UNSET, '4xx leaves the server span unset')
  t.equal(missing.span.events.length, 0)

  const ok = await serverSpanOf(t, memory, `${url}/ok`)
  t.equal(ok.status, 200)
  const inside = ok.trace.find(s => s.name === 'inside handler')
  t.ok(inside, 'a span started in the handler joins the request\'s trace')
  t.notOk('errcodes.code' in ok.span.attributes)
})
