import type { FastifyRequest } from 'fastify'
import type { AppError, ErrorEvent, ErrorRecorder, ErrorTracer, TraceScope, Translation, Translator } from '@errcodes/core'
import type { FaultLog } from './fault-log.js'
import { pathOf } from './request-state.js'

/** The translator, as the error handler calls it: never throws; `undefined` when it failed (reported). */
export interface GuardedTranslator {
  translate (request: FastifyRequest, key: string, params: Readonly<Record<string, unknown>> | undefined, acceptLanguage: string | undefined, fallback: string): Translation | undefined
}

/** The recorder, as the error handler's finish listener calls it: never throws, never leaves a rejection unhandled. */
export interface GuardedRecorder {
  record (request: FastifyRequest, event: ErrorEvent): void
}

/** The tracer, as the hooks and the error handler call it: never throws, never leaves a rejection unhandled. */
export interface GuardedTracer {
  /** The request's scope, or `undefined` when the tracer opened none or answered something that is no W3C scope. */
  startRequest (request: FastifyRequest, route: string | undefined): TraceScope | undefined
  /** Runs `done` with the scope active, exactly once, even when the tracer throws or forgets to call it. */
  withScope (request: FastifyRequest, scope: TraceScope, done: () => void): void
  recordError (request: FastifyRequest, scope: TraceScope, error: AppError, status: number): void
  finishRequest (request: FastifyRequest, scope: TraceScope, status: number, route: string | undefined): void
}

/** The ports of the plugin's options, each wrapped once at registration; absent ports stay `undefined`. */
export interface GuardedPorts {
  readonly translator: GuardedTranslator | undefined
  readonly recorder: GuardedRecorder | undefined
  readonly tracer: GuardedTracer | undefined
}

const TRACE_ID = /^[0-9a-f]{32}$/
// A BCP 47 language tag as a Content-Language value: letters, digits and hyphens only.
const LOCALE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,7}$/

/**
 * Wraps the translator, recorder and tracer once, at registration, so no call site needs its own
 * try/catch. A port that throws, rejects, or answers garbage is reported through the fault log (one
 * line per kind of port and plugin instance) and the request goes on as if the port were absent. The
 * ports' contracts say they never throw: the guards cost one try block per call on the hot path, and
 * the promise check runs only when a method that should return nothing returned something.
 */
export function guardPorts (options: { i18n?: Translator, metrics?: ErrorRecorder, tracing?: ErrorTracer }, faults: FaultLog): GuardedPorts {
  return {
    translator: options.i18n === undefined ? undefined : guardTranslator(options.i18n, faults),
    recorder: options.metrics === undefined ? undefined : guardRecorder(options.metrics, faults),
    tracer: options.tracing === undefined ? undefined : guardTracer(options.tracing, faults)
  }
}

function guardTranslator (i18n: Translator, faults: FaultLog): GuardedTranslator {
  return {
    translate (request, key, params, acceptLanguage, fallback) {
      try {
        const answer = i18n.translate(key, params, acceptLanguage, fallback)
        // A sync port made async answers a promise: its rejection must not go unhandled.
        faults.settle(request.log, 'translator', answer)
        // The locale becomes a header: a translator answering anything but a language tag is broken.
        if (typeof answer?.message !== 'string' || typeof answer.locale !== 'string' || !LOCALE.test(answer.locale)) {
          throw new TypeError('the translator returned no message or an invalid locale')
        }
        return answer
      } catch (fault) {
        faults.report(request.log, 'translator', fault)
        return undefined
      }
    }
  }
}

function guardRecorder (metrics: ErrorRecorder, faults: FaultLog): GuardedRecorder {
  return {
    record (request, event) {
      faults.call(request.log, 'recorder', () => metrics.record(event))
    }
  }
}

function guardTracer (tracing: ErrorTracer, faults: FaultLog): GuardedTracer {
  return {
    startRequest (request, route) {
      let scope: TraceScope | undefined
      try {
        scope = tracing.startRequest({
          method: request.method,
          path: pathOf(request.url),
          route,
          headers: request.headers,
          scheme: request.protocol,
          host: request.host,
          userAgent: request.headers['user-agent'],
          clientAddress: request.ip,
          serverSpan: instrumentationSpan(request)
        })
      } catch (fault) {
        faults.report(request.log, 'tracer', fault)
        return undefined
      }
      if (scope === undefined) return undefined
      // The ids become a header and a log binding: anything but W3C hex ids (a promise, garbage) is a broken tracer.
      if (typeof scope.traceId !== 'string' || !TRACE_ID.test(scope.traceId) || typeof scope.spanId !== 'string') {
        faults.settle(request.log, 'tracer', scope)
        faults.report(request.log, 'tracer', new TypeError('startRequest returned no valid trace scope'))
        return undefined
      }
      return scope
    },

    withScope (request, scope, done) {
      let called = false
      const next = (): void => { if (!called) { called = true; done() } }
      faults.call(request.log, 'tracer', () => tracing.withScope(scope, next))
      // withScope is synchronous: one that returned without calling back would hang the request.
      if (!called) {
        faults.report(request.log, 'tracer', new TypeError('withScope returned without running the request'))
        next()
      }
    },

    recordError (request, scope, error, status) {
      faults.call(request.log, 'tracer', () => tracing.recordError(scope, error, status))
    },

    finishRequest (request, scope, status, route) {
      faults.call(request.log, 'tracer', () => tracing.finishRequest(scope, status, route))
    }
  }
}

/** The server span @fastify/otel exposes on the request, if it is registered. */
function instrumentationSpan (request: FastifyRequest): unknown {
  const accessor = (request as unknown as { opentelemetry?: () => { span?: unknown } }).opentelemetry
  if (typeof accessor !== 'function') return undefined
  try {
    return accessor.call(request)?.span
  } catch {
    return undefined
  }
}
