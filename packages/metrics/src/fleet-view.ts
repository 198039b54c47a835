import type { ResolvedFleetOptions } from './fleet-options.js'
import { PrometheusClient, PrometheusQueryError, oneLine, type InstantSample, type RangeSeries } from './prometheus-client.js'
import { isoDate } from './event-collector.js'
import type { CodeDetail, CodeStats, MetricsSummary, MetricsView, TopErrors } from './schemas.js'

/** What the fleet view needs from the instance it runs in (its own answers are the fallback). */
export interface LocalAnswers {
  readonly bucketSeconds: number
  readonly maxBuckets: number
  summary (notice?: string | null): MetricsSummary
  top (limit: number): CodeStats[]
  byCode (code: string, notice?: string | null): CodeDetail | undefined
  view (notice?: string | null): MetricsView
}

/** One read of the fleet: counters summed across instances and the chart, at one time. */
interface Snapshot {
  readonly instances: number
  readonly series: readonly InstantSample[]
  readonly chart: readonly RangeSeries[]
  readonly start: number
  readonly step: number
  readonly readAt: number
}

/** A reading younger than this is reused: a page polls three routes at once, and many pages may be open. */
const REUSE_MS = 1000
const MAX_RETRY_MS = 300_000
const MAX_INSTANCES = 100_000

/**
 * The `/api/metrics/*` answers for every instance, computed by Prometheus from the
 * `errors_total` counters it scrapes. Prometheus down, slow or answering nonsense never breaks an
 * answer: this instance's view is returned with a notice, one line is logged, and Prometheus is
 * asked again after a back-off that doubles up to five minutes.
 */
export class FleetView {
  private readonly client: PrometheusClient
  private readonly options: ResolvedFleetOptions
  private readonly local: LocalAnswers
  private readonly now: () => number
  private readonly errors: string
  private readonly instancesName: string
  private readonly instancesQuery: string
  private latest: Promise<Snapshot> | undefined
  private latestAt = -Infinity
  private pending = false
  private failure: { reason: string, since: number, retryAt: number, wait: number } | undefined

  constructor (options: ResolvedFleetOptions, prefix: string, local: LocalAnswers, now: () => number) {
    this.client = new PrometheusClient(options)
    this.options = options
    this.local = local
    this.now = now
    const sel = `{${options.selector}}`
    this.errors = `${prefix}errors_total${sel}`
    this.instancesName = `${prefix}recorder_failures_total`
    // Every instance exports this label-less counter from its start, errors or not: one series each.
    this.instancesQuery = `count(${this.instancesName}${sel})`
    if (options.selector === '') {
      // Said once at start: without a selector every job exporting these metrics is summed as one fleet.
      options.logger.warn(`errcodes metrics: option "fleet.selector" is not set, so the fleet view sums every job Prometheus at ${options.url} scrapes with ${prefix}* metrics; set it (e.g. job="users") when Prometheus scrapes several services`)
    }
  }

  /** Totals by code, name and status, and the chart, summed across instances (or this instance's, with a notice). */
  async summary (): Promise<MetricsSummary> {
    const read = await this.read()
    if (typeof read === 'string') return this.local.summary(read)
    const errorCounts = counts()
    const nameCounts = counts()
    const statusCounts = counts()
    let total = 0
    for (const s of read.series) {
      const n = Math.round(s.value)
      if (n <= 0) continue
      total += n
      add(errorCounts, s.labels.error_code ?? '_OTHER', n)
      add(nameCounts, s.labels.error_name ?? '_OTHER', n)
      add(statusCounts, s.labels.status_code ?? '_OTHER', n)
    }
    const buckets = this.buckets(read, undefined)
    const local = this.local.summary(null)
    return {
      total_errors: total,
      error_counts: errorCounts,
      name_counts: nameCounts,
      status_counts: statusCounts,
      bucket_seconds: read.step,
      bucket_count: buckets.filter(b => b.total > 0).length,
      buckets,
      started_at: local.started_at,
      timestamp: isoDate(read.readAt),
      totals_window_seconds: read.step * this.local.maxBuckets,
      view: this.view(read)
    }
  }

  /** The most frequent codes across the fleet. */
  async top (limit: number): Promise<TopErrors> {
    const read = await this.read()
    if (typeof read === 'string') return { errors: this.local.top(limit), view: this.local.view(read) }
    return { errors: this.stats(read).slice(0, limit), view: this.view(read) }
  }

  /** One code across the fleet; its recent events are this instance's. Undefined when neither knows it. */
  async byCode (code: string): Promise<CodeDetail | undefined> {
    const read = await this.read()
    if (typeof read === 'string') return this.local.byCode(code, read)
    const numeric = /^[0-9]{1,4}$/.test(code)
    const stats = this.stats(read).find(s => numeric ? String(s.error_code) === code : s.error_name === code)
    const local = this.local.byCode(code, null)
    if (stats === undefined && local === undefined) return undefined
    const name = stats?.error_name ?? local?.error_name ?? code
    const head: CodeStats = stats ?? { error_code: local?.error_code ?? null, error_name: name, domain: local?.domain ?? '_OTHER', count: 0, status_counts: {}, first_seen: null, last_seen: null }
    const buckets = this.buckets(read, name).map(b => ({ start: b.start, count: b.total }))
    // Counts are the fleet's; events are kept in memory, so they are this instance's and say so.
    return { ...head, buckets, recent: local?.recent ?? [], recent_view: this.local.view(null), view: this.view(read) }
  }

  /** A fresh enough reading, or the reason (one line) why this instance's view is shown instead. */
  private async read (): Promise<Snapshot | string> {
    const now = this.now()
    const failure = this.failure
    if (failure !== undefined && now < failure.retryAt) return this.notice(failure)
    if (this.latest === undefined || (!this.pending && now - this.latestAt >= REUSE_MS)) {
      // A reading still on its way is shared too, however long it takes (at most `timeout`).
      this.latestAt = now
      this.pending = true
      const reading = this.query(now)
      this.latest = reading
      reading.then(() => { if (this.latest === reading) this.pending = false }, () => { if (this.latest === reading) this.pending = false })
    }
    try {
      const snapshot = await this.latest
      if (this.failure !== undefined) {
        this.options.logger.info?.(`errcodes metrics: Prometheus at ${this.options.url} answers again; the dashboard shows the fleet`)
        this.failure = undefined
      }
      return snapshot
    } catch (err) {
      const reason = oneLine(err instanceof Error ? err.message : String(err), 300)
      const at = this.now()
      this.latest = undefined
      const current = this.failure
      if (current === undefined) {
        this.failure = { reason, since: at, retryAt: at + this.options.retry, wait: this.options.retry }
        this.options.logger.warn(`errcodes metrics: Prometheus at ${this.options.url} failed (${reason}); the dashboard shows this instance only and asks again in ${seconds(this.options.retry)}`)
      } else if (at >= current.retryAt) {
        // A failed retry: wait twice as long, without another log line.
        const wait = Math.min(current.wait * 2, Math.max(MAX_RETRY_MS, this.options.retry))
        this.failure = { reason, since: current.since, retryAt: at + wait, wait }
      }
      return this.notice(this.failure as NonNullable<FleetView['failure']>)
    }
  }

  private async query (nowMs: number): Promise<Snapshot> {
    const step = this.local.bucketSeconds
    const end = nowMs / 1000
    const start = end - (this.local.maxBuckets - 1) * step
    // Errors per bucket are the growth of each series over the step, counted from zero for a series
    // born in the step and from its restart after a counter reset. increase() would drop a series'
    // first scrape (most error series are born with their first error) and extrapolate to fractions.
    // The totals are the sums of the chart's points, so totals and chart count the same errors of the
    // same window, and a replica that restarted or scaled down keeps its errors in both.
    const x = this.errors
    const chart = `sum by (error_code, error_name, domain, status_code) ((${x} - ${x} offset ${step}s) >= 0 or ${x})`
    const [instances, lines] = await Promise.all([
      this.client.instant(this.instancesQuery, end),
      this.client.range(chart, start, end, step)
    ])
    const count = instances.length === 0 ? 0 : instances.length === 1 ? instances[0].value : NaN
    if (!Number.isInteger(count) || count > MAX_INSTANCES) throw new PrometheusQueryError(`answer is not a Prometheus API result: an instance count that is not one integer from 0 to ${MAX_INSTANCES} (wrong shape)`)
    // A mistyped selector or an instance Prometheus does not scrape reads as an empty fleet: that is a
    // failure to show, not a fleet without errors.
    if (count === 0) throw new PrometheusQueryError(`Prometheus has no errcodes series for selector {${this.options.selector}} (no ${this.instancesName}; is the selector right and the instance scraped?)`)
    for (const line of lines) checkLabels(line.labels)
    const buckets = this.local.maxBuckets
    const series = lines.map(line => {
      let value = 0
      for (const [time, v] of line.points) {
        const i = Math.round((time - start) / step)
        if (i >= 0 && i < buckets && Math.round(v) > 0) value += Math.round(v)
      }
      return { labels: line.labels, value }
    })
    return { instances: count, series, chart: lines, start, step, readAt: nowMs }
  }

  private stats (read: Snapshot): CodeStats[] {
    const byName = new Map<string, { stats: CodeStats, status: Record<string, number> }>()
    for (const s of read.series) {
      const n = Math.round(s.value)
      if (n <= 0) continue
      const name = s.labels.error_name ?? '_OTHER'
      let entry = byName.get(name)
      if (entry === undefined) {
        const code = Number(s.labels.error_code)
        const status = counts()
        entry = { status, stats: { error_code: Number.isInteger(code) && code >= 0 && code <= 9999 ? code : null, error_name: name, domain: s.labels.domain ?? '_OTHER', count: 0, status_counts: status, first_seen: null, last_seen: this.lastSeen(read, name) } }
        byName.set(name, entry)
      }
      entry.stats = { ...entry.stats, count: entry.stats.count + n }
      add(entry.status, s.labels.status_code ?? '_OTHER', n)
    }
    return [...byName.values()].map(e => e.stats).sort((a, b) => b.count - a.count || (a.error_name < b.error_name ? -1 : 1))
  }

  /** The chart's buckets, oldest first; each point counts the errors of the step that ends at it. */
  private buckets (read: Snapshot, name: string | undefined): Array<{ start: string, total: number, counts: Record<string, number> }> {
    const count = this.local.maxBuckets
    const out = Array.from({ length: count }, (_, i) => ({ start: isoDate((read.start + (i - 1) * read.step) * 1000), total: 0, counts: counts() }))
    for (const line of read.chart) {
      const lineName = line.labels.error_name ?? '_OTHER'
      if (name !== undefined && lineName !== name) continue
      for (const [time, value] of line.points) {
        const i = Math.round((time - read.start) / read.step)
        const n = Math.round(value)
        if (i < 0 || i >= count || n <= 0) continue
        out[i].counts[lineName] = (out[i].counts[lineName] ?? 0) + n
        out[i].total += n
      }
    }
    return out
  }

  private lastSeen (read: Snapshot, name: string): string | null {
    let last: number | undefined
    for (const line of read.chart) {
      if ((line.labels.error_name ?? '_OTHER') !== name) continue
      for (const [time, value] of line.points) if (Math.round(value) > 0 && (last === undefined || time > last)) last = time
    }
    return last === undefined ? null : isoDate(last * 1000)
  }

  private view (read: Snapshot): MetricsView {
    return { source: 'fleet', label: `fleet: ${read.instances} instance${read.instances === 1 ? '' : 's'}`, instances: read.instances, read_at: isoDate(read.readAt), notice: null }
  }

  private notice (failure: { reason: string, since: number, retryAt: number }): string {
    return `Prometheus unavailable since ${isoDate(failure.since)} (${failure.reason}): showing this instance only; next try after ${isoDate(failure.retryAt)}`
  }
}

// Label values as this package writes them; anything else is a foreign series under the same name.
const LABELS: ReadonlyArray<readonly [string, RegExp]> = [
  ['error_code', /^(?:[0-9]{1,4}|_OTHER)$/],
  ['status_code', /^(?:[0-9]{3}|_OTHER)$/],
  ['error_name', /^(?:[A-Z][A-Z0-9_]{0,62}|_OTHER)$/],
  ['domain', /^(?:[A-Z][A-Z0-9_]{0,62}|_OTHER)$/]
]

function checkLabels (labels: Readonly<Record<string, string>>): void {
  for (const [name, pattern] of LABELS) {
    const value = labels[name]
    if (value !== undefined && !pattern.test(value)) throw new PrometheusQueryError(`answer is not a Prometheus API result: a series with ${name}="${oneLine(value, 64)}", not a value errcodes writes`)
  }
}

/** Counts keyed by label values: without a prototype, a value like "constructor" is just a key. */
function counts (): Record<string, number> {
  return Object.create(null) as Record<string, number>
}

function add (counts: Record<string, number>, key: string, n: number): void {
  counts[key] = (counts[key] ?? 0) + n
}

function seconds (ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
