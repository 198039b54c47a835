import { types } from 'node:util'
import { AppError, isAppError } from './app-error.js'
import { builtinErrors, type BuiltinName } from './builtin-errors.js'
import type { Catalog } from './catalog.js'
import type { ErrorEntry } from './error-entry.js'
import { issuesFromAjv } from './validation-issues.js'

// Fastify's own codes (and body-parser's `type`s) that have a dedicated built-in entry.
const FRAMEWORK_CODES: Readonly<Record<string, BuiltinName>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_NOT_FOUND: 'ROUTE_NOT_FOUND',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'BAD_REQUEST',
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'MALFORMED_BODY'
}

// Statuses of foreign errors (http-errors, @fastify/error, @fastify/sensible) with a dedicated entry.
const STATUS_ENTRIES: Readonly<Record<number, BuiltinName>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT'
}

/**
 * Turns any thrown value into an AppError of the right entry. Our errors pass through; Fastify
 * validation and body-parser errors get their built-in entries; objects with an HTTP `statusCode`
 * are mapped by status; everything else is INTERNAL_ERROR. Only known fields are read (guarded
 * against throwing getters and Proxies), and the original value is kept as `cause` for the logs only.
 *
 * As Fastify's default handler does: a value without its own 4xx/5xx status takes `replyStatus`
 * (what `reply.code(409).send(err)` set) when that is 400–599; the error's `headers` are kept
 * (validated); and a 4xx meant to be shown (`expose !== false`) keeps its own message, which the
 * caller must mask before it reaches a client. 5xx messages are never kept.
 */
export function normalizeError (value: unknown, catalog?: Catalog, replyStatus?: number): AppError {
  if (isAppError(value)) return value
  const pick = (name: BuiltinName): ErrorEntry => catalog?.get(name) ?? (builtinErrors.get(name) as ErrorEntry)
  let code: unknown
  let status: unknown
  let validation: unknown
  let context: unknown
  let type: unknown
  let message: unknown
  let expose: unknown
  let retryAfter: number | undefined
  let headers: Record<string, string> | undefined
  try {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      const v = value as Record<string, unknown>
      code = v.code
      status = typeof v.statusCode === 'number' ? v.statusCode : v.status
      validation = v.validation
      context = v.validationContext
      type = v.type
      message = v.message
      expose = v.expose
      const raw = v.headers
      if (raw !== undefined && raw !== null) {
        retryAfter = retryAfterOf(raw)
        headers = headersOf(raw)
      }
    }
  } catch {
    return internal(pick, value, replyStatus)
  }
  try {
    if (code === 'FST_ERR_VALIDATION' || (Array.isArray(validation) && (status === 400 || status === undefined))) {
      return create(pick('VALIDATION_FAILED'), value, { issues: validationIssues(validation, context, message), headers })
    }
    const known = typeof code === 'string' ? FRAMEWORK_CODES[code] : typeof type === 'string' ? FRAMEWORK_CODES[type] : undefined
    // A framework 4xx without its own entry (414 for a too-long param) keeps its status as BAD_REQUEST.
    if (known !== undefined) return create(pick(known), value, { status: known === 'BAD_REQUEST' && isClientStatus(status) && status !== 400 ? status : undefined, headers })
    if (!isErrorStatus(status)) status = isErrorStatus(replyStatus) ? replyStatus : undefined
    if (status !== undefined) {
      const s = status as number
      // http-errors and @fastify/error mean a 4xx message for the client; 5xx text stays in the logs.
      const shown = s < 500 && expose !== false && typeof message === 'string' && message !== '' ? message.slice(0, MAX_MESSAGE) : undefined
      const name = STATUS_ENTRIES[s]
      if (name !== undefined) return create(pick(name), value, { retryAfter, headers, message: shown })
      return create(pick(s < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR'), value, { status: s, retryAfter, headers, message: shown })
    }
  } catch {
    // Fall through to the generic internal error below.
  }
  return internal(pick, value, replyStatus)
}

/**
 * The issues of a validation failure. Ajv's errors become one issue each; the message of a non-Ajv
 * validator (joi, a custom validatorCompiler) or of a custom `schemaErrorFormatter` is kept as an
 * issue of keyword `custom` (its text is the validator's, not ours: the caller masks it).
 */
function validationIssues (validation: unknown, context: unknown, message: unknown): AppError['issues'] {
  const issues = issuesFromAjv(validation, context)
  if (typeof message !== 'string' || message === '') return issues
  const standard = defaultFormat(validation, context)
  // Ajv errors that cannot even be read: no way to tell a custom message from Fastify's, keep Ajv's only.
  if (standard === null || message === standard) return issues
  const location = typeof context === 'string' && /^[a-z]{1,16}$/i.test(context) ? context : 'body'
  issues.unshift({ location, field: '', pointer: '', keyword: 'custom', message: message.slice(0, MAX_MESSAGE), params: {} })
  return issues
}

/** The message Fastify's default schemaErrorFormatter makes of Ajv's errors (`body/name must be string, …`). */
function defaultFormat (validation: unknown, context: unknown): string | undefined | null {
  if (!Array.isArray(validation) || validation.length === 0) return undefined
  try {
    let text = ''
    for (const e of validation as Array<{ instancePath?: unknown, message?: unknown }>) {
      text += `${String(context)}${typeof e?.instancePath === 'string' ? e.instancePath : ''} ${String(e?.message)}, `
    }
    return text.slice(0, -2)
  } catch {
    return null
  }
}

function internal (pick: (name: BuiltinName) => ErrorEntry, value: unknown, replyStatus: number | undefined): AppError {
  // A value that could not be read still answers with the status the reply was given; nothing of it is shown.
  if (isErrorStatus(replyStatus)) {
    const name = STATUS_ENTRIES[replyStatus]
    return create(pick(name ?? (replyStatus < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR')), value, { status: name === undefined ? replyStatus : undefined })
  }
  return create(pick('INTERNAL_ERROR'), value, {})
}

interface CreateExtra {
  issues?: AppError['issues']
  status?: number
  retryAfter?: number
  headers?: Record<string, string>
  message?: string
}

function create (entry: ErrorEntry, cause: unknown, extra: CreateExtra): AppError {
  // Capturing a stack here would only show normalizeError's callers: the useful stack is the thrown
  // value's, which the err serializer prints from `cause` when a log line is actually written.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  let err: AppError
  try {
    err = new AppError({
      entry,
      message: extra.message ?? entry.render(undefined),
      cause,
      issues: extra.issues,
      status: extra.status,
      retryAfter: extra.retryAfter,
      headers: extra.headers
    })
  } finally {
    Error.stackTraceLimit = limit
  }
  return err
}

/** A `Retry-After` of a foreign error's headers, in seconds (delta-seconds or an HTTP date). */
function retryAfterOf (headers: unknown): number | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined
  return retryAfterSeconds((headers as Record<string, unknown>)['retry-after'] ?? (headers as Record<string, unknown>)['Retry-After'])
}

/**
 * A `Retry-After` value (number, delta-seconds string or HTTP date) as whole seconds from now,
 * or undefined when it is not one (or beyond a week). Used for an error's own headers and for a
 * header another plugin already set on the reply.
 */
export function retryAfterSeconds (raw: unknown, now?: number): number | undefined {
  let n: number
  if (typeof raw === 'number') n = raw
  else if (typeof raw === 'string' && raw.length <= 64) {
    if (DELTA_SECONDS.test(raw)) n = Number(raw)
    // The clock is read only here: the error handler asks on every error, and most carry no Retry-After.
    else if (HTTP_DATE.test(raw)) n = Math.max(0, Math.ceil((Date.parse(raw) - (now ?? Date.now())) / 1000))
    else return undefined
  } else return undefined
  return Number.isInteger(n) && n >= 0 && n <= MAX_RETRY_AFTER ? n : undefined
}

const MAX_RETRY_AFTER = 86400 * 7
const DELTA_SECONDS = /^\s*\d{1,9}\s*$/
// IMF-fixdate, the form RFC 9110 requires senders to generate: `Sun, 06 Nov 1994 08:49:37 GMT`.
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/
const MAX_MESSAGE = 1024
const MAX_HEADERS = 32
const MAX_HEADER_VALUE = 4096
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/
// Visible ASCII, space, tab and obs-text: never CR, LF or NUL (response splitting).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
// Headers that describe the body or the connection: the error handler sets the body, Node the rest.
// Retry-After is carried as a number (retryAfter), so header and body always agree.
const NOT_COPIED = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'set-cookie', 'retry-after'])

/**
 * The headers of a foreign error (`WWW-Authenticate` of a 401, `Allow` of a 405), as Fastify's
 * default handler sends them: names lower-cased, only valid names and values, bounded in count and size.
 */
function headersOf (raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  let out: Record<string, string> | undefined
  let count = 0
  for (const key of Object.keys(raw)) {
    if (++count > MAX_HEADERS) break
    const name = key.toLowerCase()
    if (!HEADER_NAME.test(name) || NOT_COPIED.has(name)) continue
    const value = (raw as Record<string, unknown>)[key]
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
    if (text === undefined || text.length > MAX_HEADER_VALUE || !HEADER_VALUE.test(text)) continue
    out ??= Object.create(null) as Record<string, string>
    out[name] = text
  }
  return out
}

function isErrorStatus (status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
}

function isClientStatus (status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499
}

/** True for Error objects from any realm. */
export function isErrorLike (value: unknown): value is Error {
  try {
    return types.isNativeError(value) || value instanceof Error
  } catch {
    return false
  }
}
