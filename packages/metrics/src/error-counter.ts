import { Counter, type Registry } from 'prom-client'
import { builtinErrors, type Catalog } from '@errcodes/core'

/** The label value for anything outside the known set (the OpenTelemetry `error.type` convention). */
export const OTHER = '_OTHER'
/** The route label of a request that matched no route (the fastify-metrics convention). */
export const UNKNOWN_ROUTE = '__unknown__'
/** Series beyond this many share one all-`_OTHER` series, whatever the labels say. */
export const MAX_SERIES = 10_000
/** Distinct route templates kept as label values; later ones become `_OTHER`. */
export const MAX_ROUTES = 1000

/** Running totals of one error name (a catalog entry, or `_OTHER`). */
export interface CodeState {
  readonly code: number | null
  readonly name: string
  readonly domain: string
  readonly known: boolean
  readonly codeLabel: string
  total: number
  firstSeen: number
  lastSeen: number
  readonly slots: Map<string, CounterSlot>
}

/** One series of the counter. `pending` is added to prom-client at scrape time. */
export interface CounterSlot {
  readonly state: CodeState
  readonly statusText: string
  readonly labels: Readonly<Record<string, string>>
  pending: number
  total: number
  /** The trace id of the latest traced error since the last scrape (checked when it is collected). */
  traceId: string | undefined
}

/** Which optional labels the counter carries. */
export interface LabelOptions {
  readonly method: boolean
  readonly route: boolean
}

// A W3C trace id: what Grafana's exemplar links (Tempo, Jaeger) look up. Anything else is not attached.
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/

// Precomputed label strings: the hot path indexes arrays and maps instead of formatting numbers.
const STATUS_TEXT: string[] = []
for (let s = 100; s < 600; s++) STATUS_TEXT[s] = String(s)
const METHODS = new Map(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'].flatMap(m => [[m, m], [m.toLowerCase(), m]]))

/**
 * The `errors_total` counter and its bounded label resolution. `record()` increments a plain number
 * on a cached slot (prom-client 15 hashes the label object on every `inc()`, about 0.3 µs); the
 * counter's `collect()` moves the pending increments into prom-client when someone scrapes.
 */
export class ErrorCounter {
  /** The prom-client counter. */
  readonly counter: Counter<string>
  /** Every series created so far, in creation order. */
  readonly slots: CounterSlot[] = []
  private readonly byName = new Map<unknown, CodeState>()
  private readonly byCode = new Map<number, CodeState>()
  private readonly routes = new Set<string>()
  /** state → status → method → route → slot: the allocation-free lookup of `resolve`. */
  private readonly index = new Map<CodeState, Map<string, Map<string, Map<string, CounterSlot>>>>()
  private readonly labels: LabelOptions
  /** The state of codes outside the catalog. */
  readonly other: CodeState
  private overflow: CounterSlot | undefined

  constructor (registry: Registry, prefix: string, labels: LabelOptions, exemplars = false) {
    this.labels = labels
    const labelNames = ['error_code', 'error_name', 'domain', 'status_code']
    if (labels.method) labelNames.push('method')
    if (labels.route) labelNames.push('route')
    const slots = this.slots
    this.counter = new Counter({
      name: `${prefix}errors_total`,
      help: 'Application errors by error code',
      labelNames,
      // Registered below: prom-client refuses exemplars on a registry whose default format is the
      // classic text, though this package serves OpenMetrics from it on request (open-metrics.ts).
      registers: [],
      enableExemplars: exemplars,
      collect () {
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i]
          if (slot.pending > 0) {
            const n = slot.pending
            const traceId = slot.traceId
            slot.pending = 0
            slot.traceId = undefined
            if (!exemplars) {
              this.inc(slot.labels, n)
            } else if (traceId !== undefined && TRACE_ID.test(traceId)) {
              // Like client_golang's AddWithExemplar: the exemplar's value is the increment it came
              // with, and its timestamp the time of this collection (record() stays a number bump).
              this.inc({ labels: slot.labels, value: n, exemplarLabels: { trace_id: traceId } })
            } else {
              // No traced error since the last scrape: the previous exemplar stays.
              this.inc({ labels: slot.labels, value: n })
            }
          }
        }
      }
    })
    registry.registerMetric(this.counter)
    this.other = newState(null, OTHER, OTHER, false)
    this.byName.set(OTHER, this.other)
    this.useCatalog(builtinErrors)
  }

  /** Adds a catalog's entries to the known names (existing totals are kept). */
  useCatalog (catalog: Catalog): void {
    for (const entry of catalog.list()) {
      const existing = this.byName.get(entry.name)
      if (existing !== undefined && existing.code === entry.code && existing.domain === entry.domain) continue
      const state = existing !== undefined && existing.total > 0 ? existing : newState(entry.code, entry.name, entry.domain, true)
      this.byName.set(entry.name, state)
      this.byCode.set(entry.code, state)
    }
  }

  /** The slot to increment for one event. Allocates only the first time a label set is seen. */
  resolve (name: unknown, status: unknown, method: unknown, route: unknown): CounterSlot {
    const state = this.byName.get(name) ?? this.other
    const statusText = (typeof status === 'number' ? STATUS_TEXT[status] : undefined) ?? OTHER
    const methodText = this.labels.method ? METHODS.get(method as string) ?? OTHER : ''
    const routeText = this.labels.route ? this.routeLabel(route) : ''
    // Nested maps of bounded label values, not one `status method route` string: building that key
    // allocated two strings per record (and a flat copy to hash), garbage that made V8 grow the young
    // generation by 20 MiB over the million-error memory run.
    let byStatus = this.index.get(state)
    if (byStatus === undefined) this.index.set(state, byStatus = new Map())
    let byMethod = byStatus.get(statusText)
    if (byMethod === undefined) byStatus.set(statusText, byMethod = new Map())
    let byRoute = byMethod.get(methodText)
    if (byRoute === undefined) byMethod.set(methodText, byRoute = new Map())
    const slot = byRoute.get(routeText)
    if (slot !== undefined) return slot
    let key = statusText
    if (this.labels.method) key += ' ' + methodText
    if (this.labels.route) key += ' ' + routeText
    const created = this.createSlot(state, key, statusText, methodText, routeText)
    // The shared overflow slot is not indexed: label sets past MAX_SERIES must not grow the index.
    if (created !== this.overflow) byRoute.set(routeText, created)
    return created
  }

  /** The state of a numeric code or error name (`_OTHER` included). */
  find (code: string): CodeState | undefined {
    if (/^[0-9]{1,4}$/.test(code)) return this.byCode.get(Number(code))
    return this.byName.get(code)
  }

  /** Every known state (catalog entries and `_OTHER`). */
  states (): CodeState[] {
    return [...new Set(this.byName.values())]
  }

  /** Zeroes every total and the prom-client series. */
  reset (): void {
    for (const state of this.byName.values()) {
      state.total = 0
      state.firstSeen = 0
      state.lastSeen = 0
    }
    for (const slot of this.slots) {
      slot.pending = 0
      slot.total = 0
      slot.traceId = undefined
    }
    this.counter.reset()
  }

  private routeLabel (route: unknown): string {
    if (typeof route !== 'string') return UNKNOWN_ROUTE
    if (this.routes.has(route)) return route
    if (route.length > 256 || this.routes.size >= MAX_ROUTES) return OTHER
    this.routes.add(route)
    return route
  }

  private createSlot (state: CodeState, key: string, statusText: string, method: string, route: string): CounterSlot {
    if (this.slots.length >= MAX_SERIES) {
      this.overflow ??= this.makeSlot(this.other, OTHER, OTHER, OTHER)
      return this.overflow
    }
    const slot = this.makeSlot(state, statusText, method, route)
    state.slots.set(key, slot)
    return slot
  }

  private makeSlot (state: CodeState, statusText: string, method: string, route: string): CounterSlot {
    const labels: Record<string, string> = { error_code: state.codeLabel, error_name: state.name, domain: state.domain, status_code: statusText }
    if (this.labels.method) labels.method = method
    if (this.labels.route) labels.route = route
    const slot: CounterSlot = { state, statusText, labels, pending: 0, total: 0, traceId: undefined }
    this.slots.push(slot)
    return slot
  }
}

function newState (code: number | null, name: string, domain: string, known: boolean): CodeState {
  return { code, name, domain, known, codeLabel: code === null ? OTHER : String(code), total: 0, firstSeen: 0, lastSeen: 0, slots: new Map() }
}
