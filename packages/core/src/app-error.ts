import type { ErrorEntry } from './error-entry.js'
import type { ValidationIssue } from './validation-issues.js'

/** How bad an error is; drives the log level and alerting, never the response. */
export type Severity = 'low' | 'medium' | 'high' | 'critical'

// A registry-wide symbol, so two installed copies of @errcodes/core recognise each other's errors.
const kAppError = Symbol.for('errcodes.AppError')

/** What AppError's constructor takes; users call `entry.create()` instead. */
export interface AppErrorInit<Name extends string = string> {
  readonly entry: ErrorEntry<Name>
  readonly message: string
  readonly params?: Readonly<Record<string, unknown>>
  readonly detail?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
  readonly issues?: readonly ValidationIssue[]
  readonly retryAfter?: number
  /** Keeps the status of a foreign error mapped to a generic entry (a 410 becomes BAD_REQUEST with 410). */
  readonly status?: number
}

/** An error of one catalog entry. `code` is the UPPER_SNAKE name, `errorCode` the number. */
export class AppError<Name extends string = string> extends Error {
  /** The entry's UPPER_SNAKE key (Node, Fastify and OpenTelemetry expect a string `err.code`). */
  declare readonly code: Name
  /** The numeric code (`error_code` on the wire). */
  declare readonly errorCode: number
  declare readonly name: Name
  /** The HTTP status. */
  declare readonly status: number
  declare readonly domain: string
  declare readonly severity: Severity
  /** The message params, as given to `create()`. */
  declare readonly params: Readonly<Record<string, unknown>>
  /** Structured detail for the client, as declared by the entry. */
  declare readonly detail: unknown
  /** Extra response headers (the entry's, then the occurrence's). */
  declare readonly headers: Readonly<Record<string, string>>
  declare readonly messageKey: string
  /** Milliseconds since the epoch. */
  declare readonly timestamp: number
  /** Groups occurrences in error trackers. */
  declare readonly fingerprint: string
  /** Whether the message and detail may reach the client (default: 4xx yes, 5xx no). */
  declare readonly expose: boolean
  /** Seconds for `Retry-After`, when the entry or the occurrence sets one. */
  declare readonly retryAfter: number | undefined
  /** Field-level problems of a validation failure. */
  declare readonly issues: readonly ValidationIssue[] | undefined

  constructor (init: AppErrorInit<Name>) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    const entry = init.entry
    // Enumerable own fields are what loggers show; the entry itself is hidden to keep logs small.
    this.code = entry.name
    this.errorCode = entry.code
    this.name = entry.name
    this.status = init.status ?? entry.status
    this.domain = entry.domain
    this.severity = entry.severity
    this.params = init.params ?? EMPTY
    this.detail = init.detail
    this.headers = init.headers === undefined ? entry.headers : { ...entry.headers, ...init.headers }
    this.messageKey = entry.messageKey
    this.timestamp = Date.now()
    this.fingerprint = `${entry.domain}:${entry.name}`
    this.expose = init.status === undefined ? entry.expose : init.status < 500
    this.retryAfter = init.retryAfter ?? entry.retryAfter
    this.issues = init.issues
    this.#entry = entry
  }

  // Kept off the instance (a private field and prototype accessors, not defineProperty): the object
  // keeps a fast shape, which matters on the error path, and loggers do not see the entry.
  readonly #entry: ErrorEntry<Name>

  /** Same as `status`, for code that reads http-errors' `statusCode` (Fastify does). */
  get statusCode (): number {
    return this.status
  }

  /** The catalog entry this error belongs to. */
  get entry (): ErrorEntry<Name> {
    return this.#entry
  }

  /** A safe JSON view: what a client may see, nothing else (no stack, cause, params or detail). */
  toJSON (): Record<string, unknown> {
    return {
      error_code: this.errorCode,
      error_name: this.code,
      message: this.expose ? this.message : 'Internal server error',
      status_code: this.status
    }
  }
}

// The brand lives on the prototype: every instance carries it without a per-instance property.
Object.defineProperty(AppError.prototype, kAppError, { value: true, enumerable: false })

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null))

/** True for an AppError from any installed copy of @errcodes/core. Never throws (Proxies included). */
export function isAppError (value: unknown): value is AppError {
  try {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kAppError] === true
  } catch {
    return false
  }
}
