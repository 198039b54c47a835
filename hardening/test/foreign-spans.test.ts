import t from 'tap'
import Fastify from 'fastify'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import { SpanStatusCode } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { builtinErrors, overrideCatalog } from '@errcodes/core'
import errorCodes from '@errcodes/fastify'
import { MaskingSpanProcessor, createTracing } from '@errcodes/tracing'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'

// Finding 2 of the security review: spans made by @fastify/otel kept the raw error message as status,
// the query string in url.path, and a raw e-mail in url.path. The tracing README tells users to add
// MaskingSpanProcessor next to their exporter; this is that set-up.

const SECRETS = ['hunter2', 'jane@example.com', 'jane%40example.com', 'abc123secret', 'kim@example.com', 'token=']

async function spansOf (memory: InMemorySpanExporter, base: string, paths: string[]): Promise<ReadableSpan[]> {
  for (const path of paths) await (await fetch(base + path)).arrayBuffer()
  // A request's root span ends after its children: poll until every request's root ended.
  for (let i = 0; i < 200; i++) {
    const spans = memory.getFinishedSpans()
    if (spans.filter(s => s.parentSpanContext === undefined).length >= paths.length) return spans
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  throw new Error('spans did not end')
}

t.test('@fastify/otel + @errcodes/fastify + MaskingSpanProcessor: no span keeps a secret', async t => {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new MaskingSpanProcessor()] })
  const otel = new FastifyOtelInstrumentation()
  otel.setTracerProvider(provider)
  const tracing = createTracing({ tracerProvider: provider })
  const app = Fastify()
  await app.register(otel.plugin())
  await app.register(errorCodes, { catalog: overrideCatalog(builtinErrors, demoErrors), tracing })
  app.get('/users/:id', async () => ({ ok: true }))
  app.get('/db', async () => { throw new Error('db postgres://u:hunter2@db failed') })
  app.get('/nested', async () => { throw new Error('line1\n    at fake (x.js:1:1)\nuser=kim@example.com password=hunter2') })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close(); await provider.shutdown() })

  const spans = await spansOf(memory, base, ['/users/jane@example.com', '/users/jane%40example.com?token=abc123secret', '/db?token=abc123secret', '/nested'])
  t.ok(spans.some(s => s.instrumentationScope.name === '@fastify/otel' && s.status.code === SpanStatusCode.ERROR && s.status.message !== undefined), '@fastify/otel set an ERROR status with a message')
  const exported = JSON.stringify(spans.map(s => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events })))
  for (const secret of SECRETS) t.notOk(exported.includes(secret), `"${secret}" in no span`)
  t.ok(spans.some(s => s.status.message === 'db postgres://***:***@db failed'), 'the status keeps its masked text')
})
