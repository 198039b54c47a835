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
 */
export function normalizeError (value: unknown, catalog?: Catalog): AppError {
  if (isAppError(value)) return value
  const pick = (name: BuiltinName): ErrorEntry => catalog?.get(name) ?? (builtinErrors.get(name) as ErrorEntry)
  let code: unknown
  let status: unknown
  let validation: unknown
  let context: unknown
  let type: unknown
  let retryAfter: number | undefined
  try {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      const v = value as Record<string, unknown>
      code = v.code
      status = typeof v.statusCode === 'number' ? v.statusCode : v.status
      validation = v.validation
      context = v.validationContext
      type = v.type
      retryAfter = retryAfterOf(v.headers)
    }
  } catch {
    return internal(pick, value)
  }
  try {
    if (code === 'FST_ERR_VALIDATION' || (Array.isArray(validation) && (status === 400 || status === undefined))) {
      return create(pick('VALIDATION_FAILED'), value, { issues: issuesFromAjv(validation, context) })
    }
    const known = typeof code === 'string' ? FRAMEWORK_CODES[code] : typeof type === 'string' ? FRAMEWORK_CODES[type] : undefined
    // A framework 4xx without its own entry (414 for a too-long param) keeps its status as BAD_REQUEST.
    if (known !== undefined) return create(pick(known), value, { status: known === 'BAD_REQUEST' && isClientStatus(status) && status !== 400 ? status : undefined })
    if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) {
      const name = STATUS_ENTRIES[status]
      if (name !== undefined) return create(pick(name), value, { retryAfter })
      return create(pick(status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR'), value, { status, retryAfter })
    }
  } catch {
    // Fall through to the generic internal error below.
  }
  return internal(pick, value)
}

function internal (pick: (name: BuiltinName) => ErrorEntry, value: unknown): AppError {
  return create(pick('INTERNAL_ERROR'), value, {})
}

function create (entry: ErrorEntry, cause: unknown, extra: { issues?: AppError['issues'], status?: number, retryAfter?: number }): AppError {
  // Capturing a stack here would only show normalizeError's callers: the useful stack is the thrown
  // value's, which the err serializer prints from `cause` when a log line is actually written.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  let err: AppError
  try {
    err = new AppError({
      entry,
      message: entry.render(undefined),
      cause,
      issues: extra.issues,
      status: extra.status,
      retryAfter: extra.retryAfter
    })
  } finally {
    Error.stackTraceLimit = limit
  }
  return err
}

/** A numeric `Retry-After` of a foreign error's headers, the only header worth keeping from it. */
function retryAfterOf (headers: unknown): number | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined
  const raw = (headers as Record<string, unknown>)['retry-after'] ?? (headers as Record<string, unknown>)['Retry-After']
  const n = typeof raw === 'string' ? Number(raw) : raw
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 86400 * 7 ? n : undefined
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
