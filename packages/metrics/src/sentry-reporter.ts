import { createRedactor, maskString, type AppError } from '@errcodes/core'

/** The part of a Sentry client (v8+ `Client`, `Sentry.getClient()`) the reporter calls. */
export interface SentryClientLike {
  captureException (exception: unknown, hint?: Record<string, unknown>, scope?: unknown): unknown
  addEventProcessor? (processor: (event: SentryEventLike, hint: { originalException?: unknown }) => SentryEventLike | null): void
  flush? (timeout?: number): PromiseLike<boolean>
  close? (timeout?: number): PromiseLike<boolean>
}

/** The `sentry` option: a DSN (the reporter owns a client) or a client the application made. */
export interface SentryOptions {
  /** DSN of the project; the reporter creates its own client (never `Sentry.init`). */
  readonly dsn?: string
  readonly environment?: string
  readonly release?: string
  /** An existing client instead of a DSN. */
  readonly client?: SentryClientLike
  /** Also report 4xx errors (default false: only 5xx and codes outside the catalog). */
  readonly report4xx?: boolean
}

/** A Sentry event, as far as scrubbing goes. */
export interface SentryEventLike {
  message?: unknown
  exception?: { values?: Array<{ value?: unknown }> }
  extra?: unknown
  contexts?: unknown
  request?: Record<string, unknown>
  user?: unknown
  breadcrumbs?: Array<{ message?: unknown, data?: unknown }>
  [key: string]: unknown
}

// Marks an error this package reported, and a client whose events it already scrubs.
const kReported = Symbol.for('errcodes.sentryReported')
const kScrubbing = Symbol.for('errcodes.sentryScrubbing')
/** Errors waiting for the next turn beyond this are dropped (and counted), never buffered forever. */
const MAX_QUEUE = 100
// Headers kept in a report; the rest (cookies, auth, forwarded addresses) identify users.
const SAFE_HEADERS = ['accept', 'accept-language', 'content-length', 'content-type', 'host', 'user-agent']
const scrubData = createRedactor({ maxDepth: 6, maxKeys: 100, maxItems: 50, maxString: 2048 })

/**
 * Reports server faults to Sentry, once, off the request path: `report()` queues and returns; the
 * queue is drained on the next turn of the event loop, after @sentry/node was imported lazily.
 */
export class SentryReporter {
  /** Errors dropped because the queue was full or Sentry failed. */
  dropped = 0
  private readonly options: SentryOptions
  private readonly queue: AppError[] = []
  private scheduled = false
  private client: SentryClientLike | undefined
  private readonly ready: Promise<SentryClientLike | undefined>

  constructor (options: SentryOptions) {
    this.options = options
    this.ready = this.connect().catch(() => undefined)
  }

  /** Whether an error of this status goes to Sentry. */
  wants (status: unknown, known: boolean): boolean {
    return !known || !(typeof status === 'number' && status < 500) || this.options.report4xx === true
  }

  /** Queues one error. Never throws, never waits. */
  report (error: AppError): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped++
      return
    }
    this.queue.push(error)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => { this.drain().catch(() => {}) })
    }
  }

  /** Sends what is queued, then waits for the client's transport (up to `timeout` ms). */
  async flush (timeout = 2000): Promise<boolean> {
    await this.drain()
    const client = await this.ready
    return client?.flush === undefined ? true : await client.flush(timeout)
  }

  /** Flushes and closes the client the reporter created (a given client is left open). */
  async close (timeout = 2000): Promise<void> {
    await this.flush(timeout)
    const client = await this.ready
    if (this.options.client === undefined && client?.close !== undefined) await client.close(timeout)
  }

  private async drain (): Promise<void> {
    const client = await this.ready
    this.scheduled = false
    const batch = this.queue.splice(0, this.queue.length)
    for (const error of batch) {
      if (client === undefined) {
        this.dropped++
        continue
      }
      try {
        this.capture(client, error)
      } catch {
        this.dropped++
      }
    }
  }

  private capture (client: SentryClientLike, error: AppError): void {
    if (alreadyReported(error)) return
    Object.defineProperty(error, kReported, { value: true, enumerable: false })
    const name = String(error.name)
    client.captureException(error, {
      mechanism: { type: 'errcodes', handled: true },
      captureContext: {
        tags: { error_code: String(error.errorCode), error_name: name, domain: String(error.domain) },
        fingerprint: [name],
        level: error.status >= 500 ? 'error' : 'warning'
      }
    })
    // Sentry's own integrations check this flag on the thrown value (the cause), so none reports it again.
    markChain(error)
  }

  private async connect (): Promise<SentryClientLike | undefined> {
    const given = this.options.client
    if (given !== undefined) {
      const marked = given as unknown as Record<symbol, unknown>
      if (marked[kScrubbing] !== true && typeof given.addEventProcessor === 'function') {
        // Scrub only what this package reports; the application's other events are its business.
        given.addEventProcessor((event, hint) => isOurs(hint.originalException) ? scrubEvent(event) : event)
        Object.defineProperty(given, kScrubbing, { value: true })
      }
      return given
    }
    // Loaded only when configured, so @sentry/node stays an optional peer.
    const Sentry = await import('@sentry/node')
    const client = new Sentry.NodeClient({
      dsn: this.options.dsn,
      environment: this.options.environment,
      release: this.options.release,
      transport: Sentry.makeNodeTransport,
      stackParser: Sentry.defaultStackParser,
      integrations: [Sentry.linkedErrorsIntegration()],
      sendClientReports: false,
      beforeSend: (event) => scrubEvent(event as unknown as SentryEventLike) as unknown as typeof event
    })
    client.init()
    return client as unknown as SentryClientLike
  }
}

function isOurs (value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kReported] === true
  } catch {
    return false
  }
}

function alreadyReported (error: AppError): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const obj = current as Record<string | symbol, unknown>
    if (obj.__sentry_captured__ === true || obj[kReported] === true) return true
    current = obj.cause
  }
  return false
}

function markChain (error: AppError): void {
  let current: unknown = error.cause
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    try {
      Object.defineProperty(current, '__sentry_captured__', { value: true, enumerable: false, configurable: true })
    } catch {}
    current = (current as { cause?: unknown }).cause
  }
}

/** Masks PII in a Sentry event: exception values, message, extra, contexts, breadcrumbs, request, user. */
export function scrubEvent (event: SentryEventLike): SentryEventLike {
  try {
    for (const exception of event.exception?.values ?? []) {
      if (typeof exception.value === 'string') exception.value = maskString(exception.value.slice(0, 4096))
    }
    if (typeof event.message === 'string') event.message = maskString(event.message.slice(0, 4096))
    if (event.extra !== undefined) event.extra = scrubData(event.extra)
    if (event.contexts !== undefined) event.contexts = scrubData(event.contexts)
    if (event.user !== undefined) delete event.user
    for (const crumb of event.breadcrumbs ?? []) {
      if (typeof crumb.message === 'string') crumb.message = maskString(crumb.message.slice(0, 4096))
      if (crumb.data !== undefined) crumb.data = scrubData(crumb.data)
    }
    if (event.request !== undefined) event.request = scrubRequest(event.request)
    return event
  } catch {
    // An event that cannot be scrubbed is not sent.
    return null as unknown as SentryEventLike
  }
}

function scrubRequest (request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (typeof request.method === 'string') out.method = request.method
  if (typeof request.url === 'string') out.url = maskString(request.url.split('?')[0].slice(0, 2048))
  if (typeof request.headers === 'object' && request.headers !== null) {
    const headers: Record<string, unknown> = {}
    for (const name of SAFE_HEADERS) {
      const value = (request.headers as Record<string, unknown>)[name]
      if (typeof value === 'string') headers[name] = maskString(value.slice(0, 512))
    }
    out.headers = headers
  }
  // Bodies, cookies and query strings carry user data that no error report needs.
  return out
}
