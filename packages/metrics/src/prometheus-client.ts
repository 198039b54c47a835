import type { ResolvedFleetOptions } from './fleet-options.js'

/** One series of an instant query: its labels and value. */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** One series of a range query: its labels and `[seconds, value]` points. */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly points: ReadonlyArray<readonly [number, number]>
}

/** A query Prometheus did not answer usefully; `message` says why in one line (no secrets). */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError'
}

/**
 * Queries the Prometheus HTTP API with every answer bounded: a time limit, a body size limit read
 * as a stream (a Content-Length is not trusted), a series limit, and a shape check of the JSON, so
 * a proxy's HTML page, a truncated body or a foreign API is refused instead of charted.
 */
export class PrometheusClient {
  private readonly options: ResolvedFleetOptions
  private readonly headers: Record<string, string>

  constructor (options: ResolvedFleetOptions) {
    this.options = options
    this.headers = { ...options.headers, accept: 'application/json' }
  }

  /** `GET /api/v1/query`: a vector at `time` (seconds). */
  async instant (query: string, time: number): Promise<InstantSample[]> {
    const data = await this.get('/api/v1/query', { query, time: String(time) }, 'vector')
    return data.map(item => {
      const labels = labelsOf(item)
      return { labels, value: sampleValue((item as { value?: unknown }).value) }
    })
  }

  /** `GET /api/v1/query_range` from `start` to `end` (seconds) every `step` seconds. */
  async range (query: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const maxPoints = Math.floor((end - start) / step) + 1
    const data = await this.get('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) }, 'matrix')
    return data.map(item => {
      const labels = labelsOf(item)
      const values = (item as { values?: unknown }).values
      if (!Array.isArray(values) || values.length > maxPoints) throw shape('a matrix series without a bounded "values" array')
      return { labels, points: values.map(v => [sampleTime(v), sampleValue(v)] as const) }
    })
  }

  private async get (path: string, params: Record<string, string>, resultType: 'vector' | 'matrix'): Promise<unknown[]> {
    const url = `${this.options.url}${path}?${new URLSearchParams(params).toString()}`
    let res: Response
    try {
      res = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.options.timeout), redirect: 'error' })
    } catch (err) {
      throw new PrometheusQueryError(isTimeout(err) ? `no answer within ${this.options.timeout} ms` : `unreachable (${causeOf(err)})`)
    }
    const text = await this.body(res)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new PrometheusQueryError(`HTTP ${res.status} with a body that is not JSON (content-type ${oneLine(res.headers.get('content-type') ?? 'none', 64)})`)
    }
    const answer = json as { status?: unknown, error?: unknown, data?: { resultType?: unknown, result?: unknown } } | null
    if (typeof answer !== 'object' || answer === null || (answer.status !== 'success' && answer.status !== 'error')) throw shape('no "status" of success or error')
    if (answer.status === 'error') throw new PrometheusQueryError(`HTTP ${res.status}: ${oneLine(String(answer.error), 200)}`)
    if (!res.ok) throw new PrometheusQueryError(`HTTP ${res.status}`)
    const data = answer.data
    if (typeof data !== 'object' || data === null || data.resultType !== resultType || !Array.isArray(data.result)) throw shape(`no ${resultType} result`)
    if (data.result.length > this.options.maxSeries) throw new PrometheusQueryError(`answer holds ${data.result.length} series, more than fleet.maxSeries (${this.options.maxSeries})`)
    return data.result
  }

  private async body (res: Response): Promise<string> {
    const limit = this.options.maxBytes
    const declared = Number(res.headers.get('content-length'))
    if (declared > limit) {
      await res.body?.cancel().catch(() => {})
      throw new PrometheusQueryError(`answer of ${declared} bytes is larger than fleet.maxBytes (${limit})`)
    }
    const reader = res.body?.getReader()
    if (reader === undefined) return ''
    const chunks: Uint8Array[] = []
    let size = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.byteLength
        if (size > limit) {
          await reader.cancel().catch(() => {})
          throw new PrometheusQueryError(`answer is larger than fleet.maxBytes (${limit})`)
        }
        chunks.push(value)
      }
    } catch (err) {
      if (err instanceof PrometheusQueryError) throw err
      throw new PrometheusQueryError(isTimeout(err) ? `no complete answer within ${this.options.timeout} ms` : `answer broken off (${causeOf(err)})`)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
}

function shape (what: string): PrometheusQueryError {
  return new PrometheusQueryError(`answer is not a Prometheus API result: ${what}`)
}

function labelsOf (item: unknown): Record<string, string> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw shape('a series that is not an object (wrong shape)')
  const metric = (item as { metric?: unknown }).metric
  if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) throw shape('a series without "metric" labels')
  // Label values become keys later on: without a prototype, "constructor" or "__proto__" is just a name.
  const labels: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string' || value.length > 1024) throw shape(`label "${oneLine(name, 64)}" is not a short string`)
    labels[name] = value
  }
  return labels
}

// Prometheus writes sample values with Go's strconv 'f' format: plain decimals. Counts of errors are
// never negative, hexadecimal or astronomically large; such a value means a foreign or broken answer.
const DECIMAL = /^[0-9]{1,16}(?:\.[0-9]{1,400})?$/
const MAX_VALUE = 1e15

function sampleValue (pair: unknown): number {
  const text = Array.isArray(pair) && pair.length === 2 ? pair[1] as unknown : undefined
  if (typeof text !== 'string') throw shape('a sample that is not [time, "number"]')
  const value = DECIMAL.test(text) ? Number(text) : NaN
  if (!Number.isFinite(value) || value < 0 || value > MAX_VALUE) throw shape(`a sample value "${oneLine(text, 32)}" that is not a decimal count from 0 to ${MAX_VALUE}`)
  return value
}

/** One line of at most `max` characters: control characters (a newline forges a log line) become spaces. */
export function oneLine (text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').slice(0, max)
}

function sampleTime (pair: unknown): number {
  const time = Array.isArray(pair) ? pair[0] : undefined
  if (typeof time !== 'number' || !Number.isFinite(time)) throw shape('a sample without a numeric time')
  return time
}

function isTimeout (err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name
  return name === 'TimeoutError' || name === 'AbortError'
}

function causeOf (err: unknown): string {
  const cause = (err as { cause?: { code?: unknown, message?: unknown } } | null)?.cause
  const text = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err)
  return oneLine(text, 120)
}
