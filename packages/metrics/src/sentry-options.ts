import { isSentryDsn, rejectUnknownKeys } from '@errcodes/core/internal'

/** The part of a Sentry client (v8+ `Client`, `Sentry.getClient()`) the reporter calls. */
export interface SentryClientLike {
  captureException (exception: unknown, hint?: Record<string | symbol, unknown>, scope?: unknown): unknown
  addEventProcessor (processor: (event: any, hint: any) => any): void
  /** Client hooks (v8+): `processSpan` lets the reporter scrub streamed spans. */
  on? (hook: string, callback: (...args: any[]) => void): unknown
  flush? (timeout?: number): PromiseLike<boolean>
  close? (timeout?: number): PromiseLike<boolean>
}

/** How many events of one code may go to Sentry per interval; the rest are counted as rate-limited. */
export interface SentryRateLimit {
  /** Events per code per interval (1–100000). Default 10. */
  readonly events?: number
  /** Interval in seconds (1–86400). Default 60. */
  readonly seconds?: number
  /** Events over all codes and keys per interval (1–1000000). Default 10 × `events`. */
  readonly total?: number
}

/** The `sentry` option: a DSN (the reporter owns a client) or a client the application made. */
export interface SentryOptions {
  /** DSN of the project; the reporter creates its own client (never `Sentry.init`). Needs `@sentry/node`. */
  readonly dsn?: string
  readonly environment?: string
  readonly release?: string
  /** An existing client instead of a DSN (`Sentry.getClient()` after `Sentry.init`, or a `NodeClient`). */
  readonly client?: SentryClientLike
  /** Also report 4xx errors (default false: only 5xx and codes outside the catalog). */
  readonly report4xx?: boolean
  /** Share of error events sent, 0–1, decided before any work is done. Default 1. */
  readonly sampleRate?: number
  /** Per-code cap and a ceiling over all codes, `false` for none. Default `{ events: 10, seconds: 60, total: 100 }`. */
  readonly rateLimit?: SentryRateLimit | false
  /** Group catalog errors by code and route template instead of by code alone. Default false. */
  readonly groupByRoute?: boolean
}

/** The `sentry` option after defaults and checks. */
export interface ResolvedSentryOptions {
  readonly dsn: string | undefined
  readonly environment: string | undefined
  readonly release: string | undefined
  readonly client: SentryClientLike | undefined
  readonly report4xx: boolean
  readonly sampleRate: number
  readonly rateLimit: { readonly events: number, readonly intervalMs: number, readonly total: number } | undefined
  readonly groupByRoute: boolean
}

/** Every key of the `sentry` option (the README's table is checked against it). */
export const SENTRY_KEYS: ReadonlyArray<keyof SentryOptions> = ['dsn', 'environment', 'release', 'client', 'report4xx', 'sampleRate', 'rateLimit', 'groupByRoute']

/** Validates the `sentry` option of `createMetrics` once; a bad value throws a TypeError naming it. */
export function resolveSentryOptions (value: unknown): ResolvedSentryOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('createMetrics: option "sentry" must be an object with a dsn or a client')
  const s = value as Record<string, unknown>
  rejectUnknownKeys('createMetrics', s, SENTRY_KEYS, 'sentry')
  if ((s.dsn === undefined) === (s.client === undefined)) throw new TypeError('createMetrics: option "sentry" needs exactly one of "dsn" or "client"')
  if (s.dsn !== undefined && !validDsn(s.dsn)) throw new TypeError('createMetrics: option "sentry.dsn" must be a DSN like https://key@host/1 (http(s), public key, host, numeric project id; no spaces or control characters); its value is not shown')
  if (s.client !== undefined && (typeof s.client !== 'object' || s.client === null || typeof (s.client as SentryClientLike).captureException !== 'function' || typeof (s.client as SentryClientLike).addEventProcessor !== 'function')) {
    // Without addEventProcessor the reporter could not scrub what it sends.
    throw new TypeError('createMetrics: option "sentry.client" must be a Sentry client with captureException() and addEventProcessor()')
  }
  for (const key of ['environment', 'release']) {
    if (s[key] !== undefined && (typeof s[key] !== 'string' || (s[key] as string).length > 200)) throw new TypeError(`createMetrics: option "sentry.${key}" must be a string`)
  }
  for (const key of ['report4xx', 'groupByRoute']) {
    if (s[key] !== undefined && typeof s[key] !== 'boolean') throw new TypeError(`createMetrics: option "sentry.${key}" must be a boolean`)
  }
  const sampleRate = s.sampleRate ?? 1
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) throw new TypeError('createMetrics: option "sentry.sampleRate" must be a number from 0 to 1')
  return {
    dsn: s.dsn as string | undefined,
    environment: s.environment as string | undefined,
    release: s.release as string | undefined,
    client: s.client as SentryClientLike | undefined,
    report4xx: s.report4xx === true,
    sampleRate,
    rateLimit: rateLimitOf(s.rateLimit),
    groupByRoute: s.groupByRoute === true
  }
}

function rateLimitOf (value: unknown): ResolvedSentryOptions['rateLimit'] {
  if (value === false) return undefined
  if (value === undefined) return { events: 10, intervalMs: 60_000, total: 100 }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('createMetrics: option "sentry.rateLimit" must be false or an object like { events: 10, seconds: 60 }')
  rejectUnknownKeys('createMetrics', value, ['events', 'seconds', 'total'], 'sentry.rateLimit')
  const { events = 10, seconds = 60 } = value as SentryRateLimit
  const total = (value as SentryRateLimit).total ?? events * 10
  if (!Number.isInteger(events) || events < 1 || events > 100_000) throw new TypeError('createMetrics: option "sentry.rateLimit.events" must be an integer from 1 to 100000')
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) throw new TypeError('createMetrics: option "sentry.rateLimit.seconds" must be an integer from 1 to 86400')
  if (!Number.isInteger(total) || total < 1 || total > 1_000_000) throw new TypeError('createMetrics: option "sentry.rateLimit.total" must be an integer from 1 to 1000000')
  return { events, intervalMs: seconds * 1000, total }
}

// Strict (no whitespace or control characters, numeric project id): Sentry's SDK prints a DSN it cannot
// parse whole, public key included. The message above never quotes it.
function validDsn (dsn: unknown): boolean {
  return isSentryDsn(dsn)
}
