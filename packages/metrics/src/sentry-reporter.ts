import { randomUUID } from 'node:crypto'
import { Counter, type Registry } from 'prom-client'
import { isAppError, isErrorLike, maskPath, type AppError, type ErrorEvent } from '@errcodes/core'
import { NON_ERROR_TYPE, kindOf, nonErrorOf, unknownKeyOf } from './sentry-grouping.js'
import { readsSafely } from './sentry-safe-value.js'
import type { ResolvedSentryOptions, SentryClientLike } from './sentry-options.js'
import { SentryRateLimit } from './sentry-rate-limit.js'
import { createOwnClient, loadSentry, type SentryModule } from './sentry-sdk.js'
import { scrubEvent, type SentryEventLike } from './sentry-scrub.js'
import { scrubSpan } from './sentry-span-scrub.js'

/** What became of the errors offered to Sentry since start. */
export interface SentryStats {
  /** Handed to the client (which may still drop them, e.g. its transport queue is full). */
  reported: number
  /** Sent by Sentry's own integration (it captured the thrown value first), within the same sampling and cap. */
  alreadyReported: number
  /** Skipped by `sampleRate` (the reporter's own events and Sentry's captures of the same errors). */
  sampledOut: number
  /** Skipped by the per-code `rateLimit` (the reporter's own events and Sentry's captures of the same errors). */
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
// What Sentry's own Fastify integration puts on its captures (`@sentry/node` 10 and 11).
const FASTIFY_MECHANISM = 'auto.function.fastify'
const TRACE_ID = /^[0-9a-f]{32}$/

type Decision = 'passed' | 'sampledOut' | 'rateLimited'
/**
 * What was decided for a thrown value that Sentry's own integration captured too: whoever sees it
 * first (the processor, when the SDK builds the integration's event, or the reporter, in `record()`)
 * samples and caps it, once; the other follows. Weak: it holds no error alive.
 */
const decisions = new WeakMap<object, Decision>()

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
  /** DSN mode: the SDK, to find an application-wide client and the request's scope. */
  private readonly sdk: SentryModule | undefined
  /** DSN mode without `Sentry.init`: the trace id every scope inherits unless a request sets its own. */
  private readonly rootTraceId: string | undefined
  /** A client that captures our errors itself (given, or the application's next to a DSN) runs our processor. */
  private decidesForeign: boolean
  /** The processor of every event of a client we report through (bound: it samples and counts for this reporter). */
  readonly processEvent: (event: SentryEventLike, hint: Record<string | symbol, unknown> | undefined) => SentryEventLike | null

  constructor (options: ResolvedSentryOptions, now: () => number = Date.now, random: () => number = Math.random) {
    this.options = options
    this.now = now
    this.random = random
    this.limit = options.rateLimit === undefined ? undefined : new SentryRateLimit(options.rateLimit.events, options.rateLimit.intervalMs, options.rateLimit.total)
    this.processEvent = (event, hint) => this.process(event, hint)
    if (options.client === undefined) {
      const Sentry = loadSentry()
      const appWide = Sentry.isInitialized()
      this.sdk = Sentry
      this.client = createOwnClient(Sentry, options, this.processEvent)
      // Without Sentry.init every scope copies one propagation context: one trace id for all requests.
      this.rootTraceId = appWide ? undefined : Sentry.getCurrentScope().getPropagationContext().traceId
      this.decidesForeign = false
      this.watchAppClient()
    } else {
      this.sdk = undefined
      this.rootTraceId = undefined
      this.client = options.client
      this.attach(options.client)
      this.decidesForeign = true
      warnOnDefaultFastifyFilter(options.client)
    }
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
    // `throw undefined` is a thrown value too: the key is there, its value undefined.
    const hasThrown = 'thrown' in event
    const thrown = hasThrown ? event.thrown : error
    // Without a thrown value (a plain recorder call), Sentry may have captured the normalized error's cause.
    const captured = alreadyCaptured(thrown) && usableError(thrown) ? thrown : !hasThrown && alreadyCaptured(error.cause) ? error.cause : undefined
    if (captured !== undefined) {
      // Another client captured it: DSN mode next to a Sentry.init made after createMetrics finds it here.
      if (this.sdk !== undefined && !this.decidesForeign) this.watchAppClient()
      this.reportedBySentry(captured)
      return
    }
    // Decided before the thrown value is read any further: a skipped error costs its key and a counter.
    // Unknown errors share INTERNAL_ERROR: they are capped per type and top frame, so one flood does not
    // hide another bug; a thrown non-error per kind and route, as its fingerprint.
    const catalog = readsSafely(thrown) && isAppError(thrown)
    const decision = this.decide(thrown, catalog ? String(error.name) : undefined, event.route)
    if (decision !== 'passed') {
      this.count(decision)
      return
    }
    try {
      const usable = catalog || usableError(thrown)
      const value = usable ? thrown : nonErrorOf(thrown)
      this.client.captureException(value, this.hintOf(event, error, catalog, value, usable ? undefined : kindOf(thrown)), this.scopeOf(event))
      this.count('reported')
    } catch {
      this.count('dropped')
    }
  }

  /**
   * Sampling first, then the cap: what becomes of one more event of this code (`code`, a catalog
   * error) or this unknown error. The key of an unknown error reads its stack, so it is made only
   * when a cap needs it.
   */
  private decide (thrown: unknown, code: string | undefined, route?: string): Decision {
    if (this.options.sampleRate < 1 && !(this.random() < this.options.sampleRate)) return 'sampledOut'
    if (this.limit !== undefined && !this.limit.take(code ?? unknownKeyOf(thrown, route), this.now())) return 'rateLimited'
    return 'passed'
  }

  /**
   * A thrown value Sentry captured itself (its Fastify integration runs before the error handler).
   * When that client runs our processor, the event is sampled and capped like ours, decided once.
   */
  private reportedBySentry (thrown: unknown): void {
    const prior = typeof thrown === 'object' && thrown !== null ? decisions.get(thrown) : undefined
    if (prior === undefined && this.decidesForeign && typeof thrown === 'object' && thrown !== null) {
      const decision = this.decideFor(thrown)
      if (decision !== 'passed') return
    } else if (prior !== undefined && prior !== 'passed') {
      // The processor dropped Sentry's event and counted it.
      return
    }
    this.count('alreadyReported')
  }

  /** Decides (and counts a drop) for a thrown value Sentry captured, unless that was done already. */
  private decideFor (thrown: object): Decision {
    const prior = decisions.get(thrown)
    if (prior !== undefined) return prior
    const decision = this.decide(thrown, isAppError(thrown) ? String(thrown.name) : undefined)
    decisions.set(thrown, decision)
    if (decision !== 'passed') this.count(decision)
    return decision
  }

  /**
   * DSN mode: the scope to capture with. Without `Sentry.init` every scope inherits one trace id, so
   * each event gets its request's own: the trace of @errcodes/tracing when it runs (`event.traceId`),
   * else a new one, unless the application set one on the scope (`Sentry.continueTrace`).
   */
  private scopeOf (event: ErrorEvent): unknown {
    if (this.sdk === undefined || this.rootTraceId === undefined) return undefined
    const scope = this.sdk.getCurrentScope().clone()
    const context = scope.getPropagationContext()
    const traceId = typeof event.traceId === 'string' && TRACE_ID.test(event.traceId)
      ? event.traceId
      : context.traceId === this.rootTraceId ? randomUUID().replace(/-/g, '') : undefined
    if (traceId !== undefined) scope.setPropagationContext({ traceId, sampleRand: context.sampleRand })
    return scope
  }

  /**
   * DSN mode next to an application-wide `Sentry.init`: that client captures Fastify errors before
   * the error handler runs, so they reach its DSN, not ours. They are ours all the same: its events
   * are scrubbed, sampled and capped by our processor, and one line says so.
   */
  private watchAppClient (): void {
    const app = (this.sdk as SentryModule).getClient() as unknown as SentryClientLike | undefined
    if (app === undefined || app === this.client || typeof app.addEventProcessor !== 'function') return
    this.decidesForeign = true
    this.attach(app)
    // One process warning (this runs once per reporter): Node prints it, `process.on('warning')` can log it.
    process.emitWarning('@errcodes/metrics: option "sentry.dsn" is used next to an application-wide Sentry.init: Sentry captures Fastify errors itself and sends them to the application\'s DSN, so errcodes now scrubs, samples and caps that client\'s events too; pass sentry: { client: Sentry.getClient() } to report through that one client', { code: 'ERRCODES_SENTRY_APP_CLIENT' })
  }

  /** Adds our processor (and span scrubbing) to a client once, however many recorders share it. */
  private attach (client: SentryClientLike): void {
    const marked = client as unknown as Record<symbol, unknown>
    if (marked[kScrubbing] === true) return
    // Every event of the client, ours and the SDK's own (its Fastify integration, captureException,
    // transactions): the same request may reach Sentry through either, and either must be scrubbed.
    client.addEventProcessor(this.processEvent)
    // Spans streamed by SDK 10+ (traceLifecycle 'stream', the default) skip event processors.
    if (typeof client.on === 'function') client.on('processSpan', (span: Record<string, unknown>) => { scrubSpan(span) })
    Object.defineProperty(client, kScrubbing, { value: true })
  }

  /** The processor: request of our events, sampling and cap of the SDK's captures of our errors, tags of catalog errors, scrubbing. */
  private process (event: SentryEventLike, hint: Record<string | symbol, unknown> | undefined): SentryEventLike | null {
    // A transaction (traceLifecycle 'static') carries the request's URL and span data: scrubbed too.
    if (event.type === 'transaction') return scrubEvent(event)
    if (event.type !== undefined) return event
    const request = hint?.[kRequest] as RequestInfo | undefined
    if (request !== undefined) {
      if (event.request === undefined && request.path !== undefined) event.request = { method: request.method, url: maskPath(request.path) }
      return scrubEvent(event)
    }
    const original = hint?.originalException
    const mechanism = (hint?.mechanism as { type?: unknown } | undefined)?.type
    if (mechanism === FASTIFY_MECHANISM && !usableError(original)) {
      // `throw undefined`, a string, a plain object: Sentry cannot mark it as captured, so the error
      // handler reports it too, in one consistent shape. Sentry's copy would be a second event.
      return null
    }
    // A Proxy is never read here (its traps could throw inside the SDK's pipeline).
    const catalog = readsSafely(original) && isAppError(original)
    if (mechanism === FASTIFY_MECHANISM || catalog) {
      // An error of ours that the SDK captured first: sampled and capped as if we had sent it.
      if (this.decideFor(original as object) !== 'passed') return null
      if (catalog) {
        // A catalog error: same tags and grouping as ours.
        event.tags = { error_code: String(original.errorCode), error_name: String(original.name), domain: String(original.domain), ...(event.tags as object) }
        if (event.fingerprint === undefined) event.fingerprint = [String(original.name)]
      }
    }
    return scrubEvent(event)
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

  private hintOf (event: ErrorEvent, error: AppError, catalog: boolean, thrown: unknown, nonError: string | undefined): Record<string | symbol, unknown> {
    const status = event.status
    const tags: Record<string, string> = { error_code: String(error.errorCode), error_name: String(error.name), domain: String(error.domain), status_code: String(status) }
    if (event.route !== undefined) tags.route = event.route
    if (event.requestId !== undefined) tags.request_id = event.requestId
    const captureContext: Record<string, unknown> = { tags, level: status >= 500 ? 'error' : 'warning' }
    // Catalog errors are one issue per code (per route with groupByRoute); anything else keeps Sentry's
    // default grouping (type and frames), so two different bugs stay two issues.
    if (catalog) captureContext.fingerprint = this.options.groupByRoute ? [String(error.name), event.route ?? '__unknown__'] : [String(error.name)]
    // A thrown non-error has no frames to group by: one issue per kind (undefined, string...) and route.
    else if (nonError !== undefined) {
      captureContext.fingerprint = [NON_ERROR_TYPE, nonError, event.route ?? '__unknown__']
      tags.thrown = nonError
    }
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

/**
 * Whether the SDK can be handed the thrown value itself: an error it can read safely. The SDK builds
 * the event synchronously inside its bookkeeping, and walks `cause` later: a Proxy or a throwing
 * getter there would lose the event or leave the client counting it forever (so that `flush()` never
 * succeeds). Anything else (a primitive, a plain object, a hostile value) is sent as a stand-in.
 */
function usableError (thrown: unknown): boolean {
  // The same check as `sentryShouldHandleError`: what Sentry's integration leaves alone, errcodes sends
  // as a NonErrorThrown stand-in, so a hostile value is one event of one shape in every mode.
  try {
    return typeof thrown === 'object' && thrown !== null && readsSafely(thrown) && isErrorLike(thrown)
  } catch {
    return false
  }
}

/**
 * Client mode: one process warning when the client's Fastify integration keeps Sentry's default
 * `shouldHandleError`, which lets a thrown value that throws when read crash the process (see
 * `sentryShouldHandleError`). A filter of the application's own is trusted. Never throws.
 */
function warnOnDefaultFastifyFilter (client: SentryClientLike): void {
  try {
    const integration = (client as { getIntegrationByName?: (name: string) => { getShouldHandleError?: () => unknown } | undefined }).getIntegrationByName?.('Fastify')
    const filter = integration?.getShouldHandleError?.()
    if (typeof filter !== 'function' || filter.name !== 'defaultShouldHandleError') return
    process.emitWarning('@errcodes/metrics: the Sentry client\'s Fastify integration uses its default shouldHandleError, which throws inside a diagnostics channel subscriber (an uncaught exception that exits the process) when a handler throws a value that throws when read (a symbol, a Proxy, a throwing message getter); pass Sentry.fastifyIntegration({ shouldHandleError: sentryShouldHandleError }) to Sentry.init', { code: 'ERRCODES_SENTRY_FASTIFY_FILTER' })
  } catch {}
}

function alreadyCaptured (value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as { __sentry_captured__?: unknown }).__sentry_captured__ === true
  } catch {
    return false
  }
}
