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

// What Node accepts in a header value; anything else makes it throw when the response is written.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The request id as a response header value: as it is, or percent-encoded (UTF-8) when Node would refuse
 * it, so a custom genReqId's id with Cyrillic letters or a line break cannot fail every response. The
 * body and the log lines keep the id itself. `requestIdOptions()` ids are always sent as they are.
 */
export function requestIdHeaderValue (id: string): string {
  if (HEADER_VALUE.test(id)) return id
  let out = ''
  for (const byte of Buffer.from(id, 'utf8')) {
    out += byte > 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
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
