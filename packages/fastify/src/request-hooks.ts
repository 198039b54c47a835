import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { GuardedPorts } from './guarded-ports.js'
import { kErrcodesState, requestIdOf, setRequestIdHeader, type RequestState } from './request-state.js'
import { privateSymbol } from './private-symbol.js'
import { routeContextOf, routeOf } from './route-context.js'

/** The plugin's request hooks; a hook the options do not need is `undefined` and is not added. */
export interface RequestHooks {
  /** Creates the request's state, sets the request id header, opens and activates the tracer's scope. */
  readonly onRequest: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  /** Ends the tracer's span, once the status is final. */
  readonly onResponse: ((request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void) | undefined
  /** Ends the span of a request the client aborted: it never reaches onResponse, and the span must not be left open. */
  readonly onRequestAbort: ((request: FastifyRequest, done: HookHandlerDoneFunction) => void) | undefined
}

type Holder = Record<symbol, RequestState | null | undefined>

// pino marks its loggers with registry symbols; setBindings below is pino's (it appends to this instance only).
const kPinoSerializers = Symbol.for('pino.serializers')
// pino keeps a logger's bindings as one JSON fragment (`,"key":value` each) behind a private symbol.
const chindingsKey = privateSymbol('pino.chindings')

/**
 * Puts the trace ids on the request's log lines. When Fastify's default factory made the request's logger
 * (a fresh pino child for this request alone) and no hook has swapped it, its bindings grow in place (about
 * 0.5 µs). A child of that child costs 3–4 µs: V8 turns the request's logger into a prototype. Any
 * other logger may be shared between requests (a custom factory's, a hook's, the no-op one): a child.
 */
function bindTraceIds (request: FastifyRequest, reply: FastifyReply, idBinding: string, traceId: string, spanId: string): void {
  const log = request.log as FastifyRequest['log'] & { setBindings?: (bindings: Record<string, string>) => void }
  if (log === reply.log && typeof log.setBindings === 'function' && kPinoSerializers in log && madeByDefaultFactory(request) && endsWithOwnId(log, request, idBinding)) {
    log.setBindings({ trace_id: traceId, span_id: spanId })
  } else {
    request.log = log.child({ trace_id: traceId, span_id: spanId })
  }
}

/**
 * Whether the logger's last binding is the request's id under Fastify's label (`idBinding`, `,"reqId":`),
 * as on the child Fastify's default factory made for this request. A logger that a hook put on both
 * `request.log` and `reply.log` and shares between requests ends otherwise (its own bindings, another
 * request's id, or the ids set on it for an earlier request): it gets a child, so its bindings cannot
 * grow request after request. The id is compared as pino wrote it (JSON), so no id can reach across two
 * bindings. Not caught: a shared logger whose last binding is that same label with this very id.
 */
function endsWithOwnId (log: object, request: FastifyRequest, idBinding: string): boolean {
  const key = chindingsKey(log)
  const chindings = key === undefined ? undefined : (log as Record<symbol, unknown>)[key]
  if (typeof chindings !== 'string') return false
  // A genReqId written in JavaScript may answer a number or a bigint (JSON.stringify throws on those).
  const id = request.id as unknown
  const written = typeof id === 'string' ? JSON.stringify(id) : typeof id === 'number' || typeof id === 'bigint' ? String(id) : undefined
  return written !== undefined && chindings.endsWith(written) && chindings.endsWith(idBinding, chindings.length - written.length)
}

function madeByDefaultFactory (request: FastifyRequest): boolean {
  // The route's own factory if it has one, else its server's (setChildLoggerFactory included).
  return routeContextOf(request)?.childLoggerFactory?.name === 'defaultChildLoggerFactory'
}

/**
 * Builds the hooks for the ports in use; every port call goes through its guard (see guarded-ports.ts).
 * `requestIdLogLabel` is the key under which Fastify binds the request id to the request's logger.
 */
export function createRequestHooks (requestIdHeader: string | false, ports: GuardedPorts, requestIdLogLabel = 'reqId'): RequestHooks {
  const { tracer } = ports
  // As pino writes a binding: `,"key":value`, key and value as JSON.
  const idBinding = `,${JSON.stringify(requestIdLogLabel)}:`

  function errcodesOnRequest (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (tracer === undefined) {
      // Nothing needs the request's state before an error, and the error handler makes it (stateOf):
      // a request that succeeds allocates none.
      if (requestIdHeader !== false) setRequestIdHeader(reply, requestIdHeader, requestIdOf(request))
      return done()
    }
    // The tracer names its span at the start (without a tracer the route is read on first need: the
    // error's log line or event).
    const route = routeOf(request)
    const state: RequestState = { requestId: requestIdOf(request), scope: undefined, error: undefined, message: undefined, route }
    ;(request as unknown as Holder)[kErrcodesState] = state
    if (requestIdHeader !== false) setRequestIdHeader(reply, requestIdHeader, state.requestId)
    const scope = tracer.startRequest(request, route)
    if (scope === undefined) return done()
    state.scope = scope
    reply.header('x-trace-id', scope.traceId)
    bindTraceIds(request, reply, idBinding, scope.traceId, scope.spanId)
    tracer.withScope(request, scope, done)
  }

  function errcodesOnResponse (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const state = (request as unknown as Holder)[kErrcodesState]
    if (tracer !== undefined && state?.scope !== undefined) {
      tracer.finishRequest(request, state.scope, reply.statusCode, state.route ?? routeOf(request))
    }
    done()
  }

  function errcodesOnAbort (request: FastifyRequest, done: HookHandlerDoneFunction): void {
    const state = (request as unknown as Holder)[kErrcodesState]
    if (tracer !== undefined && state?.scope !== undefined) {
      tracer.finishRequest(request, state.scope, 499, routeOf(request))
      state.scope = undefined
    }
    done()
  }

  return {
    onRequest: errcodesOnRequest,
    // Only a tracer needs a hook at the end of every request; the recorder is called from the error
    // handler's listener (error-recording.ts), so an app without a tracer pays for no onResponse hook.
    onResponse: tracer !== undefined ? errcodesOnResponse : undefined,
    onRequestAbort: tracer !== undefined ? errcodesOnAbort : undefined
  }
}
