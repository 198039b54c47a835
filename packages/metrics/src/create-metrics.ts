import { Counter, collectDefaultMetrics, type Registry } from 'prom-client'
import type { Catalog, ErrorEvent, ErrorRecorder, PortRoute } from '@errcodes/core'
import { ErrorCounter, type CodeState } from './error-counter.js'
import { EventCollector, isoDate, type CollectedEvent } from './event-collector.js'
import { resolveOptions, type MetricsOptions, type ResolvedMetricsOptions } from './options.js'
import { SentryReporter, type SentryStats } from './sentry-reporter.js'
import { createMetricsRoutes } from './metrics-routes.js'
import type { CodeDetail, CodeStats, ErrorEventView, MetricsSummary, MetricsView } from './schemas.js'
import { FleetView } from './fleet-view.js'
import { OPENMETRICS_CONTENT_TYPE, openMetricsText } from './open-metrics.js'

/** An ErrorRecorder backed by prom-client, an in-memory collector and (optionally) Sentry. */
export class ErrorMetrics implements ErrorRecorder {
  /** The registry the counter lives in (serve it with `registry.metrics()`). */
  readonly registry: Registry
  /** Routes for @errcodes/fastify or `handleMetricsRequest` (empty with `routes: false`). */
  readonly routes: readonly PortRoute[]
  /** Width of a time bucket in seconds. */
  readonly bucketSeconds: number
  /** Buckets the chart shows. */
  readonly maxBuckets: number
  /** The answers summed across instances by Prometheus, with `fleet` set; undefined otherwise. */
  readonly fleet: FleetView | undefined
  private readonly counter: ErrorCounter
  private readonly collector: EventCollector
  private readonly failures: Counter<string>
  private readonly sentry: SentryReporter | undefined
  private readonly now: () => number
  private readonly scratch: { -readonly [K in keyof CollectedEvent]: CollectedEvent[K] }
  private startedAt: number

  constructor (options: ResolvedMetricsOptions) {
    this.registry = options.registry
    this.bucketSeconds = options.bucketSeconds
    this.maxBuckets = options.maxBuckets
    this.now = options.now
    // prom-client's own "already registered" error names neither the option nor the way out.
    for (const name of [`${options.prefix}errors_total`, `${options.prefix}recorder_failures_total`, ...(options.sentry === undefined ? [] : [`${options.prefix}sentry_events_total`])]) {
      if (options.registry.getSingleMetric(name) !== undefined) {
        throw new TypeError(`createMetrics: option "registry": a metric named ${name} has already been registered; pass a fresh registry or another "prefix"`)
      }
    }
    // Before anything is registered: a missing @sentry/node throws here and leaves the registry as it was.
    this.sentry = options.sentry === undefined ? undefined : new SentryReporter(options.sentry, options.now)
    this.counter = new ErrorCounter(options.registry, options.prefix, options.labels, options.exemplars)
    this.failures = new Counter({ name: `${options.prefix}recorder_failures_total`, help: 'Error events the recorder could not read (malformed events)', registers: [options.registry] })
    this.sentry?.countIn(options.registry, options.prefix)
    if (options.catalog !== undefined) this.counter.useCatalog(options.catalog)
    if (options.defaultMetrics) collectDefaultMetrics({ register: options.registry })
    this.collector = new EventCollector(options.maxEvents, options.bucketSeconds, options.maxBuckets)
    this.startedAt = this.now()
    // One reused object carries an event's fields into the collector: recording allocates nothing.
    this.scratch = { status: undefined, errorCode: undefined, name: undefined, method: undefined, route: undefined, path: undefined, requestId: undefined, traceId: undefined, message: undefined, detail: undefined, timestamp: 0 }
    this.fleet = options.fleet === undefined ? undefined : new FleetView(options.fleet, options.prefix, this, this.now)
    this.routes = options.routes ? createMetricsRoutes(this, { dashboard: options.dashboard }) : []
  }

  /** Counts one failed request. Never throws; O(1); allocates only for a label set seen first. */
  record (event: ErrorEvent): void {
    try {
      const error = event.error
      const status = event.status
      const name = error.name
      const slot = this.counter.resolve(name, status, event.method, event.route)
      slot.pending++
      slot.total++
      const traceId = event.traceId
      // The exemplar of the next scrape: one field write; the id is checked when it is collected. An
      // unsampled trace is in no backend: an exemplar would link to nothing.
      if (typeof traceId === 'string' && event.traceSampled !== false) slot.traceId = traceId
      const state = slot.state
      const now = this.now()
      state.total++
      if (state.total === 1) state.firstSeen = now
      state.lastSeen = now
      const s = this.scratch
      s.status = status
      s.errorCode = error.errorCode
      s.name = name
      s.method = event.method
      s.route = event.route
      s.path = event.path
      s.requestId = event.requestId
      s.traceId = traceId
      s.message = event.message ?? error.message
      s.detail = error.detail
      s.timestamp = typeof event.timestamp === 'number' ? event.timestamp : now
      this.collector.add(slot, s, now)
      if (this.sentry !== undefined) this.sentry.report(event, state.known)
    } catch {
      this.recordUnreadable()
    }
  }

  /** Adds the catalog's codes to the known label values. */
  useCatalog (catalog: Catalog): void {
    this.counter.useCatalog(catalog)
  }

  /** This instance's totals, counts by code, name and status, and time buckets (the chart's data). */
  summary (notice: string | null = null): MetricsSummary {
    const now = this.now()
    const errorCounts: Record<string, number> = {}
    const nameCounts: Record<string, number> = {}
    const statusCounts: Record<string, number> = {}
    let total = 0
    for (const state of this.counter.states()) {
      if (state.total === 0) continue
      total += state.total
      errorCounts[state.codeLabel] = (errorCounts[state.codeLabel] ?? 0) + state.total
      nameCounts[state.name] = state.total
    }
    for (const slot of this.counter.slots) {
      if (slot.total > 0) statusCounts[slot.statusText] = (statusCounts[slot.statusText] ?? 0) + slot.total
    }
    const window = this.collector.window(now)
    return {
      total_errors: total,
      error_counts: errorCounts,
      name_counts: nameCounts,
      status_counts: statusCounts,
      bucket_seconds: this.bucketSeconds,
      bucket_count: window.filter(b => b.total > 0).length,
      buckets: window.map(b => {
        const counts: Record<string, number> = {}
        for (const [state, n] of b.counts) counts[state.name] = n
        return { start: isoDate(this.collector.startOf(b.index)), total: b.total, counts }
      }),
      started_at: isoDate(this.startedAt),
      timestamp: isoDate(now),
      totals_window_seconds: null,
      view: this.view(notice)
    }
  }

  /** Up to `limit` recent events, newest first, masked. */
  recent (limit = 100): ErrorEventView[] {
    return this.collector.recent(clampLimit(limit, 100))
  }

  /** The most frequent codes, most frequent first. */
  top (limit = 10): CodeStats[] {
    return this.counter.states().filter(s => s.total > 0).sort((a, b) => b.total - a.total).slice(0, clampLimit(limit, 10)).map(s => this.statsOf(s))
  }

  /** One code (numeric, name or `_OTHER`) on this instance: totals, statuses, time series and recent events; undefined when unknown. */
  byCode (code: string | number, notice: string | null = null): CodeDetail | undefined {
    const state = this.counter.find(String(code))
    if (state === undefined) return undefined
    const buckets = this.collector.window(this.now()).map(b => ({ start: isoDate(this.collector.startOf(b.index)), count: b.counts.get(state) ?? 0 }))
    return { ...this.statsOf(state), buckets, recent: this.collector.recent(20, state), recent_view: this.view(null), view: this.view(notice) }
  }

  /** Describes an answer from this instance's memory; `notice` says why the fleet view is not shown. */
  view (notice: string | null = null): MetricsView {
    return { source: 'instance', label: 'this instance', instances: 1, read_at: isoDate(this.now()), notice }
  }

  /** The Prometheus text exposition of the registry (0.0.4), or OpenMetrics with exemplars when asked. */
  async metrics (format: 'prometheus' | 'openmetrics' = 'prometheus'): Promise<string> {
    if (format === 'openmetrics' && (this.registry.contentType as string) !== OPENMETRICS_CONTENT_TYPE) return await openMetricsText(this.registry)
    return await this.registry.metrics()
  }

  /** Zeroes the counters and forgets the in-memory events. */
  reset (): void {
    this.counter.reset()
    this.collector.clear()
    this.startedAt = this.now()
  }

  /** Errors lost on the way to Sentry (the client threw). */
  get sentryDropped (): number {
    return this.sentry?.stats.dropped ?? 0
  }

  /** What became of the errors offered to Sentry: reported, already reported, sampled out, rate-limited, dropped. */
  get sentryStats (): SentryStats | undefined {
    return this.sentry === undefined ? undefined : { ...this.sentry.stats }
  }

  /** Waits until queued Sentry reports are sent (up to `timeout` ms). */
  async flush (timeout = 2000): Promise<boolean> {
    return this.sentry === undefined ? true : await this.sentry.flush(timeout)
  }

  /** Flushes and closes the Sentry client this instance created. */
  async close (timeout = 2000): Promise<void> {
    await this.sentry?.close(timeout)
  }

  private statsOf (state: CodeState): CodeStats {
    const statusCounts: Record<string, number> = {}
    for (const slot of state.slots.values()) {
      if (slot.total > 0) statusCounts[slot.statusText] = (statusCounts[slot.statusText] ?? 0) + slot.total
    }
    return {
      error_code: state.code,
      error_name: state.name,
      domain: state.domain,
      count: state.total,
      status_counts: statusCounts,
      first_seen: state.total === 0 ? null : isoDate(state.firstSeen),
      last_seen: state.total === 0 ? null : isoDate(state.lastSeen)
    }
  }

  private recordUnreadable (): void {
    try {
      this.failures.inc()
    } catch {}
  }
}

function clampLimit (limit: unknown, fallback: number): number {
  return typeof limit === 'number' && Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 1000) : fallback
}

/** Creates a metrics recorder: `errcodes_errors_total`, the in-memory collector, routes and optional Sentry. */
export function createMetrics (options?: MetricsOptions): ErrorMetrics {
  const resolved = resolveOptions(options)
  if (resolved.enabled) return new ErrorMetrics(resolved)
  // Switched off (from a preset or ERRCODES_METRICS_ENABLED=false) without changing the caller's code: every
  // other option is still checked, but nothing that records, serves, collects or sends is set up.
  return new DisabledMetrics({ ...resolved, routes: false, sentry: undefined, defaultMetrics: false, fleet: undefined })
}

/** `enabled: false`: the same API over empty counters; `record` does nothing (the enabled class's hot path is untouched). */
class DisabledMetrics extends ErrorMetrics {
  override record (): void {}
}
