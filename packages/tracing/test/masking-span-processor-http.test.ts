import t from 'tap'
import { createRequire } from 'node:module'
import { SpanStatusCode } from '@opentelemetry/api'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import type { FastifyInstance } from 'fastify'
import { MaskingSpanProcessor } from '../src/index.js'
import { leakedSecrets, leakyRoutes, spansOfLeakyRequests } from './fixtures/leaky-app.js'

// The NodeSDK-style setup: a global provider with the masking processor next to the exporting one,
// then the http and fastify instrumentations (they hook require; this file runs in its own process).
const memory = new InMemorySpanExporter()
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new MaskingSpanProcessor()] })
provider.register()
const http = new HttpInstrumentation()
const fastify = new FastifyInstrumentation()
registerInstrumentations({ instrumentations: [http, fastify] })
const Fastify = createRequire(import.meta.url)('fastify') as (opts?: object) => FastifyInstance

t.test('with instrumentation-http and instrumentation-fastify: every span is masked', async t => {
  const app = Fastify()
  leakyRoutes(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const spans = await spansOfLeakyRequests(base, memory)
  t.ok(spans.some(s => s.instrumentationScope.name === '@opentelemetry/instrumentation-http'), 'instrumentation-http made spans')
  t.ok(spans.some(s => s.instrumentationScope.name === '@opentelemetry/instrumentation-fastify'), 'instrumentation-fastify made spans')
  t.ok(spans.some(s => s.status.code === SpanStatusCode.ERROR && typeof s.status.message === 'string' && s.status.message.includes('***:***@db')), 'a masked status message')
  t.same(leakedSecrets(spans), [], 'no secret in any span')
  const targets = spans.map(s => s.attributes['http.target'] ?? s.attributes['url.path']).filter(v => v !== undefined).sort()
  t.same(targets, ['/boom/1', '/cards/**** **** **** 1111', '/users/j***@example.com', '/users/j***@example.com'], 'paths decoded, masked, without query')
})

t.test('control: the same instrumentations leak without the processor', async t => {
  const control = new InMemorySpanExporter()
  const bare = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(control)] })
  http.setTracerProvider(bare)
  fastify.setTracerProvider(bare)
  t.teardown(() => bare.shutdown())
  const app = Fastify()
  leakyRoutes(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const leaked = leakedSecrets(await spansOfLeakyRequests(base, control))
  t.ok(leaked.includes('hunter2') && leaked.includes('jane@example.com'), `leaked without it: ${leaked.join(', ')}`)
})
