import t from 'tap'
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { SamplingDecision } from '@opentelemetry/sdk-trace-base'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { normalizeError } from '@errcodes/core'
import { createTracing } from '../src/create-tracing.js'
import { currentTraceId } from '../src/current-trace-id.js'
import { errors } from './fixtures/errors.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

const request = { method: 'GET', path: '/users/42', route: '/users/:id', headers: {} }

t.test('a new request span carries the HTTP semantic-convention attributes', async t => {
  const { tracing, spans } = memoryTracing({ serviceVersion: '1.2.3', environment: 'staging' })
  const scope = tracing.startRequest({
    method: 'GET',
    path: '/users/jane.doe@example.com',
    route: '/users/:email',
    headers: { 'user-agent': 'curl/8' },
    scheme: 'https',
    host: 'api.example.com:8443',
    userAgent: 'curl/8',
    clientAddress: '10.0.0.7'
  })
  t.ok(scope)
  t.match(scope!.traceId, /^[0-9a-f]{32}$/)
  t.match(scope!.spanId, /^[0-9a-f]{16}$/)
  t.same(JSON.parse(JSON.stringify(scope)), { traceId: scope!.traceId, spanId: scope!.spanId, sampled: true }, 'a logged scope shows ids and the sampled flag only')
  tracing.finishRequest(scope!, 200, '/users/:email')
  const [span] = await spans()
  t.equal(span.name, 'GET /users/:email')
  t.equal(span.kind, SpanKind.SERVER)
  t.equal(span.spanContext().traceId, scope!.traceId)
  t.equal(span.spanContext().spanId, scope!.spanId)
  t.same(span.attributes, {
    'http.request.method': 'GET',
    'url.path': '/users/j***@example.com',
    'http.route': '/users/:email',
    'url.scheme': 'https',
    'server.address': 'api.example.com',
    'server.port': 8443,
    'user_agent.original': 'curl/8',
    'client.address': '10.0.0.7',
    'http.response.status_code': 200
  })
  t.equal(span.status.code, SpanStatusCode.UNSET)
  t.equal(span.events.length, 0)
  t.equal(span.resource.attributes['service.name'], 'test-svc')
  t.equal(span.resource.attributes['service.version'], '1.2.3')
  t.equal(span.resource.attributes['deployment.environment.name'], 'staging')
  t.equal(span.resource.attributes['deployment.environment'], 'staging')
  t.equal(span.instrumentationScope.name, '@errcodes/tracing')
})

t.test('the query string never reaches url.path, IPv6 hosts parse, unknown methods collapse', async t => {
  const { tracing, spans } = memoryTracing()
  const a = tracing.startRequest({ method: 'BREW', path: '/pot?token=secret&x=1', headers: {}, host: '[::1]:3000' })
  tracing.finishRequest(a!, 404, undefined)
  const b = tracing.startRequest({ method: 'GET', path: '/nowhere', headers: {} })
  tracing.finishRequest(b!, 404, undefined)
  const [sa, sb] = await spans()
  t.equal(sa.name, 'HTTP', 'unknown method: span name HTTP')
  t.equal(sa.attributes['http.request.method'], '_OTHER')
  t.equal(sa.attributes['http.request.method_original'], 'BREW')
  t.equal(sa.attributes['url.path'], '/pot')
  t.equal(sa.attributes['server.address'], '::1')
  t.equal(sa.attributes['server.port'], 3000)
  t.equal(sb.name, 'GET', 'no route: the method alone')
  t.notOk('http.route' in sb.attributes)
})

t.test('a route known only at the end renames the span', async t => {
  const { tracing, spans } = memoryTracing()
  const scope = tracing.startRequest({ method: 'POST', path: '/orders/9', headers: {} })!
  tracing.finishRequest(scope, 201, '/orders/:id')
  const [span] = await spans()
  t.equal(span.name, 'POST /orders/:id')
  t.equal(span.attributes['http.route'], '/orders/:id')
})

t.test('a 5xx sets ERROR with a masked description and exactly one masked exception event', async t => {
  const { tracing, spans } = memoryTracing()
  const scope = tracing.startRequest(request)!
  const cause = new Error('connect to db failed for jane.doe@example.com with token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc123def')
  const error = errors.DB_DOWN.create({ host: 'db1', email: 'jane.doe@example.com' }, { cause })
  tracing.recordError(scope, error, 503)
  tracing.recordError(scope, error, 503)
  tracing.finishRequest(scope, 503, '/users/:id')
  const [span] = await spans()
  t.equal(span.status.code, SpanStatusCode.ERROR)
  t.equal(span.status.message, 'Database db1 down for j***@example.com')
  t.equal(span.attributes['error.type'], 'DB_DOWN')
  t.equal(span.attributes['errcodes.code'], 501)
  t.equal(span.attributes['errcodes.name'], 'DB_DOWN')
  t.equal(span.attributes['errcodes.domain'], 'SERVER')
  t.equal(span.attributes['http.response.status_code'], 503)
  const exceptions = span.events.filter(e => e.name === 'exception')
  t.equal(exceptions.length, 1, 'one exception event, however often it is recorded')
  const attrs = exceptions[0].attributes!
  t.equal(attrs['exception.type'], 'DB_DOWN')
  t.equal(attrs['exception.message'], 'Database db1 down for j***@example.com')
  const stack = String(attrs['exception.stacktrace'])
  t.match(stack, /Caused by: Error: connect to db failed/)
  t.notMatch(stack, /jane\.doe@/, 'email masked in the stack')
  t.notMatch(stack, /eyJhbGciOiJIUzI1NiJ9\.eyJ/, 'token masked in the stack')
  t.notMatch(stack, process.cwd(), 'absolute working directory removed from frames')
  t.notMatch(JSON.stringify(span.attributes), /jane/, 'no attribute carries the address')
})

t.test('a 4xx leaves the status unset and records no exception, but is searchable by code', async t => {
  const { tracing, spans } = memoryTracing()
  const scope = tracing.startRequest(request)!
  const error = errors.USER_NOT_FOUND.create({ userId: '42' })
  tracing.recordError(scope, error, 404)
  tracing.finishRequest(scope, 404, '/users/:id')
  const [span] = await spans()
  t.equal(span.status.code, SpanStatusCode.UNSET)
  t.equal(span.events.length, 0)
  t.equal(span.attributes['errcodes.code'], 301)
  t.equal(span.attributes['errcodes.name'], 'USER_NOT_FOUND')
  t.equal(span.attributes['errcodes.domain'], 'RESOURCE')
  t.equal(span.attributes['error.type'], 'USER_NOT_FOUND', 'the error is named on 4xx too; only the status and event are for 5xx')
})

t.test('recordClientErrors records 4xx like 5xx, except the status', async t => {
  const { tracing, spans } = memoryTracing({ recordClientErrors: true })
  const scope = tracing.startRequest(request)!
  const error = errors.USER_NOT_FOUND.create({ userId: '42' })
  tracing.recordError(scope, error, 404)
  tracing.finishRequest(scope, 404, undefined)
  const [span] = await spans()
  t.equal(span.status.code, SpanStatusCode.UNSET, 'SERVER spans never get ERROR for 4xx')
  t.equal(span.attributes['error.type'], 'USER_NOT_FOUND')
  t.equal(span.events.filter(e => e.name === 'exception').length, 1)
})

t.test('a 5xx without an error uses the status code as error.type', async t => {
  const { tracing, spans } = memoryTracing()
  const scope = tracing.startRequest(request)!
  tracing.finishRequest(scope, 502, undefined)
  const [span] = await spans()
  t.equal(span.status.code, SpanStatusCode.ERROR)
  t.equal(span.attributes['error.type'], '502')
  t.equal(span.events.length, 0)
})

t.test('foreign errors are recorded through the core normalization', async t => {
  const { tracing, spans } = memoryTracing()
  const scope = tracing.startRequest(request)!
  const error = normalizeError(new TypeError('boom at card 4111 1111 1111 1111'))
  tracing.recordError(scope, error, 500)
  tracing.finishRequest(scope, 500, undefined)
  const [span] = await spans()
  t.equal(span.attributes['error.type'], 'INTERNAL_ERROR')
  const stack = String(span.events[0].attributes!['exception.stacktrace'])
  t.match(stack, /Caused by: TypeError: boom at card \*\*\*\* \*\*\*\* \*\*\*\* 1111/)
})

t.test('withScope makes the span active for the handler, across awaits', async t => {
  const { tracing, spans } = memoryTracing()
  t.equal(tracing.contextPropagation, true)
  const scope = tracing.startRequest(request)!
  let handler: Promise<void> | undefined
  tracing.withScope(scope, () => {
    t.equal(trace.getActiveSpan()?.spanContext().spanId, scope.spanId)
    handler = (async () => {
      await new Promise(resolve => setImmediate(resolve))
      t.equal(currentTraceId(), scope.traceId, 'still active after an await')
      tracing.tracer.startSpan('db query').end()
    })()
  })
  await handler
  t.equal(currentTraceId(), undefined, 'nothing active outside')
  tracing.finishRequest(scope, 200, undefined)
  const all = await spans()
  const child = all.find(s => s.name === 'db query')!
  t.equal(child.parentSpanContext?.spanId, scope.spanId)
  t.equal(child.spanContext().traceId, scope.traceId)
})

t.test('the built provider is never registered globally', async t => {
  const { tracing } = memoryTracing()
  t.notOk(trace.getTracer('someone-else').startSpan('x').isRecording(), 'the global provider is still the no-op one')
  t.not(tracing.provider, trace.getTracerProvider())
})

t.test('a given provider is used as is and survives shutdown()', async t => {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] })
  const tracing = createTracing({ tracerProvider: provider })
  t.equal(tracing.provider, provider)
  const scope = tracing.startRequest(request)!
  tracing.finishRequest(scope, 200, undefined)
  await tracing.shutdown()
  provider.getTracer('after').startSpan('still works').end()
  await tracing.forceFlush()
  t.same(memory.getFinishedSpans().map(s => s.name), ['GET /users/:id', 'still works'])
  await provider.shutdown()
})

t.test('sampleRate 0 keeps trace ids but records nothing; a sampled caller still wins', async t => {
  const { tracing, spans } = memoryTracing({ sampleRate: 0 })
  const scope = tracing.startRequest(request)!
  t.match(scope.traceId, /^[0-9a-f]{32}$/, 'a trace id for X-Trace-ID even when not sampled')
  tracing.recordError(scope, errors.DB_DOWN.create({ host: 'h', email: 'e' }), 503)
  tracing.finishRequest(scope, 503, undefined)
  const sampled = tracing.startRequest({ ...request, headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } })!
  tracing.finishRequest(sampled, 200, undefined)
  const unsampled = tracing.startRequest({ ...request, headers: { traceparent: '00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' } })!
  t.equal(unsampled.traceId, '5bf92f3577b34da6a3ce929d0e0e4736', 'the caller\'s trace continues unsampled')
  tracing.finishRequest(unsampled, 200, undefined)
  const all = await spans()
  t.equal(all.length, 1)
  t.equal(all[0].spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736')
})

t.test('a given provider\'s sampler sees the request attributes at span start', async t => {
  const seen: Array<Record<string, unknown>> = []
  const sampler = {
    shouldSample (_ctx: unknown, _traceId: string, _name: string, _kind: SpanKind, attributes: Record<string, unknown>) {
      seen.push({ ...attributes })
      return { decision: attributes['url.path'] === '/health' ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED }
    },
    toString: () => 'DropHealth'
  }
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(memory)] })
  const tracing = createTracing({ tracerProvider: provider })
  const health = tracing.startRequest({ ...request, path: '/health', route: '/health' })!
  tracing.finishRequest(health, 200, undefined)
  const user = tracing.startRequest({ ...request, scheme: 'http' })!
  tracing.finishRequest(user, 200, undefined)
  t.match(seen, [{ 'http.request.method': 'GET', 'url.path': '/health', 'http.route': '/health' }, { 'url.path': '/users/42', 'url.scheme': 'http' }])
  t.same(memory.getFinishedSpans().map(s => s.attributes['url.path']), ['/users/42'])
  await provider.shutdown()
})

t.test('a fractional sampleRate keeps about that share of new traces; 1 keeps all', async t => {
  const share = async (sampleRate: number): Promise<number> => {
    const { tracing, spans } = memoryTracing({ sampleRate, batch: { maxQueueSize: 4096, maxExportBatchSize: 512 } })
    for (let i = 0; i < 2000; i++) tracing.finishRequest(tracing.startRequest(request)!, 200, undefined)
    const kept = (await spans()).length / 2000
    await tracing.shutdown()
    return kept
  }
  t.equal(await share(1), 1)
  const quarter = await share(0.25)
  t.ok(quarter > 0.2 && quarter < 0.3, `kept ${quarter}`)
})

t.test('the port methods never throw on bad input', async t => {
  const { tracing, spans } = memoryTracing()
  const weird = tracing.startRequest({ method: 'GET', path: '/x', headers: { traceparent: ['a', 'b'], tracestate: 42 as unknown as string } })
  t.ok(weird, 'garbage trace headers start a new trace')
  tracing.recordError(undefined as never, errors.DB_DOWN.create({ host: 'h', email: 'e' }), 503)
  tracing.recordError({ traceId: 'x', spanId: 'y' }, errors.DB_DOWN.create({ host: 'h', email: 'e' }), 503)
  tracing.finishRequest({ traceId: 'x', spanId: 'y' }, 200, undefined)
  tracing.finishRequest(undefined as never, 200, undefined)
  let ran = 0
  tracing.withScope(undefined as never, () => { ran++ })
  tracing.withScope({ traceId: 'x', spanId: 'y' }, () => { ran++ })
  t.equal(ran, 2, 'withScope always runs the callback')
  tracing.finishRequest(weird!, 200, undefined)
  tracing.finishRequest(weird!, 200, undefined)
  t.equal((await spans()).length, 1, 'a span ends once')
  t.equal(tracing.startRequest(null as never), undefined, 'a broken request object gives no scope')
})

t.test('shutdown() flushes the queue once and shuts the exporter down once', async t => {
  const exported: string[] = []
  let shutdowns = 0
  const exporter = {
    export (spans: Array<{ name: string }>, done: (r: { code: number }) => void) { exported.push(...spans.map(s => s.name)); done({ code: 0 }) },
    shutdown: async () => { shutdowns++ }
  }
  const tracing = createTracing({ serviceName: 's', exporter: exporter as never, batch: { scheduledDelayMillis: 60_000 } })
  tracing.finishRequest(tracing.startRequest(request)!, 200, undefined)
  t.same(exported, [], 'nothing exported before the delay')
  await tracing.shutdown()
  await tracing.shutdown()
  t.same(exported, ['GET /users/:id'], 'the queued span was flushed')
  t.equal(shutdowns, 1)
})

t.test('enabled: false makes no span, scope or trace id, even for a sampled caller', async t => {
  const memory = new InMemorySpanExporter()
  const off = createTracing({ enabled: false, serviceName: 'users', exporter: memory })
  const sampled = { ...request, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }
  t.equal(off.startRequest(sampled), undefined, 'no scope: the plugin adds no trace id or X-Trace-ID')
  off.recordError(undefined as never, errors.USER_NOT_FOUND.create({ userId: '1' }), 404)
  off.finishRequest(undefined as never, 500, undefined)
  let ran = false
  off.withScope(undefined as never, () => { ran = true })
  t.ok(ran, 'withScope still runs the handler')
  t.notOk(off.tracer.startSpan('x').isRecording(), 'the tracer is a no-op one')
  t.not(off.provider, trace.getTracerProvider(), 'not the global provider')
  t.equal(off.contextPropagation, false)
  await off.forceFlush()
  await off.shutdown()
  t.same(memory.getFinishedSpans(), [], 'nothing reached the exporter')
  // The same options switched on export the span: the assertion above can fail.
  const on = createTracing({ serviceName: 'users', exporter: memory })
  on.finishRequest(on.startRequest(sampled)!, 200, undefined)
  await on.forceFlush()
  t.equal(memory.getFinishedSpans().length, 1)
  await on.shutdown()
})
