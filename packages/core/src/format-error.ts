import type { AppError } from './app-error.js'
import type { ErrorFormat } from './pick-format.js'
import { isoTimestamp } from './iso-timestamp.js'
import { isErrorLike } from './normalize-error.js'
import { createRedactor, maskString } from './redact.js'
import type { ValidationIssue } from './validation-issues.js'
import { rejectUnknownKeys } from './option-keys.js'

/** What the formatter needs besides the error. Everything is optional. */
export interface FormatContext {
  readonly format?: ErrorFormat
  /** The localized message; used only when the error is exposed. */
  readonly message?: string
  /** The localized generic message shown instead of an unexposed (5xx) error's message. */
  readonly genericMessage?: string
  /** The locale that produced the message (sets `Content-Language`). */
  readonly locale?: string
  readonly requestId?: string
  readonly traceId?: string
  /** The request path, the problem format's `instance`. */
  readonly instance?: string
  /** Adds stack and cause chain to the body. Never on in production. */
  readonly debug?: boolean
  /** Base of the problem `type` URI; the error name is appended. Default `urn:errcodes:`. */
  readonly typeBaseUrl?: string
  /** Localized validation issues; default: the error's own. */
  readonly issues?: readonly ValidationIssue[]
  /**
   * Seconds for `Retry-After` and `retry_after`, when the caller found a more specific value than
   * the entry's default (a rate limiter's header already on the reply). Default: the error's.
   */
  readonly retryAfter?: number
}

/** The body of either format (see DESIGN.md's wire formats). */
export type ErrorBody = Record<string, unknown>

/** A response ready to send: status, headers and a plain JSON-safe body. */
export interface FormattedError {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: ErrorBody
}

/** Content types of the two formats. */
export const CONTENT_TYPES: Readonly<Record<ErrorFormat, string>> = {
  json: 'application/json; charset=utf-8',
  problem: 'application/problem+json; charset=utf-8'
}

const GENERIC_MESSAGE = 'Internal server error'
const MAX_STACK_LINES = 50
const MAX_CAUSES = 5
// Key masking only: detail is declared by the catalog, but a password or token never belongs in a body.
const cleanDetail = createRedactor({ values: false })

/** Every key of `formatError`'s context. */
export const CONTEXT_KEYS: ReadonlyArray<keyof FormatContext> = ['format', 'message', 'genericMessage', 'locale', 'requestId', 'traceId', 'instance', 'debug', 'typeBaseUrl', 'issues', 'retryAfter']

// Runs on every failed request: a for-in and a switch, no allocation unless a key is unknown
// (`formt` would silently answer the default format).
function checkContextKeys (context: object): void {
  for (const key in context) {
    switch (key) {
      case 'format': case 'message': case 'genericMessage': case 'locale': case 'requestId': case 'traceId':
      case 'instance': case 'debug': case 'typeBaseUrl': case 'issues': case 'retryAfter': continue
    }
    rejectUnknownKeys('formatError', context, CONTEXT_KEYS)
  }
}

/**
 * Turns an AppError into `{ status, headers, body }` in the chosen format. Only catalog-declared
 * fields reach the body; a 5xx message is replaced by a generic one unless the entry is exposed.
 */
export function formatError (error: AppError, context: FormatContext = {}): FormattedError {
  checkContextKeys(context)
  const format = context.format ?? 'json'
  const status = error.status
  const message = error.expose ? (context.message ?? error.message) : (context.genericMessage ?? GENERIC_MESSAGE)
  const headers: Record<string, string> = { ...error.headers, 'content-type': CONTENT_TYPES[format] }
  if (context.locale !== undefined) headers['content-language'] = context.locale
  // One value for the header and the body: they must never disagree.
  const retryAfter = context.retryAfter ?? error.retryAfter
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
  const issues = context.issues ?? error.issues
  const cleaned = error.expose && error.detail !== undefined ? cleanDetail(error.detail) : undefined
  // Both schemas declare detail an object: a null, array or string detail (from plain JS callers) is left out.
  const detail = typeof cleaned === 'object' && cleaned !== null && !Array.isArray(cleaned) ? cleaned : undefined

  // Fields are added in wire order by assignment (no spreads): this runs on every failed request.
  const body: ErrorBody = {}
  if (format === 'problem') {
    body.type = (context.typeBaseUrl ?? 'urn:errcodes:') + error.code
    body.title = error.entry.title
    body.status = status
    body.detail = message
    if (context.instance !== undefined) body.instance = context.instance
    body.error_code = error.errorCode
    body.error_name = error.code
    body.timestamp = isoTimestamp(error.timestamp)
    if (detail !== undefined) body.details = detail
  } else {
    body.error_code = error.errorCode
    body.error_name = error.code
    body.message = message
    if (detail !== undefined) body.detail = detail
    body.status_code = status
    body.timestamp = isoTimestamp(error.timestamp)
  }
  if (context.requestId !== undefined) body.request_id = context.requestId
  if (context.traceId !== undefined) body.trace_id = context.traceId
  if (retryAfter !== undefined) body.retry_after = retryAfter
  if (issues !== undefined && issues.length > 0) body.errors = issues
  if (context.debug === true) {
    body.stack = stackLines(error)
    const causes = maskedCauses(error.cause)
    if (causes.length > 0) body.cause = causes
  }
  return { status, headers, body }
}

function stackLines (error: AppError): string[] {
  try {
    let stack = String(error.stack ?? '')
    // A normalized foreign error has no frames of its own (normalizeError captures none): the stack a
    // developer needs is the thrown value's.
    if (!stack.includes('\n    at ') && isErrorLike(error.cause)) stack = String(error.cause.stack ?? error.cause.message)
    // Frames are code locations; the header (name and message, maybe several lines) can carry data.
    return stack.split('\n', MAX_STACK_LINES).map(l => {
      const line = l.trim().slice(0, 512)
      return line.startsWith('at ') ? line : maskString(line)
    })
  } catch {
    return []
  }
}

/** The cause chain for a debug body: names and messages masked like the stack's header. */
function maskedCauses (cause: unknown): Array<{ name: string, message: string }> {
  return causeChain(cause).map(c => ({ name: maskString(c.name), message: maskString(c.message) }))
}

/** The cause chain as `{ name, message }` pairs, cycle-safe and capped. */
export function causeChain (cause: unknown): Array<{ name: string, message: string }> {
  const out: Array<{ name: string, message: string }> = []
  const seen = new Set<unknown>()
  let current = cause
  while (current !== undefined && current !== null && out.length < MAX_CAUSES && !seen.has(current)) {
    seen.add(current)
    try {
      if (typeof current === 'object') {
        const c = current as { name?: unknown, message?: unknown, cause?: unknown }
        out.push({ name: String(c.name ?? 'Error').slice(0, 128), message: String(c.message ?? '').slice(0, 1024) })
        current = c.cause
      } else {
        out.push({ name: typeof current, message: String(current).slice(0, 1024) })
        current = undefined
      }
    } catch {
      out.push({ name: 'Unreadable', message: '' })
      current = undefined
    }
  }
  return out
}
