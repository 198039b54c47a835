import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { Attributes, Span } from '@opentelemetry/api'
import { isAppError, isErrorLike, maskString, normalizeError, redact } from '@errcodes/core'
import type { AppError } from '@errcodes/core'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions'

/** Options of recordError. */
export interface RecordErrorOptions {
  /** The HTTP status the failure produced; default the error's own status. */
  readonly status?: number
  /** On SERVER spans, record 4xx like 5xx (error.type and an exception event); the status stays unset. Default false. */
  readonly recordClientErrors?: boolean
}

/** Custom attribute names (the app's own namespace, as semantic conventions ask). */
export const ATTR_ERRCODES_CODE = 'errcodes.code'
/** The error's UPPER_SNAKE name. */
export const ATTR_ERRCODES_NAME = 'errcodes.name'
/** The error's domain (AUTH, RESOURCE, …). */
export const ATTR_ERRCODES_DOMAIN = 'errcodes.domain'

const MAX_DESCRIPTION = 1024
// The working directory in stack frames tells where and as whom the service runs; frames keep relative paths.
const CWD = process.cwd()

/**
 * Records an error on any span: errcodes attributes always; `error.type`, status ERROR with a masked
 * description and one masked exception event when it is a failure. On a SERVER span a 4xx is the
 * client's mistake, so its status stays unset (semantic conventions) and no exception is recorded.
 * Any thrown value is accepted (normalized by @errcodes/core). Never throws, except a TypeError for a
 * misspelled option (`stauts`): a coding mistake, not a run-time failure.
 */
export function recordError (span: Span, error: unknown, options: RecordErrorOptions = {}): void {
  checkOptionKeys(options)
  try {
    if (span === undefined || span === null || !span.isRecording()) return
    const appError = isAppError(error) ? error : normalizeError(error)
    const status = options.status ?? appError.status
    const server = (span as { kind?: SpanKind }).kind === SpanKind.SERVER
    applyError(span, appError, status < 500 && server, options.recordClientErrors === true)
  } catch {
    // Tracing must never break the error path.
  }
}

const RECORD_ERROR_KEYS: ReadonlyArray<keyof RecordErrorOptions> = ['status', 'recordClientErrors']

// Runs on every recorded error: a for-in and a switch, no allocation unless a key is unknown.
function checkOptionKeys (options: object): void {
  if (typeof options !== 'object' || options === null) return
  for (const key in options) {
    switch (key) {
      case 'status': case 'recordClientErrors': continue
    }
    rejectUnknownKeys('recordError', options, RECORD_ERROR_KEYS)
  }
}

/** Writes the error onto a recording span; `clientError` marks a 4xx on a SERVER span. */
export function applyError (span: Span, error: AppError, clientError: boolean, recordClientErrors: boolean): void {
  const attributes: Attributes = {
    [ATTR_ERRCODES_CODE]: error.errorCode,
    [ATTR_ERRCODES_NAME]: error.name,
    [ATTR_ERRCODES_DOMAIN]: error.domain
  }
  // error.type names the error on every failed request, so dashboards can group by it; a 4xx still
  // leaves a SERVER span's status unset and gets no exception event unless asked.
  attributes[ATTR_ERROR_TYPE] = error.name
  const failure = !clientError || recordClientErrors
  span.setAttributes(attributes)
  if (!clientError) span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) })
  if (failure && !hasException(span)) {
    span.recordException({ name: error.name, message: describe(error), stack: stackOf(error) })
  }
}

/** The masked, bounded message used as status description and exception message. */
function describe (error: AppError): string {
  const message = String(error.message)
  return maskString(message.length > MAX_DESCRIPTION ? message.slice(0, MAX_DESCRIPTION) : message)
}

/** The masked stack, followed by the cause's (the real fault location of a normalized error). */
function stackOf (error: AppError): string {
  let stack = typeof error.stack === 'string' ? error.stack : `${error.name}: ${error.message}`
  const cause = error.cause
  if (isErrorLike(cause) && typeof cause.stack === 'string') stack += `\nCaused by: ${cause.stack}`
  else if (cause !== undefined && !isErrorLike(cause)) stack += `\nCaused by: ${typeof cause} thrown`
  const masked = redact(stack.split(CWD).join('.'))
  return typeof masked === 'string' ? masked : ''
}

/** True when the span already carries an exception event: semantic conventions ask for one per error. */
function hasException (span: Span): boolean {
  const events = (span as { events?: ReadonlyArray<{ name: string }> }).events
  return Array.isArray(events) && events.some(event => event.name === 'exception')
}
