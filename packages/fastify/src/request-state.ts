import type { FastifyRequest } from 'fastify'
import type { AppError, TraceScope } from '@errcodes/core'

/** Per-request state lives behind a symbol so it never clashes with user decorations. */
export const kErrcodesState = Symbol('errcodes.request')

/** What the plugin remembers about one request between its hooks. */
export interface RequestState {
  requestId: string
  scope: TraceScope | undefined
  /** Set by the error handler, read when the response has finished (the status is final). */
  error: AppError | undefined
  /** The value the error handler received, before normalization (for the recorder's crash reports). */
  thrown?: unknown
  /** The localized message that was sent, for the recorder. */
  message: string | undefined
  /** The matched route: read in onRequest when a tracer is set, else on first need (the error's log line or event). */
  route: string | undefined
}

/**
 * The request id is Fastify's `request.id`, so that Fastify's log lines (`reqId`), the response
 * header and the body's `request_id` carry one value. `requestIdOptions()` makes that id safe.
 */
export function requestIdOf (request: FastifyRequest): string {
  const id = request.id as unknown
  return typeof id === 'string' ? id : String(id)
}

/** The request's state, created on first use for requests that skipped onRequest (framework errors). */
export function stateOf (request: FastifyRequest): RequestState {
  const holder = request as unknown as Record<symbol, RequestState | null | undefined>
  let state = holder[kErrcodesState]
  if (state === null || state === undefined) {
    state = { requestId: requestIdOf(request), scope: undefined, error: undefined, message: undefined, route: undefined }
    holder[kErrcodesState] = state
  }
  return state
}

/** The path of a URL without its query string (query values never reach bodies, labels or spans). */
export function pathOf (url: string): string {
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  return path.length > 2048 ? path.slice(0, 2048) : path
}
