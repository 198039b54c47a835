import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { GuardedPorts } from './guarded-ports.js'
import { kErrcodesState, pathOf, requestIdOf, type RequestState } from './request-state.js'

/** The plugin's request hooks; a hook the options do not need is `undefined` and is not added. */
export interface RequestHooks {
  /** Creates the request's state, sets the request id header, opens and activates the tracer's scope. */
  readonly onRequest: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  /** Hands the failed request to the recorder and ends the tracer's span, once the status is final. */
  readonly onResponse: ((request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void) | undefined
  /** Ends the span of a request the client aborted: it never reaches onResponse, and the span must not be left open. */
  readonly onRequestAbort: ((request: FastifyRequest, done: HookHandlerDoneFunction) => void) | undefined
}

type Holder = Record<symbol, RequestState | null | undefined>

/**
 * Puts the trace ids on the request's log lines. Under Fastify's default child-logger factory, a logger
 * other than the server's is the fresh pino child made for this request, so its bindings grow in place
 * (about 0.4 µs). A child of that child costs about 3 µs: V8 turns the request's logger into a prototype.
 * A custom factory may hand out a shared logger, and the no-op logger is shared: those get a child.
 */
function bindTraceIds (request: FastifyRequest, traceId: string, spanId: string): void {
  const log = request.log as FastifyRequest['log'] & { setBindings?: (bindings: Record<string, string>) => void }
  if (typeof log.setBindings === 'function' && log !== request.server.log && request.server.childLoggerFactory.name === 'defaultChildLoggerFactory') {
    log.setBindings({ trace_id: traceId, span_id: spanId })
  } else {
    request.log = log.child({ trace_id: traceId, span_id: spanId })
  }
}

/** Builds the hooks for the ports in use; every port call goes through its guard (see guarded-ports.ts). */
export function createRequestHooks (requestIdHeader: string | false, ports: GuardedPorts): RequestHooks {
  const { recorder, tracer } = ports

  function errcodesOnRequest (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (tracer === undefined) {
      // Nothing needs the request's state before an error, and the error handler makes it (stateOf):
      // a request that succeeds allocates none.
      if (requestIdHeader !== false) reply.header(requestIdHeader, requestIdOf(request))
      return done()
    }
    // The tracer names its span at the start. routeOptions builds a new object on every read: read once
    // here (a metrics-only app reads it in onResponse, and only for a failed request).
    const route = request.routeOptions.url
    const state: RequestState = { requestId: requestIdOf(request), scope: undefined, error: undefined, message: undefined, route }
    ;(request as unknown as Holder)[kErrcodesState] = state
    if (requestIdHeader !== false) reply.header(requestIdHeader, state.requestId)
    const scope = tracer.startRequest(request, route)
    if (scope === undefined) return done()
    state.scope = scope
    reply.header('x-trace-id', scope.traceId)
    bindTraceIds(request, scope.traceId, scope.spanId)
    tracer.withScope(request, scope, done)
  }

  function errcodesOnResponse (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const state = (request as unknown as Holder)[kErrcodesState]
    if (state !== null && state !== undefined) {
      const status = reply.statusCode
      if (recorder !== undefined && state.error !== undefined) {
        state.route ??= request.routeOptions.url
        recorder.record(request, {
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
        })
      }
      if (tracer !== undefined && state.scope !== undefined) {
        tracer.finishRequest(request, state.scope, status, state.route ?? request.routeOptions.url)
      }
    }
    done()
  }

  function errcodesOnAbort (request: FastifyRequest, done: HookHandlerDoneFunction): void {
    const state = (request as unknown as Holder)[kErrcodesState]
    if (tracer !== undefined && state?.scope !== undefined) {
      tracer.finishRequest(request, state.scope, 499, request.routeOptions.url)
      state.scope = undefined
    }
    done()
  }

  return {
    onRequest: errcodesOnRequest,
    onResponse: recorder !== undefined || tracer !== undefined ? errcodesOnResponse : undefined,
    onRequestAbort: tracer !== undefined ? errcodesOnAbort : undefined
  }
}
