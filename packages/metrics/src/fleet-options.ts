import { rejectUnknownKeys } from '@errcodes/core/internal'

/** Where the fleet view reads its counts: a Prometheus HTTP API that scrapes every instance. */
export interface FleetOptions {
  /** Base URL of the Prometheus HTTP API (`http://prometheus:9090`, or with a path prefix such as `https://ops.example.com/prometheus`). */
  readonly url: string
  /** Headers sent with every query, e.g. `{ authorization: 'Bearer …' }`. Values are never logged. */
  readonly headers?: Readonly<Record<string, string>>
  /** Label matchers added to every query, e.g. `job="users"` or `job="users",env=~"prod|canary"`. */
  readonly selector?: string
  /** Time limit of one query in milliseconds (100–60,000). Default 2000. */
  readonly timeout?: number
  /** Largest answer body read, in bytes (1,024–67,108,864). Default 1 MiB. */
  readonly maxBytes?: number
  /** Most series one answer may hold (1–100,000). Default 1000. */
  readonly maxSeries?: number
  /** First wait in milliseconds before asking again after a failure; doubles up to 5 minutes (100–3,600,000). Default 10,000. */
  readonly retry?: number
  /** Receives one line when Prometheus stops answering and one when it is back. Default `console`. */
  readonly logger?: FleetLogger
}

/** What the fleet view logs through: `console`, a pino logger (`app.log`) and most loggers fit. */
export interface FleetLogger {
  warn (message: string): void
  info? (message: string): void
}

/** Fleet options after defaults and checks. */
export interface ResolvedFleetOptions {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly selector: string
  readonly timeout: number
  readonly maxBytes: number
  readonly maxSeries: number
  readonly retry: number
  readonly logger: FleetLogger
}

/** Every key of the `fleet` option (the README's table is checked against it). */
export const FLEET_KEYS: ReadonlyArray<keyof FleetOptions> = ['url', 'headers', 'selector', 'timeout', 'maxBytes', 'maxSeries', 'retry', 'logger']
// One or more PromQL label matchers: name, operator, double-quoted value with escapes.
const MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\\n]|\\.){0,1024}"\s*`
const SELECTOR = new RegExp(`^(?:${MATCHER}(?:,${MATCHER}){0,31},?)?$`)
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const NAME_MATCHER = /(?:^|,)\s*__name__\s*(?:=~|!~|!=|=)/

/** Validates the `fleet` option of `createMetrics` once; a bad value throws a TypeError naming it. */
export function resolveFleetOptions (value: unknown): ResolvedFleetOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('createMetrics: option "fleet" must be an object like { url: \'http://prometheus:9090\' }')
  const o = value as Record<string, unknown>
  rejectUnknownKeys('createMetrics', o, FLEET_KEYS, 'fleet')
  return {
    url: baseUrl(o.url),
    headers: headers(o.headers),
    selector: selector(o.selector),
    timeout: integer('timeout', o.timeout, 2000, 100, 60_000),
    maxBytes: integer('maxBytes', o.maxBytes, 1 << 20, 1024, 64 << 20),
    maxSeries: integer('maxSeries', o.maxSeries, 1000, 1, 100_000),
    retry: integer('retry', o.retry, 10_000, 100, 3_600_000),
    logger: logger(o.logger)
  }
}

function baseUrl (value: unknown): string {
  let url: URL
  try {
    if (typeof value !== 'string' || value.length > 2048) throw new TypeError('not a string')
    url = new URL(value)
  } catch {
    throw new TypeError('createMetrics: option "fleet.url" must be the http(s) URL of a Prometheus server, like http://prometheus:9090')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('createMetrics: option "fleet.url" must use http or https')
  // fetch() refuses URLs with credentials; say where they go instead of failing at the first query.
  if (url.username !== '' || url.password !== '') throw new TypeError('createMetrics: option "fleet.url" must not carry credentials; pass them in "fleet.headers" (authorization)')
  if (url.search !== '' || url.hash !== '') throw new TypeError('createMetrics: option "fleet.url" must have no query or fragment')
  // The queries append /api/v1/query themselves: a URL copied from an API call would ask /api/v1/api/v1/query.
  if (/\/api\/v1\/*$/.test(url.pathname)) throw new TypeError('createMetrics: option "fleet.url" must be the base URL of Prometheus, without /api/v1 (like http://prometheus:9090)')
  return url.href.replace(/\/+$/, '')
}

function headers (value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('createMetrics: option "fleet.headers" must be an object of header names to strings')
  const out: Record<string, string> = {}
  const entries = Object.entries(value)
  if (entries.length > 50) throw new TypeError('createMetrics: option "fleet.headers" has more than 50 headers')
  for (const [name, text] of entries) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`createMetrics: option "fleet.headers" has an invalid header name "${name.slice(0, 64)}"`)
    // fetch() sends only ByteStrings (Latin-1) and refuses control characters, at every query.
    if (typeof text !== 'string' || text.length > 8192 || !HEADER_VALUE.test(text)) throw new TypeError(`createMetrics: option "fleet.headers.${name}" must be a string without line breaks or control characters, only Latin-1 characters (fetch sends ByteStrings), at most 8192 characters`)
    out[name.toLowerCase()] = text
  }
  return out
}

function selector (value: unknown): string {
  if (value === undefined) return ''
  if (typeof value !== 'string' || value.length > 4096 || !SELECTOR.test(value)) {
    throw new TypeError('createMetrics: option "fleet.selector" must be PromQL label matchers without braces, like job="users" or job="users",env=~"prod|canary"')
  }
  // The queries name their metrics; a second __name__ matcher would empty or break every one of them.
  if (matchers(value).some(m => NAME_MATCHER.test(m))) throw new TypeError('createMetrics: option "fleet.selector" must not match __name__ (the queries choose the metric); select by job, instance or other labels')
  return value.trim().replace(/,$/, '')
}

/** The matchers of a selector that passed SELECTOR, split at the commas outside quoted values. */
function matchers (value: string): string[] {
  return value.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []
}

function integer (name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`createMetrics: option "fleet.${name}" must be an integer from ${min} to ${max}`)
  }
  return value
}

function logger (value: unknown): FleetLogger {
  if (value === undefined) return console
  const l = value as Partial<FleetLogger> | null
  if (typeof l !== 'object' || l === null || typeof l.warn !== 'function' || (l.info !== undefined && typeof l.info !== 'function')) {
    throw new TypeError('createMetrics: option "fleet.logger" must have a warn(message) method (console, a pino logger)')
  }
  return l as FleetLogger
}
