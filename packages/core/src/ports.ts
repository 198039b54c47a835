import type { TSchema } from '@sinclair/typebox'
import type { AppError } from './app-error.js'
import type { Catalog } from './catalog.js'
import type { ErrorEntry } from './error-entry.js'

/** What a Translator answers: the message and the locale that actually produced it. */
export interface Translation {
  readonly message: string
  readonly locale: string
}

/**
 * The i18n port (implemented by @errcodes/i18n). Implementations never throw: an unknown key renders
 * `fallback` (the entry's English text) or, without one, the key itself, in the default locale.
 */
export interface Translator {
  /** Renders `key` with `params` for the best locale of an Accept-Language value. */
  translate (key: string, params: Readonly<Record<string, unknown>> | undefined, acceptLanguage: string | undefined, fallback?: string): Translation
  /** The best available locale for an Accept-Language value (cached, bounded). */
  negotiate (acceptLanguage: string | undefined): string
}

/** One failed request (or failed operation), as handed to recorders and tracers. */
export interface ErrorEvent {
  /** The normalized error. */
  readonly error: AppError
  /**
   * The value that was thrown (or sent), before normalization: a recorder that reports crashes
   * (Sentry) needs its own type, stack and cause chain, which the normalized error only wraps.
   */
  readonly thrown?: unknown
  /** The final HTTP status sent. */
  readonly status: number
  readonly method?: string
  /** Route template (`/users/:id`); undefined when no route matched. */
  readonly route?: string
  /** Raw request path without the query string (kept out of metric labels). */
  readonly path?: string
  readonly requestId?: string
  readonly traceId?: string
  /**
   * False when `traceId` names a trace that is not recorded (not sampled, or a caller's `traceparent`
   * with flags 00): no backend holds it, so metrics attach no exemplar for it. Undefined: sampled.
   */
  readonly traceSampled?: boolean
  /** The localized message that was sent, if any. */
  readonly message?: string
  /** Milliseconds since the epoch. */
  readonly timestamp: number
}

/** A framework-neutral GET route a port contributes (metrics text, dashboards). */
export interface PortRoute {
  /** Path relative to the port's prefix, in Fastify syntax (`/by-code/:code`). */
  readonly path: string
  /** TypeBox schemas for validation and OpenAPI. */
  readonly schema?: {
    readonly summary?: string
    readonly description?: string
    readonly tags?: readonly string[]
    readonly querystring?: TSchema
    readonly params?: TSchema
    readonly response?: Readonly<Record<number, TSchema>>
    /**
     * Media types of a success body that is not JSON (`text/html`, `text/plain; version=0.0.4`):
     * documented as text, so the document says what the route really sends.
     */
    readonly produces?: readonly string[]
    /** Catalog errors the route answers besides validation and internal errors (`NOT_FOUND`). */
    readonly errors?: readonly ErrorEntry[]
  }
  /** Answers one request; `query` and `params` are already validated against the schema. */
  handle (input: PortRequest): PortResponse | Promise<PortResponse>
}

/** Input of a PortRoute. */
export interface PortRequest {
  readonly query: Readonly<Record<string, unknown>>
  readonly params: Readonly<Record<string, string>>
  /** The request headers, lower-case names (content negotiation, e.g. `/metrics` and OpenMetrics). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>
}

/** Output of a PortRoute: a string body is sent as is, an object as JSON. */
export interface PortResponse {
  readonly status?: number
  readonly contentType: string
  /** Extra headers (`Cache-Control`, `Content-Security-Policy`, …). */
  readonly headers?: Readonly<Record<string, string>>
  readonly body: string | object
}

/** The metrics port (implemented by @errcodes/metrics). `record` never throws and never blocks. */
export interface ErrorRecorder {
  /** Counts one failed request, once, after its status is final. */
  record (event: ErrorEvent): void
  /** Tells the recorder which codes are known, so unknown ones collapse into one label value. */
  useCatalog? (catalog: Catalog): void
  /** Routes to mount (e.g. `/metrics`, `/api/metrics/summary`). */
  readonly routes?: readonly PortRoute[]
}

/** What a tracer needs to know about an incoming request. */
export interface TraceRequest {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  /** Route template when known at this point. */
  readonly route?: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly scheme?: string
  readonly host?: string
  readonly userAgent?: string
  readonly clientAddress?: string
  /**
   * A server span another instrumentation made and exposes only through the request (e.g.
   * `request.opentelemetry().span` of @fastify/otel), to enrich instead of starting a second one.
   */
  readonly serverSpan?: unknown
}

/** The span a tracer opened or enriched for one request. */
export interface TraceScope {
  /** 32 lowercase hex characters. */
  readonly traceId: string
  /** 16 lowercase hex characters. */
  readonly spanId: string
  /** False when the trace is not recorded (the W3C sampled flag is off); undefined means sampled. */
  readonly sampled?: boolean
}

/**
 * The tracing port (implemented by @errcodes/tracing). No method throws.
 *
 * An error reaches the tracer one way only, `recordError`, called by the error handler before the
 * response is sent: the exception event then carries the time of the failure, and a span another
 * instrumentation owns (@fastify/otel ends its span in `onSend`) still records. `finishRequest` only
 * sets the final status and route and ends the span.
 */
export interface ErrorTracer {
  /** Opens a server span (continuing W3C `traceparent`) or enriches the active one. */
  startRequest (request: TraceRequest): TraceScope | undefined
  /** Runs `fn` with the scope's span active, so spans started by the handler become its children. */
  withScope (scope: TraceScope, fn: () => void): void
  /** Records the error on the scope's span (attributes, status, one masked exception event for a 5xx); once per scope. */
  recordError (scope: TraceScope, error: AppError, status: number): void
  /**
   * Sets the final status and route and ends a span the tracer started. A 5xx that reached no
   * `recordError` (sent without an error) is the tracer's to mark failed.
   */
  finishRequest (scope: TraceScope, status: number, route: string | undefined): void
}
