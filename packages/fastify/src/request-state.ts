import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { AppError, TraceScope } from '@errcodes/core'

/** Per-request state lives behind a symbol so it never clashes with user decorations. */
export const kErrcodesState = Symbol('errcodes.request')

/** What the plugin remembers about one request between its hooks. */
export interface RequestState {
  requestId: string
  scope: TraceScope | undefined
  /** Set by the error handler, read in onResponse once the status is final. */
  error: AppError | undefined
  /** The value the error handler received, before normalization (for the recorder's crash reports). */
  thrown?: unknown
  /** The localized message that was sent, for the recorder. */
  message: string | undefined
  /** The matched route, read once in onRequest when a tracer or recorder needs it again in onResponse. */
  route: string | undefined
}

// Letters, digits and a few separators: enough for UUIDs, ULIDs and trace-style ids, never CR/LF.
const SANE_ID = /^[\w.:\-/+=@]{1,128}$/

/** The caller's request id when it is a sane value, else a new UUID. */
export function requestIdOf (request: FastifyRequest, header: string | false): string {
  if (header !== false) {
    const incoming = request.headers[header]
    if (typeof incoming === 'string' && SANE_ID.test(incoming)) return incoming
  }
  return randomUUID()
}

/** The request's state, created on first use for requests that skipped onRequest (framework errors). */
export function stateOf (request: FastifyRequest, header: string | false): RequestState {
  const holder = request as unknown as Record<symbol, RequestState | null | undefined>
  let state = holder[kErrcodesState]
  if (state === null || state === undefined) {
    state = { requestId: requestIdOf(request, header), scope: undefined, error: undefined, message: undefined, route: undefined }
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
