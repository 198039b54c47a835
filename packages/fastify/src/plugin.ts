import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import type { AppError, Catalog, CreateArgs, ErrorEntry } from '@errcodes/core'
import { createErrorHandler, type ErrorHandler } from './error-handler.js'
import { FaultLog } from './fault-log.js'
import { addErrorComponents, addRouteErrorResponses, checkRouteErrors, type RouteErrorContext } from './openapi.js'
import { resolveOptions, type ErrorCodesOptions } from './options.js'
import { mountPortRoutes } from './port-routes.js'
import { kErrcodesState, pathOf, requestIdOf, type RequestState } from './request-state.js'

const TRACE_ID = /^[0-9a-f]{32}$/

/** The create() arguments of an entry, for `reply.fail(entry, …)`. */
export type EntryArgs<E> = E extends ErrorEntry<string, infer Def> ? CreateArgs<Def> : never

/** What the plugin decorates the instance with (`app.errcodes`). */
export interface ErrcodesDecoration {
  /** The merged catalog: built-ins plus the user's. */
  readonly catalog: Catalog
  /** The error handler, for users who compose their own (`errorHandler: false`). */
  readonly handleError: ErrorHandler
}

declare module 'fastify' {
  interface FastifyInstance {
    errcodes: ErrcodesDecoration
  }
  interface FastifyReply {
    /** Answers with an error of `entry` (typed params), e.g. from a hook where throwing is awkward. */
    fail<E extends ErrorEntry<string, any>>(entry: E, ...args: EntryArgs<E>): FastifyReply
  }
  interface RouteShorthandOptions {
    /** The catalog errors this route can answer; documented in OpenAPI, one response per status. */
    errors?: ReadonlyArray<ErrorEntry<string, any>>
  }
}

async function errorCodesPlugin (app: FastifyInstance, raw: ErrorCodesOptions): Promise<void> {
  const options = resolveOptions(raw)
  const { catalog, metrics, tracing, requestIdHeader } = options
  const faults = new FaultLog()
  const handleError = createErrorHandler(options, faults)
  const responseIdHeader = requestIdHeader === false ? 'x-request-id' : requestIdHeader

  if (typeof metrics?.useCatalog === 'function') metrics.useCatalog(catalog)
  app.decorate('errcodes', { catalog, handleError })
  app.decorateRequest(kErrcodesState, null)
  app.decorateReply('fail', function (this: FastifyReply, entry: ErrorEntry, ...args: unknown[]) {
    const err = (entry.create as (...a: unknown[]) => AppError)(...args)
    return handleError(err, this.request, this)
  })

  // The tracer names its span at the start; the recorder needs the route only for failed requests, so a
  // metrics-only app reads it in onResponse, when there is an error to record.
  const needsRoute = tracing !== undefined
  app.addHook('onRequest', function errcodesOnRequest (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    // routeOptions builds a new object on every read: read it once, here, only when the tracer needs it.
    const route = needsRoute ? request.routeOptions.url : undefined
    const state: RequestState = { requestId: requestIdOf(request, requestIdHeader), scope: undefined, error: undefined, message: undefined, route }
    ;(request as unknown as Record<symbol, RequestState>)[kErrcodesState] = state
    reply.header(responseIdHeader, state.requestId)
    if (tracing === undefined) return done()
    let scope
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
    }
    if (scope === undefined) return done()
    // The ids become a header and a log binding: anything but W3C hex ids (a promise, garbage) is a broken tracer.
    if (typeof scope.traceId !== 'string' || !TRACE_ID.test(scope.traceId) || typeof scope.spanId !== 'string') {
      faults.settle(request.log, 'tracer', scope)
      faults.report(request.log, 'tracer', new TypeError('startRequest returned no valid trace scope'))
      return done()
    }
    state.scope = scope
    reply.header('x-trace-id', scope.traceId)
    request.log = request.log.child({ trace_id: scope.traceId, span_id: scope.spanId })
    let called = false
    const next = (): void => { if (!called) { called = true; done() } }
    try {
      faults.settle(request.log, 'tracer', tracing.withScope(scope, next))
    } catch (fault) {
      faults.report(request.log, 'tracer', fault)
    }
    // withScope is synchronous: one that returned without calling back would hang the request.
    if (!called) {
      faults.report(request.log, 'tracer', new TypeError('withScope returned without running the request'))
      next()
    }
  })

  if (metrics !== undefined || tracing !== undefined) {
    app.addHook('onResponse', function errcodesOnResponse (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
      const state = (request as unknown as Record<symbol, RequestState | null>)[kErrcodesState]
      if (state !== null && state !== undefined) {
        const status = reply.statusCode
        if (metrics !== undefined && state.error !== undefined) {
          state.route ??= request.routeOptions.url
          try {
            faults.settle(request.log, 'recorder', metrics.record({
              error: state.error,
              thrown: state.thrown,
              status,
              method: request.method,
              route: state.route,
              path: pathOf(request.url),
              requestId: state.requestId,
              traceId: state.scope?.traceId,
              traceSampled: state.scope?.sampled,
              message: state.message,
              timestamp: Date.now()
            }))
          } catch (fault) {
            faults.report(request.log, 'recorder', fault)
          }
        }
        if (tracing !== undefined && state.scope !== undefined) {
          try {
            faults.settle(request.log, 'tracer', tracing.endRequest(state.scope, { status, route: state.route ?? request.routeOptions.url, error: state.error }))
          } catch (fault) {
            faults.report(request.log, 'tracer', fault)
          }
        }
      }
      done()
    })
  }

  if (tracing !== undefined) {
    // An aborted request never reaches onResponse: end its span here so it is not left open.
    app.addHook('onRequestAbort', function errcodesOnAbort (request: FastifyRequest, done: HookHandlerDoneFunction) {
      const state = (request as unknown as Record<symbol, RequestState | null>)[kErrcodesState]
      if (state?.scope !== undefined) {
        try {
          faults.settle(request.log, 'tracer', tracing.endRequest(state.scope, { status: 499, route: request.routeOptions.url, error: state.error }))
        } catch (fault) {
          faults.report(request.log, 'tracer', fault)
        }
        state.scope = undefined
      }
      done()
    })
  }

  if (options.errorHandler) app.setErrorHandler(handleError)
  if (options.notFound) {
    const notFound = catalog.get('ROUTE_NOT_FOUND') as ErrorEntry
    app.setNotFoundHandler(function errcodesNotFound (request, reply) {
      return handleError(notFound.create(), request, reply)
    })
  }

  if (options.openapi) {
    addErrorComponents(app, catalog, { debug: options.debug, typeBaseUrl: options.typeBaseUrl })
    const entries = (...names: string[]): ErrorEntry[] => names.map(name => catalog.get(name) as ErrorEntry)
    const context: RouteErrorContext = {
      catalog,
      always: entries('VALIDATION_FAILED', 'BAD_REQUEST', 'INTERNAL_ERROR'),
      withBody: entries('MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
      requestIdHeader: responseIdHeader,
      localized: options.i18n !== undefined
    }
    const routes: RouteOptions[] = []
    app.addHook('onRoute', (route) => {
      checkRouteErrors(route, catalog)
      routes.push(route)
    })
    // Documentation only: added after Fastify compiled the routes' serializers (see addRouteErrorResponses).
    app.addHook('onReady', (done) => {
      for (const route of routes) addRouteErrorResponses(route, context)
      routes.length = 0
      done()
    })
  }

  if (options.routes !== false && metrics?.routes !== undefined && metrics.routes.length > 0) {
    mountPortRoutes(app, metrics.routes, options.routes, catalog)
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

/** The plugin: `await app.register(errorCodes, { catalog, i18n, metrics, tracing })`. */
export const errorCodes = fp(errorCodesPlugin, { name: '@errcodes/fastify', fastify: '5.x' })
