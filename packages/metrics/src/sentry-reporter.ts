import { types } from 'node:util'
import { Counter, type Registry } from 'prom-client'
import { isAppError, isErrorLike, maskPath, type AppError, type ErrorEvent } from '@errcodes/core'
import type { ResolvedSentryOptions, SentryClientLike } from './sentry-options.js'
import { SentryRateLimit } from './sentry-rate-limit.js'
import { createOwnClient, loadSentry } from './sentry-sdk.js'
import { scrubEvent, type SentryEventLike } from './sentry-scrub.js'

/** What became of the errors offered to Sentry since start. */
export interface SentryStats {
  /** Handed to the client (which may still drop them, e.g. its transport queue is full). */
  reported: number
  /** Skipped because Sentry already had the thrown value (its own Fastify integration, another recorder). */
  alreadyReported: number
  /** Skipped by `sampleRate`. */
  sampledOut: number
  /** Skipped by the per-code `rateLimit`. */
  rateLimited: number
  /** Lost because the client threw. */
  dropped: number
}

type Outcome = keyof SentryStats
const OUTCOMES: Record<Outcome, string> = { reported: 'reported', alreadyReported: 'already_reported', sampledOut: 'sampled_out', rateLimited: 'rate_limited', dropped: 'dropped' }

// On the hint of our own events (symbol keys survive the SDK's `{ ...hint }`): the request, for the processor.
const kRequest = Symbol.for('errcodes.sentryRequest')
// Marks a given client that already has our processor (several recorders may share one client).
const kScrubbing = Symbol.for('errcodes.sentryScrubbing')

interface RequestInfo {
  readonly method: string | undefined
  readonly path: string | undefined
}

/**
 * Reports server faults to Sentry: the value that was thrown (its type, frames, cause chain), in the
 * scope of the request it came from, sampled and capped per code, and scrubbed by the core redactor.
 *
 * `report()` runs where the error was recorded (the request's async context), so the SDK applies that
 * request's current and isolation scopes; only the network send is deferred, by the SDK's transport.
 */
export class SentryReporter {
  /** Counters of what happened to the errors offered. */
  readonly stats: SentryStats = { reported: 0, alreadyReported: 0, sampledOut: 0, rateLimited: 0, dropped: 0 }
  private readonly options: ResolvedSentryOptions
  private readonly client: SentryClientLike
  private readonly limit: SentryRateLimit | undefined
  private readonly now: () => number
  private readonly random: () => number
  private counted: Record<Outcome, { inc: () => void }> | undefined

  constructor (options: ResolvedSentryOptions, now: () => number = Date.now, random: () => number = Math.random) {
    this.options = options
    this.now = now
    this.random = random
    this.limit = options.rateLimit === undefined ? undefined : new SentryRateLimit(options.rateLimit.events, options.rateLimit.intervalMs)
    this.client = options.client === undefined
      ? createOwnClient(loadSentry(), options, processEvent)
      : withProcessor(options.client)
  }

  /** Also counts outcomes in `<prefix>sentry_events_total{outcome}` of the registry (children made once). */
  countIn (registry: Registry, prefix: string): void {
    const counter = new Counter({ name: `${prefix}sentry_events_total`, help: 'Errors offered to Sentry, by outcome (reported, already_reported, sampled_out, rate_limited, dropped)', labelNames: ['outcome'], registers: [registry] })
    const counted = {} as Record<Outcome, { inc: () => void }>
    for (const [key, outcome] of Object.entries(OUTCOMES)) {
      const child = counter.labels(outcome)
      // Zero from the start, so an alert on rate_limited has a series before the first flood.
      child.inc(0)
      counted[key as Outcome] = child
    }
    this.counted = counted
  }

  /** Offers one failed request. Never throws; cheap when the error is not wanted, sampled out or capped. */
  report (event: ErrorEvent, known: boolean): void {
    const error = event.error
    const status = event.status
    if (known && typeof status === 'number' && status < 500 && !this.options.report4xx) return
    const thrown = event.thrown !== undefined ? event.thrown : error
    if (alreadyCaptured(thrown) || (thrown === error && alreadyCaptured(error.cause))) {
      this.count('alreadyReported')
      return
    }
    if (this.options.sampleRate < 1 && !(this.random() < this.options.sampleRate)) {
      this.count('sampledOut')
      return
    }
    const catalog = isAppError(thrown)
    // Unknown errors share INTERNAL_ERROR: cap them per thrown type, so one flood does not hide another bug.
    const key = catalog ? error.name : `${error.name}:${typeName(thrown)}`
    if (this.limit !== undefined && !this.limit.take(key, this.now())) {
      this.count('rateLimited')
      return
    }
    try {
      const value = reportable(thrown, error)
      this.client.captureException(value, this.hintOf(event, error, catalog, value))
      this.count('reported')
    } catch {
      this.count('dropped')
    }
  }

  private count (outcome: Outcome): void {
    this.stats[outcome]++
    this.counted?.[outcome].inc()
  }

  /** Waits for the client's transport (up to `timeout` ms). */
  async flush (timeout = 2000): Promise<boolean> {
    try {
      return this.client.flush === undefined ? true : await this.client.flush(timeout)
    } catch {
      return false
    }
  }

  /** Flushes and closes the client the reporter created (a given client is only flushed). */
  async close (timeout = 2000): Promise<void> {
    try {
      if (this.options.client !== undefined) await this.flush(timeout)
      else if (this.client.close !== undefined) await this.client.close(timeout)
    } catch {}
  }

  private hintOf (event: ErrorEvent, error: AppError, catalog: boolean, thrown: unknown): Record<string | symbol, unknown> {
    const status = event.status
    const tags: Record<string, string> = { error_code: String(error.errorCode), error_name: String(error.name), domain: String(error.domain), status_code: String(status) }
    if (event.route !== undefined) tags.route = event.route
    if (event.requestId !== undefined) tags.request_id = event.requestId
    const captureContext: Record<string, unknown> = { tags, level: status >= 500 ? 'error' : 'warning' }
    // Catalog errors are one issue per code (per route with groupByRoute); anything else keeps Sentry's
    // default grouping (type and frames), so two different bugs stay two issues.
    if (catalog) captureContext.fingerprint = this.options.groupByRoute ? [String(error.name), event.route ?? '__unknown__'] : [String(error.name)]
    const request: RequestInfo = { method: event.method, path: event.path }
    return {
      // Set by Sentry's own capture helpers, not by client.captureException: linked errors need it.
      originalException: thrown,
      mechanism: { type: 'errcodes', handled: status < 500 },
      captureContext,
      [kRequest]: request
    }
  }
}

/** The processor of every error event of a client we report through: request of our events, tags of catalog errors, scrubbing. */
function processEvent (event: SentryEventLike, hint: Record<string | symbol, unknown> | undefined): SentryEventLike | null {
  // Transactions and other types carry spans, not the error's data.
  if (event.type !== undefined) return event
  const request = hint?.[kRequest] as RequestInfo | undefined
  if (request !== undefined) {
    if (event.request === undefined && request.path !== undefined) event.request = { method: request.method, url: maskPath(request.path) }
  } else if (isAppError(hint?.originalException)) {
    // A catalog error that Sentry's own integration captured first: same tags and grouping as ours.
    const error = hint.originalException
    event.tags = { error_code: String(error.errorCode), error_name: String(error.name), domain: String(error.domain), ...(event.tags as object) }
    if (event.fingerprint === undefined) event.fingerprint = [String(error.name)]
  }
  return scrubEvent(event)
}

function withProcessor (client: SentryClientLike): SentryClientLike {
  const marked = client as unknown as Record<symbol, unknown>
  if (marked[kScrubbing] !== true) {
    // Every error event of the client, ours and the SDK's own (setupFastifyErrorHandler, captureException):
    // the same request may reach Sentry through either, and either must be scrubbed.
    client.addEventProcessor(processEvent)
    Object.defineProperty(client, kScrubbing, { value: true })
  }
  return client
}

/**
 * The thrown value when the SDK can read it safely, else a plain stand-in named after the normalized
 * error. The SDK builds the event synchronously inside its bookkeeping, and walks `cause` later: a
 * Proxy or a throwing getter there would lose the event or leave the client counting it forever (so
 * that `flush()` never succeeds). Objects that are not errors, and symbols, have no frames to send.
 */
function reportable (thrown: unknown, error: AppError): unknown {
  if (typeof thrown !== 'object' && typeof thrown !== 'symbol' && typeof thrown !== 'function') return thrown
  try {
    if (thrown !== null && !types.isProxy(thrown) && isErrorLike(thrown)) {
      const e = thrown as { name?: unknown, message?: unknown, stack?: unknown, cause?: unknown }
      // What the SDK reads; String() also runs a hostile toString here rather than inside the SDK.
      const read = String(e.name) + String(e.message) + String(e.stack)
      if (read.length >= 0 && (e.cause === undefined || !types.isProxy(e.cause))) return thrown
    }
  } catch {}
  const standIn = new Error(error.message)
  standIn.name = String(error.name)
  standIn.stack = `${standIn.name}: ${error.message}`
  return standIn
}

function alreadyCaptured (value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as { __sentry_captured__?: unknown }).__sentry_captured__ === true
  } catch {
    return false
  }
}

function typeName (value: unknown): string {
  try {
    if (typeof value === 'object' && value !== null) return String((value as { name?: unknown }).name ?? value.constructor?.name).slice(0, 64)
  } catch {}
  return typeof value
}
