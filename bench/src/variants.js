import { createWriteStream } from 'node:fs'
import { errors, errorsWithStacks, messages } from './bench-catalog.js'

/**
 * Each server variant: a name (used on the command line and in results), a one-line description, and a
 * build function run inside the variant's own child process. A build that cannot find an optional
 * package throws an Unavailable, which the harness reports instead of failing.
 */
export const variants = [
  { name: 'bare', description: 'Fastify 5 + @fastify/error + default error handler', build: buildBare },
  { name: 'bare-ticks-kept', description: 'bare + one process.nextTick() object kept alive, as @errcodes/fastify does (Node 20–24 keep nextTick on its fast path)', build: buildBareTicksKept },
  { name: 'fhee', description: 'fastify-http-errors-enhanced', build: buildFhee },
  { name: 'sensible', description: '@fastify/sensible (httpErrors.notFound)', build: buildSensible },
  { name: 'errcodes-core', description: '@errcodes/fastify, core only', build: (ctx) => buildErrcodes(ctx, {}) },
  { name: 'errcodes-i18n', description: '@errcodes/fastify + i18n (Korean client)', build: (ctx) => buildErrcodes(ctx, { i18n: true }) },
  { name: 'errcodes-metrics', description: '@errcodes/fastify + metrics', build: (ctx) => buildErrcodes(ctx, { metrics: true }) },
  { name: 'errcodes-tracing', description: '@errcodes/fastify + tracing (batch processor, discarding exporter)', build: (ctx) => buildErrcodes(ctx, { tracing: true }) },
  { name: 'errcodes-tracing-sampled', description: '@errcodes/fastify + tracing, sampleRate 0.1', build: (ctx) => buildErrcodes(ctx, { tracing: { sampleRate: 0.1 } }) },
  { name: 'errcodes-tracing-no-cm', description: '@errcodes/fastify + tracing, contextManager: false (handlers see no active span)', build: (ctx) => buildErrcodes(ctx, { tracing: { contextManager: false } }) },
  { name: 'errcodes-null-tracer', description: '@errcodes/fastify + a tracer port that does nothing (one constant scope): the plugin\'s side of tracing', build: (ctx) => buildErrcodes(ctx, { nullTracer: true }) },
  { name: 'errcodes-metrics-tracing', description: '@errcodes/fastify + metrics (its routes mounted) + tracing', build: (ctx) => buildErrcodes(ctx, { metrics: true, tracing: true }) },
  { name: 'errcodes-metrics-tracing-no-routes', description: 'errcodes-metrics-tracing with routes: false (the metrics routes not mounted)', build: (ctx) => buildErrcodes(ctx, { metrics: true, tracing: true, routes: false }) },
  { name: 'errcodes-metrics-tracing-no-cm', description: 'errcodes-metrics-tracing with contextManager: false (no AsyncLocalStorage)', build: (ctx) => buildErrcodes(ctx, { metrics: true, tracing: { contextManager: false } }) },
  { name: 'errcodes-all', description: '@errcodes/fastify: json format, i18n, metrics (no tracing)', build: (ctx) => buildErrcodes(ctx, { i18n: true, metrics: true }) },
  { name: 'errcodes-all-stacks', description: 'errcodes-all with a stack trace on every error (stackTraces: \'all\', the development policy)', build: (ctx) => buildErrcodes(ctx, { i18n: true, metrics: true, stacks: true }) },
  { name: 'errcodes-all-tracing', description: '@errcodes/fastify: json, i18n, metrics, tracing', build: (ctx) => buildErrcodes(ctx, { i18n: true, metrics: true, tracing: true }) },
  { name: 'errcodes-all-tracing-no-routes', description: 'errcodes-all-tracing with routes: false (the metrics routes not mounted)', build: (ctx) => buildErrcodes(ctx, { i18n: true, metrics: true, tracing: true, routes: false }) },
  { name: 'fastify-otel', description: 'bare + @fastify/otel (batch processor, discarding exporter)', build: buildFastifyOtel },
  { name: 'otel-span-floor', description: 'bare + one OpenTelemetry SDK server span per request and nothing else', build: (ctx) => buildSpanFloor(ctx, {}) },
  { name: 'otel-span-floor-cm', description: 'otel-span-floor + the span made active for the handler (AsyncLocalStorage context manager)', build: (ctx) => buildSpanFloor(ctx, { activate: true }) },
  { name: 'otel-semconv-floor', description: 'otel-span-floor-cm + what our server span carries: W3C traceparent in, the semantic-convention attributes, X-Trace-ID out (hand-written, no error handling)', build: (ctx) => buildSpanFloor(ctx, { activate: true, semconv: true }) }
]

/** Thrown by a build when an optional package is missing or incomplete. */
export class Unavailable extends Error {}

/** A SpanExporter that drops every batch: tracing costs are measured, not the network. */
export const discardExporter = {
  export (spans, done) { done({ code: 0 }) },
  shutdown () { return Promise.resolve() },
  forceFlush () { return Promise.resolve() }
}

async function load (specifier, exportName) {
  let mod
  try {
    mod = await import(specifier)
  } catch (err) {
    throw new Unavailable(`${specifier} cannot be loaded (${err.code ?? err.message})`)
  }
  if (exportName !== undefined && typeof mod[exportName] !== 'function') throw new Unavailable(`${specifier} has no ${exportName}() yet`)
  return mod
}

async function fastify (ctx) {
  const { default: Fastify } = await load('fastify')
  // /dev/null through pino measures the log calls without measuring a terminal.
  const logger = ctx.logger ? { level: 'info', stream: createWriteStream('/dev/null') } : false
  return Fastify({ logger })
}

function happyRoute (app) {
  app.get('/ok/:id', async (request) => ({ id: request.params.id, ok: true }))
}

/** Bare Fastify's error route: `@fastify/error` and its default handler, as every `bare`-based variant answers. */
async function bareErrorRoute (app) {
  const { default: createError } = await load('@fastify/error')
  const UserNotFound = createError('USER_NOT_FOUND', 'User %s not found', 404)
  app.get('/users/:id', async (request) => { throw new UserNotFound(request.params.id) })
}

async function buildBare (ctx) {
  const app = await fastify(ctx)
  await bareErrorRoute(app)
  happyRoute(app)
  return { app }
}

async function buildBareTicksKept (ctx) {
  // The plugin's own function, from the built package: not part of its public API.
  const { keepTickMapsAlive } = await import('../../packages/fastify/dist/keep-tick-maps-alive.js')
  keepTickMapsAlive()
  return buildBare(ctx)
}

async function buildFhee (ctx) {
  const { default: plugin } = await load('fastify-http-errors-enhanced')
  const { NotFoundError } = await load('http-errors-enhanced')
  const app = await fastify(ctx)
  await app.register(plugin)
  app.get('/users/:id', async (request) => { throw new NotFoundError(`User ${request.params.id} not found`) })
  happyRoute(app)
  return { app }
}

async function buildSensible (ctx) {
  const { default: sensible } = await load('@fastify/sensible')
  const app = await fastify(ctx)
  await app.register(sensible)
  app.get('/users/:id', async (request) => { throw app.httpErrors.notFound(`User ${request.params.id} not found`) })
  happyRoute(app)
  return { app }
}

async function buildErrcodes (ctx, features) {
  const { default: errorCodes } = await load('@errcodes/fastify')
  const catalog = features.stacks ? errorsWithStacks : errors
  const options = { catalog, format: 'json' }
  const closers = []
  if (features.i18n) {
    const { createI18n } = await load('@errcodes/i18n', 'createI18n')
    options.i18n = createI18n({ messages, defaultLocale: 'en' })
    closers.push(() => options.i18n.close?.())
  }
  if (features.metrics) {
    const { createMetrics } = await load('@errcodes/metrics', 'createMetrics')
    options.metrics = createMetrics({ catalog })
  }
  if (features.routes === false) options.routes = false
  if (features.tracing) {
    const { createTracing } = await load('@errcodes/tracing', 'createTracing')
    const extra = typeof features.tracing === 'object' ? features.tracing : {}
    options.tracing = createTracing({ serviceName: 'bench', exporter: discardExporter, ...extra })
    closers.push(() => options.tracing.shutdown())
  }
  if (features.nullTracer) {
    const scope = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', sampled: true }
    options.tracing = { startRequest: () => scope, withScope: (s, fn) => fn(), recordError () {}, finishRequest () {} }
  }
  const app = await fastify(ctx)
  await app.register(errorCodes, options)
  app.get('/users/:id', { errors: [catalog.USER_NOT_FOUND] }, async (request) => {
    throw catalog.USER_NOT_FOUND.create({ userId: request.params.id })
  })
  happyRoute(app)
  return { app, close: () => Promise.all(closers.map(c => c())) }
}

async function buildFastifyOtel (ctx) {
  const { default: FastifyOtelInstrumentation } = await load('@fastify/otel')
  const { BasicTracerProvider, BatchSpanProcessor } = await load('@opentelemetry/sdk-trace-base')
  const { AsyncLocalStorageContextManager } = await load('@opentelemetry/context-async-hooks')
  const { context } = await load('@opentelemetry/api')
  // What a user of @fastify/otel runs: a context manager and a provider with a batch processor.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discardExporter)] })
  const instrumentation = new FastifyOtelInstrumentation({ servername: 'bench' })
  instrumentation.setTracerProvider(provider)
  const app = await fastify(ctx)
  await app.register(instrumentation.plugin())
  await bareErrorRoute(app)
  happyRoute(app)
  return { app, close: () => provider.shutdown() }
}

/**
 * The floors under a tracer built on the OpenTelemetry SDK, written straight against the SDK (the same
 * span processor and exporter as errcodes-tracing, an always-on sampler):
 * - a SERVER span started in onRequest and ended in onResponse, nothing else;
 * - `activate`: the span made active for the handler through the AsyncLocalStorage context manager;
 * - `semconv`: also what our server span carries: the caller's W3C traceparent continued, the
 *   semantic-convention request attributes (query string cut), the route in the name, the status code
 *   and `error.type` of a failed request, and the trace id in an `X-Trace-ID` response header.
 * What errcodes-tracing adds on top of these is its own cost.
 */
async function buildSpanFloor (ctx, { activate = false, semconv = false }) {
  const { BasicTracerProvider, BatchSpanProcessor, AlwaysOnSampler } = await load('@opentelemetry/sdk-trace-base')
  const { AsyncLocalStorageContextManager } = await load('@opentelemetry/context-async-hooks')
  const { W3CTraceContextPropagator } = await load('@opentelemetry/core')
  const { context, trace, SpanKind, ROOT_CONTEXT, defaultTextMapGetter } = await load('@opentelemetry/api')
  if (activate) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: [new BatchSpanProcessor(discardExporter)] })
  const tracer = provider.getTracer('bench')
  const propagator = new W3CTraceContextPropagator()
  const kSpan = Symbol('span')
  const server = { kind: SpanKind.SERVER }
  const app = await fastify(ctx)
  app.addHook('onRequest', (request, reply, done) => {
    let parent = ROOT_CONTEXT
    let span
    if (semconv) {
      parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter)
      const route = request.routeOptions.url
      span = tracer.startSpan(route === undefined ? request.method : `${request.method} ${route}`, server, parent)
      const q = request.url.indexOf('?')
      const host = request.host
      const colon = host.lastIndexOf(':')
      span.setAttributes({
        'http.request.method': request.method,
        'url.path': q === -1 ? request.url : request.url.slice(0, q),
        'http.route': route,
        'url.scheme': request.protocol,
        'server.address': colon === -1 ? host : host.slice(0, colon),
        'server.port': colon === -1 ? undefined : Number(host.slice(colon + 1)),
        'user_agent.original': request.headers['user-agent'],
        'client.address': request.ip
      })
      reply.header('x-trace-id', span.spanContext().traceId)
    } else {
      span = tracer.startSpan(request.method, server, parent)
    }
    request[kSpan] = span
    if (activate) context.with(trace.setSpan(parent, span), done)
    else done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const span = request[kSpan]
    if (semconv) {
      span.setAttribute('http.response.status_code', reply.statusCode)
      if (reply.statusCode >= 400) span.setAttribute('error.type', String(reply.statusCode))
    }
    span.end()
    done()
  })
  await bareErrorRoute(app)
  happyRoute(app)
  return { app, close: () => provider.shutdown() }
}
