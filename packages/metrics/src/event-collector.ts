import { createRedactor, maskPath } from '@errcodes/core'
import type { CodeState, CounterSlot } from './error-counter.js'
import type { ErrorEventView } from './schemas.js'

// Events are shown to operators, so they are masked; smaller limits than logs keep pages light.
const redactEvent = createRedactor({ maxString: 1024, maxDepth: 5, maxKeys: 50, maxItems: 50 })

/** One ring-buffer cell; written in place so that recording allocates nothing. */
interface EventCell {
  seq: number
  state: CodeState | undefined
  status: unknown
  errorCode: unknown
  name: unknown
  method: unknown
  route: unknown
  path: unknown
  requestId: unknown
  traceId: unknown
  message: unknown
  detail: unknown
  timestamp: number
  /** The masked view, computed on first read (masking is too slow for the hot path). */
  view: ErrorEventView | undefined
}

/** One time bucket: counts by error state. */
interface Bucket {
  index: number
  total: number
  readonly counts: Map<CodeState, number>
}

/** What the collector copies from an event (the recorder reads it once). */
export interface CollectedEvent {
  readonly status: unknown
  readonly errorCode: unknown
  readonly name: unknown
  readonly method: unknown
  readonly route: unknown
  readonly path: unknown
  readonly requestId: unknown
  readonly traceId: unknown
  readonly message: unknown
  readonly detail: unknown
  readonly timestamp: number
}

/** A point of one code's time series. */
export interface BucketPoint {
  readonly index: number
  readonly total: number
  readonly counts: ReadonlyMap<CodeState, number>
}

/**
 * The in-memory side of the recorder: a fixed ring of recent events and a fixed ring of time
 * buckets. Both are preallocated, so memory stays flat however many errors are recorded.
 */
export class EventCollector {
  private readonly cells: EventCell[]
  private readonly buckets: Bucket[]
  private readonly bucketMs: number
  private next = 0
  private seq = 0

  constructor (maxEvents: number, bucketSeconds: number, maxBuckets: number) {
    this.cells = Array.from({ length: maxEvents }, () => emptyCell())
    this.buckets = Array.from({ length: maxBuckets }, () => ({ index: -1, total: 0, counts: new Map() }))
    this.bucketMs = bucketSeconds * 1000
  }

  /** Adds one event to the current bucket and the ring. */
  add (slot: CounterSlot, input: CollectedEvent, now: number): void {
    const index = Math.floor(now / this.bucketMs)
    const bucket = this.buckets[index % this.buckets.length]
    if (bucket.index !== index) {
      bucket.index = index
      bucket.total = 0
      bucket.counts.clear()
    }
    bucket.total++
    const state = slot.state
    bucket.counts.set(state, (bucket.counts.get(state) ?? 0) + 1)

    if (this.cells.length === 0) return
    const cell = this.cells[this.next]
    this.next = this.next + 1 === this.cells.length ? 0 : this.next + 1
    cell.seq = ++this.seq
    cell.state = state
    cell.status = input.status
    cell.errorCode = input.errorCode
    cell.name = input.name
    cell.method = input.method
    cell.route = input.route
    cell.path = input.path
    cell.requestId = input.requestId
    cell.traceId = input.traceId
    cell.message = input.message
    cell.detail = input.detail
    cell.timestamp = input.timestamp
    cell.view = undefined
  }

  /** Up to `limit` recent events, newest first, optionally of one state. */
  recent (limit: number, state?: CodeState): ErrorEventView[] {
    const out: ErrorEventView[] = []
    const n = this.cells.length
    for (let i = 1; i <= n && out.length < limit; i++) {
      const cell = this.cells[(this.next - i + n) % n]
      if (cell.state === undefined) break
      if (state !== undefined && cell.state !== state) continue
      cell.view ??= viewOf(cell)
      out.push(cell.view)
    }
    return out
  }

  /** The buckets of the window ending at `now`, oldest first, empty ones included. */
  window (now: number): BucketPoint[] {
    const current = Math.floor(now / this.bucketMs)
    const out: BucketPoint[] = []
    for (let index = current - this.buckets.length + 1; index <= current; index++) {
      const bucket = this.buckets[((index % this.buckets.length) + this.buckets.length) % this.buckets.length]
      out.push(bucket.index === index ? bucket : { index, total: 0, counts: EMPTY })
    }
    return out
  }

  /** Milliseconds since the epoch at which bucket `index` starts. */
  startOf (index: number): number {
    return index * this.bucketMs
  }

  /** Forgets every event and bucket. */
  clear (): void {
    for (const cell of this.cells) Object.assign(cell, emptyCell())
    for (const bucket of this.buckets) {
      bucket.index = -1
      bucket.total = 0
      bucket.counts.clear()
    }
    this.next = 0
  }
}

const EMPTY: ReadonlyMap<CodeState, number> = new Map()

function emptyCell (): EventCell {
  return { seq: 0, state: undefined, status: undefined, errorCode: undefined, name: undefined, method: undefined, route: undefined, path: undefined, requestId: undefined, traceId: undefined, message: undefined, detail: undefined, timestamp: 0, view: undefined }
}

/** An ISO date for a finite epoch value, else for `fallback`. */
export function isoDate (ms: number, fallback = 0): string {
  return new Date(Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : fallback).toISOString()
}

function viewOf (cell: EventCell): ErrorEventView {
  const state = cell.state as CodeState
  const code = state.known ? state.code : (Number.isInteger(cell.errorCode) && (cell.errorCode as number) >= 0 && (cell.errorCode as number) <= 9999 ? cell.errorCode as number : null)
  const name = state.known ? state.name : (typeof cell.name === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(cell.name) ? cell.name : state.name)
  const status = Number.isInteger(cell.status) && (cell.status as number) >= 100 && (cell.status as number) <= 599 ? cell.status as number : null
  const view: ErrorEventView = {
    event_id: cell.seq.toString(36),
    error_code: code,
    error_name: name,
    known: state.known,
    domain: state.domain,
    status_code: status,
    message: typeof cell.message === 'string' ? masked(cell.message, 1024) : '',
    method: typeof cell.method === 'string' ? cell.method.slice(0, 16) : null,
    route: typeof cell.route === 'string' ? masked(cell.route, 256) : null,
    // Decoded before masking (`jane%40example.com` is an e-mail), cut after it (a cut card is not a card).
    path: typeof cell.path === 'string' ? maskPath(cell.path).slice(0, 256) : null,
    request_id: typeof cell.requestId === 'string' ? masked(cell.requestId, 128) : null,
    trace_id: typeof cell.traceId === 'string' && /^[0-9a-f]{32}$/.test(cell.traceId) ? cell.traceId : null,
    timestamp: isoDate(cell.timestamp)
  }
  if (cell.detail !== undefined) view.detail = redactEvent(cell.detail)
  return view
}

function masked (text: string, max: number): string {
  const out = redactEvent(text.length > max ? text.slice(0, max) : text)
  return typeof out === 'string' ? out : ''
}
