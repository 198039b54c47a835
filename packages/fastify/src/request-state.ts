import type { FastifyReply, FastifyRequest } from 'fastify'
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

// Visible ASCII but `%`: an id of these is its own header value (requestIdOptions() ids always are).
const AS_IS = /^[\x21-\x24\x26-\x7e]*$/
// Clients' header limits (undici's is 16 KiB for all headers): a longer id is not sent in a header.
const MAX_ID_HEADER = 1024

/**
 * The request id as a response header value: percent-encoded, each character but visible ASCII (and `%`
 * itself) as its UTF-8 bytes, so `decodeURIComponent` gives the id back. Ids of ASCII letters, digits
 * and punctuation other than `%` are unchanged; a custom genReqId's Cyrillic letters, spaces or line
 * break cannot make Node refuse every response. Undefined when the encoded id exceeds 1,024 characters.
 */
export function requestIdHeaderValue (id: string): string | undefined {
  // Encoding never shortens: an id longer than the limit is not sent, whatever it holds.
  if (id.length > MAX_ID_HEADER) return undefined
  if (AS_IS.test(id)) return id
  let out = ''
  for (const byte of Buffer.from(id, 'utf8')) {
    out += byte > 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    if (out.length > MAX_ID_HEADER) return undefined
  }
  return out
}

/** Sets the request id header, encoded as requestIdHeaderValue() says; an id too long for it is not sent. */
export function setRequestIdHeader (reply: FastifyReply, name: string, id: string): void {
  const value = requestIdHeaderValue(id)
  if (value !== undefined) reply.header(name, value)
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
