import { createRedactor, maskPath, maskString } from '@errcodes/core'
import { maskUrl, scrubAttributes, scrubSpan, type SentrySpanLike } from './sentry-span-scrub.js'

/** A Sentry event, as far as scrubbing goes. */
export interface SentryEventLike {
  type?: string
  message?: unknown
  logentry?: { message?: unknown, params?: unknown }
  exception?: { values?: Array<{ type?: unknown, value?: unknown, stacktrace?: { frames?: SentryFrameLike[] } }> }
  extra?: unknown
  tags?: unknown
  contexts?: Record<string, unknown>
  request?: Record<string, unknown>
  user?: unknown
  transaction?: unknown
  breadcrumbs?: Array<{ message?: unknown, data?: unknown }>
  spans?: SentrySpanLike[]
  [key: string]: unknown
}

/** A stack frame, as far as scrubbing goes. */
export interface SentryFrameLike {
  vars?: unknown
  pre_context?: unknown
  context_line?: unknown
  post_context?: unknown
}

// Headers kept in a report; the rest (cookies, auth, forwarded addresses) identify users.
const SAFE_HEADERS = ['accept', 'accept-language', 'content-length', 'content-type', 'host', 'user-agent']
const MAX_TEXT = 4096
const scrubData = createRedactor({ maxDepth: 6, maxKeys: 100, maxItems: 50, maxString: 2048 })

/**
 * Masks an event in place with the core redactor: exception types and values (every linked
 * exception too), message, frame variables, extra, tags, contexts, user, breadcrumbs, transaction
 * name and request (URL path percent-decoded before masking; query, cookies and body dropped), and
 * for a transaction its spans and root span data (see `scrubSpan`).
 * Returns null, so the event is not sent, when it cannot be scrubbed.
 */
export function scrubEvent<E extends SentryEventLike> (event: E): E | null {
  try {
    for (const exception of event.exception?.values ?? []) {
      if (typeof exception.value === 'string') exception.value = text(exception.value)
      if (typeof exception.type === 'string') exception.type = text(exception.type).slice(0, 256)
      for (const frame of exception.stacktrace?.frames ?? []) scrubFrame(frame)
    }
    if (typeof event.message === 'string') event.message = text(event.message)
    if (event.logentry !== undefined) {
      if (typeof event.logentry.message === 'string') event.logentry.message = text(event.logentry.message)
      if (event.logentry.params !== undefined) event.logentry.params = scrubData(event.logentry.params)
    }
    // `GET /users/jane%40example.com` when no route matched: decoded and masked like a path.
    if (typeof event.transaction === 'string') event.transaction = maskPath(event.transaction)
    if (event.extra !== undefined) event.extra = scrubNamed(event.extra)
    if (event.tags !== undefined) event.tags = scrubNamed(event.tags)
    if (event.contexts !== undefined) event.contexts = scrubContexts(event.contexts)
    // A transaction (traceLifecycle 'static'): its spans hold URLs, names and attributes of the request.
    if (Array.isArray(event.spans)) for (const span of event.spans) scrubSpan(span)
    if (event.user !== undefined) event.user = scrubUser(event.user)
    for (const crumb of event.breadcrumbs ?? []) {
      if (typeof crumb.message === 'string') crumb.message = text(crumb.message)
      if (crumb.data !== undefined) crumb.data = scrubData(crumb.data)
    }
    if (event.request !== undefined) event.request = scrubRequest(event.request)
    return event
  } catch {
    return null
  }
}

function scrubFrame (frame: SentryFrameLike): void {
  // Local variables (includeLocalVariables) are data, not code locations.
  if (frame.vars !== undefined) frame.vars = scrubData(frame.vars)
  // Source lines (contextLinesIntegration) can hold a hard-coded key or address like any other text.
  if (typeof frame.context_line === 'string') frame.context_line = text(frame.context_line)
  if (Array.isArray(frame.pre_context)) frame.pre_context = frame.pre_context.map(line => typeof line === 'string' ? text(line) : '')
  if (Array.isArray(frame.post_context)) frame.post_context = frame.post_context.map(line => typeof line === 'string' ? text(line) : '')
}

function text (value: string): string {
  return maskString(value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value)
}

/**
 * Redacts values, and masks the names too: integrations name entries after data (extraErrorData
 * files an error's props under the error's name, which may hold an e-mail).
 */
function scrubNamed (value: unknown): unknown {
  const data = scrubData(value)
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data
  const out: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(data)) out[maskString(key)] = entry
  return out
}

function scrubContexts (contexts: Record<string, unknown>): Record<string, unknown> {
  const trace = contexts.trace as Record<string, unknown> | undefined
  const out = scrubNamed(contexts) as Record<string, unknown>
  if (typeof trace === 'object' && trace !== null) {
    // Trace and span ids are hex: the value patterns (cards, phones) could match digits inside one and
    // break the link to the trace. The ids are kept verbatim; the span's data is masked like a span's.
    const masked = out.trace as Record<string, unknown>
    for (const key of ['trace_id', 'span_id', 'parent_span_id']) {
      if (typeof trace[key] === 'string' && /^[0-9a-f]{16,32}$/.test(trace[key])) masked[key] = trace[key]
    }
    if (typeof trace.data === 'object' && trace.data !== null && !Array.isArray(trace.data)) masked.data = scrubAttributes(trace.data as Record<string, unknown>)
  }
  return out
}

function scrubUser (user: unknown): unknown {
  if (typeof user !== 'object' || user === null) return undefined
  const out = scrubData(user) as Record<string, unknown>
  // An IP address is personal data that no pattern recognises; Sentry must not infer one either.
  delete out.ip_address
  delete out.geo
  return out
}

function scrubRequest (request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (typeof request.method === 'string') out.method = request.method.slice(0, 16)
  if (typeof request.url === 'string') out.url = maskUrl(request.url)
  if (typeof request.headers === 'object' && request.headers !== null) {
    const headers: Record<string, unknown> = {}
    for (const name of SAFE_HEADERS) {
      const value = (request.headers as Record<string, unknown>)[name]
      if (typeof value === 'string') headers[name] = text(value.slice(0, 512))
    }
    out.headers = headers
  }
  // Bodies, cookies and query strings carry user data that no error report needs.
  return out
}
