import { SpanKind, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api'
import type { Span, Tracer, TracerProvider } from '@opentelemetry/api'
import type { ErrorTracer, TraceRequest, TraceScope } from '@errcodes/core'
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions'
import { buildTracerProvider } from './build-tracer-provider.js'
import { disabledTracing } from './disabled-tracing.js'
import { ensureContextManager, hasContextManager } from './ensure-context-manager.js'
import { extractTraceContext } from './extract-trace-context.js'
import { findServerSpan } from './find-server-span.js'
import { applyError } from './record-error.js'
import { packageVersion } from './package-version.js'
import { methodOf, pathOf, requestAttributes, spanNameOf } from './request-attributes.js'
import { resolveOptions } from './options.js'
import type { TracingOptions } from './options.js'

/** What startRequest accepts: the port's request, plus the span another instrumentation already made, if the caller has it. */
export interface TracingRequest extends TraceRequest {
  /** E.g. `request.opentelemetry?.().span` with @fastify/otel or Sentry; that span is enriched instead of making one. */
  readonly serverSpan?: Span
}

/** A tracing instance: the ErrorTracer port for @errcodes/fastify, plus the tracer and the provider's lifecycle. */
export interface Tracing extends ErrorTracer {
  startRequest (request: TracingRequest): TraceScope | undefined
  /** The tracer spans are started with (for client spans around outgoing calls, or your own). */
  readonly tracer: Tracer
  /** The provider in use: the one given, or the one built (never registered globally). */
  readonly provider: TracerProvider
  /** Whether a context manager carries the active span into handlers (see the `contextManager` option). */
  readonly contextPropagation: boolean
  /** Exports queued spans now; resolves within the export timeout even with the collector down. */
  forceFlush (): Promise<void>
  /** Flushes and stops a built provider (a given one is left to its owner); resolves within the export timeout. */
  shutdown (): Promise<void>
}

const version = packageVersion(import.meta.url)

// Per-request state lives on the scope behind symbols, so loggers and JSON never show the span.
const kSpan = Symbol('errcodes.tracing.span')
const kOwned = Symbol('errcodes.tracing.owned')
const kMethod = Symbol('errcodes.tracing.method')
const kRecorded = Symbol('errcodes.tracing.recorded')
const kRoute = Symbol('errcodes.tracing.route')

const SERVER_SPAN = Object.freeze({ kind: SpanKind.SERVER })

class RequestScope implements TraceScope {
  readonly traceId: string
  readonly spanId: string
  readonly sampled: boolean;
  [kSpan]: Span;
  [kOwned]: boolean;
  [kMethod]: string;
  [kRoute]: string | undefined;
  [kRecorded] = false

  constructor (span: Span, owned: boolean, method: string, route: string | undefined) {
    const ids = span.spanContext()
    this.traceId = ids.traceId
    this.spanId = ids.spanId
    // The W3C sampled flag: off when the sampler dropped the trace or the caller's traceparent said 00.
    this.sampled = (ids.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
    this[kSpan] = span
    this[kOwned] = owned
    this[kMethod] = method
    this[kRoute] = route
  }
}

/**
 * Creates the tracing side of @errcodes: a server span per request (or enrichment of the one an
 * instrumentation already made) that carries the error code, W3C trace context in, trace id out.
 */
export function createTracing (options: TracingOptions): Tracing {
  const resolved = resolveOptions(options)
  if (!resolved.enabled) return disabledTracing()
  const owned = resolved.tracerProvider === undefined ? buildTracerProvider(resolved) : undefined
  const provider = resolved.tracerProvider ?? owned!.provider
  const tracer = provider.getTracer('@errcodes/tracing', version)
  const recordClientErrors = resolved.recordClientErrors
  // A given provider may sample on attributes, which semantic conventions ask to pass at span start.
  const samplerReadsAttributes = owned === undefined
  const contextPropagation = resolved.contextManager ? ensureContextManager() : hasContextManager()

  return {
    tracer,
    provider,
    contextPropagation,

    startRequest (request) {
      try {
        const method = methodOf(request.method)
        const route = request.route === '' ? undefined : request.route
        const found = findServerSpan(context.active(), request.serverSpan)
        if (found !== undefined) {
          if (route !== undefined) {
            if (found.rpc !== undefined) found.rpc.route = route
            if (found.span.isRecording()) {
              // Set now: some owners (@fastify/otel) end their span before onResponse.
              found.span.setAttribute(ATTR_HTTP_ROUTE, route)
              found.span.updateName(spanNameOf(method, route))
            }
          }
          scrubPath(found.span)
          return new RequestScope(found.span, false, method, route)
        }
        const parent = extractTraceContext(request.headers)
        if (samplerReadsAttributes) {
          const span = tracer.startSpan(spanNameOf(method, route), { kind: SpanKind.SERVER, attributes: requestAttributes(request) }, parent)
          return new RequestScope(span, true, method, route)
        }
        // The built provider's sampler never reads attributes: set them once, and only on a span that records.
        const span = tracer.startSpan(spanNameOf(method, route), SERVER_SPAN, parent)
        if (span.isRecording()) span.setAttributes(requestAttributes(request))
        return new RequestScope(span, true, method, route)
      } catch {
        return undefined
      }
    },

    withScope (scope, fn) {
      const span = (scope as RequestScope | undefined)?.[kSpan]
      if (span === undefined) return fn()
      context.with(trace.setSpan(context.active(), span), fn)
    },

    recordError (scope, error, status) {
      const s = scope as RequestScope | undefined
      try {
        // Once per scope: a second failure of the same request (an error while the error response goes out) keeps the first.
        if (s?.[kSpan] === undefined || s[kRecorded]) return
        s[kRecorded] = true
        const span = s[kSpan]
        // The request's span is a SERVER span (ours, or the one another instrumentation made), so 4xx follow server rules.
        if (span.isRecording()) applyError(span, error, status < 500, recordClientErrors)
      } catch {
        // Tracing must never break the error path.
      }
    },

    finishRequest (scope, status, route) {
      const s = scope as RequestScope | undefined
      const span = s?.[kSpan]
      if (s === undefined || span === undefined) return
      try {
        if (span.isRecording()) {
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status)
          // Usually known at start already; a route that only became known later renames the span.
          if (route !== undefined && route !== '' && route !== s[kRoute]) {
            s[kRoute] = route
            span.setAttribute(ATTR_HTTP_ROUTE, route)
            span.updateName(spanNameOf(s[kMethod], route))
          }
          if (s[kOwned] && status >= 500 && !s[kRecorded]) {
            // A 5xx sent without an error: semantic conventions use the status code as error.type.
            span.setAttribute(ATTR_ERROR_TYPE, String(status))
            span.setStatus({ code: SpanStatusCode.ERROR })
          }
        }
      } catch {
        // Fall through: an owned span must still end.
      }
      if (s[kOwned]) {
        s[kOwned] = false
        try { span.end() } catch {}
      }
    },

    forceFlush: () => owned === undefined ? flushGiven(provider) : owned.forceFlush(),
    shutdown: () => owned === undefined ? Promise.resolve() : owned.shutdown()
  }
}

/**
 * @fastify/otel puts the raw URL, query string included, in url.path, and no instrumentation decodes or
 * masks it: replace it with the masked path. (`createMaskingSpanProcessor` does this for every span.)
 */
function scrubPath (span: Span): void {
  const current = (span as { attributes?: Record<string, unknown> }).attributes?.[ATTR_URL_PATH]
  if (typeof current !== 'string' || !span.isRecording()) return
  const masked = pathOf(current)
  if (masked !== current) span.setAttribute(ATTR_URL_PATH, masked)
}

async function flushGiven (provider: TracerProvider): Promise<void> {
  const flush = (provider as { forceFlush?: () => Promise<void> }).forceFlush
  if (typeof flush !== 'function') return
  try {
    await flush.call(provider)
  } catch {
    // The owner of a given provider sees its own export errors.
  }
}
