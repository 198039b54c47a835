import { Registry } from 'prom-client'
import { isCatalog, type Catalog } from '@errcodes/core'
import { resolveSentryOptions, type ResolvedSentryOptions, type SentryOptions } from './sentry-options.js'
import { resolveFleetOptions, type FleetOptions, type ResolvedFleetOptions } from './fleet-options.js'
import { rejectUnknownKeys } from '@errcodes/core/internal'

/** Options of `createMetrics`. Every one is checked once; a bad value throws a TypeError naming it. */
export interface MetricsOptions {
  /** `false` keeps the API but records nothing, mounts no routes and reports to no Sentry (the `disabled` preset). Default true. */
  readonly enabled?: boolean
  /** The prom-client registry to register in. Default: a new one per instance (never the global). */
  readonly registry?: Registry
  /** Metric name prefix. Default `errcodes_`. */
  readonly prefix?: string
  /** Recent events kept in memory for the dashboard (0–1,000,000). Default 1000. */
  readonly maxEvents?: number
  /** Width of one time bucket in seconds (1–86400). Default 60. */
  readonly bucketSeconds?: number
  /** Time buckets kept (1–10080). Default 60, one hour of minutes. */
  readonly maxBuckets?: number
  /** Opt-in labels: the HTTP method and the route template (`__unknown__` when unmatched). */
  readonly labels?: { readonly method?: boolean, readonly route?: boolean }
  /** The catalog whose codes are label values; others become `_OTHER`. The built-ins are always known. */
  readonly catalog?: Catalog
  /** Also collect prom-client's default Node process metrics into the registry. Default false. */
  readonly defaultMetrics?: boolean
  /** Report server faults to Sentry (needs the optional peer `@sentry/node`). */
  readonly sentry?: SentryOptions
  /** Contribute the HTTP routes (`/metrics`, `/api/metrics/*`). Default true. */
  readonly routes?: boolean
  /** Include the HTML dashboard route. Default true. */
  readonly dashboard?: boolean
  /** Clock in milliseconds since the epoch (tests inject one). Default `Date.now`. */
  readonly now?: () => number
  /** Answer the dashboard and `/api/metrics/*` for every instance from this Prometheus (see README "Fleet"). */
  readonly fleet?: FleetOptions
  /** Attach the trace id of a recent error to `errors_total` as an OpenMetrics exemplar. Default true. */
  readonly exemplars?: boolean
}

/** Options after defaults and checks. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean
  readonly registry: Registry
  readonly prefix: string
  readonly maxEvents: number
  readonly bucketSeconds: number
  readonly maxBuckets: number
  readonly labels: { readonly method: boolean, readonly route: boolean }
  readonly catalog: Catalog | undefined
  readonly defaultMetrics: boolean
  readonly sentry: ResolvedSentryOptions | undefined
  readonly routes: boolean
  readonly dashboard: boolean
  readonly now: () => number
  readonly fleet: ResolvedFleetOptions | undefined
  readonly exemplars: boolean
}

const PREFIX = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]{0,63})?$/
/** Every option `createMetrics` takes (the README's options table is checked against it). */
export const OPTION_KEYS: ReadonlyArray<keyof MetricsOptions> = ['enabled', 'registry', 'prefix', 'maxEvents', 'bucketSeconds', 'maxBuckets', 'labels', 'catalog', 'defaultMetrics', 'sentry', 'routes', 'dashboard', 'now', 'fleet', 'exemplars']

/** Applies defaults and validates every option of `createMetrics`. */
export function resolveOptions (options: MetricsOptions = {}): ResolvedMetricsOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError('createMetrics: options must be an object')
  rejectUnknownKeys('createMetrics', options, OPTION_KEYS)
  const o = options
  if (o.registry !== undefined && !(o.registry instanceof Registry) && !registryLike(o.registry)) {
    throw new TypeError('createMetrics: option "registry" must be a prom-client Registry')
  }
  const prefix = o.prefix ?? 'errcodes_'
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new TypeError('createMetrics: option "prefix" must match /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ (at most 64 characters) or be empty')
  }
  const labels = o.labels ?? {}
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) throw new TypeError('createMetrics: option "labels" must be an object like { method: true, route: true }')
  rejectUnknownKeys('createMetrics', labels, ['method', 'route'], 'labels')
  for (const key of Object.keys(labels)) {
    if (typeof (labels as Record<string, unknown>)[key] !== 'boolean' && (labels as Record<string, unknown>)[key] !== undefined) {
      throw new TypeError(`createMetrics: option "labels.${key}" must be a boolean`)
    }
  }
  if (o.catalog !== undefined && !isCatalog(o.catalog)) throw new TypeError('createMetrics: option "catalog" must be a catalog from defineErrors')
  if (o.now !== undefined && typeof o.now !== 'function') throw new TypeError('createMetrics: option "now" must be a function returning milliseconds')
  return {
    enabled: boolean('enabled', o.enabled, true),
    registry: o.registry ?? new Registry(),
    prefix,
    maxEvents: integer('maxEvents', o.maxEvents, 1000, 0, 1_000_000),
    bucketSeconds: integer('bucketSeconds', o.bucketSeconds, 60, 1, 86_400),
    maxBuckets: integer('maxBuckets', o.maxBuckets, 60, 1, 10_080),
    labels: { method: labels.method === true, route: labels.route === true },
    catalog: o.catalog,
    defaultMetrics: boolean('defaultMetrics', o.defaultMetrics, false),
    sentry: o.sentry === undefined ? undefined : resolveSentryOptions(o.sentry),
    routes: boolean('routes', o.routes, true),
    dashboard: boolean('dashboard', o.dashboard, true),
    now: o.now ?? Date.now,
    fleet: o.fleet === undefined ? undefined : resolveFleetOptions(o.fleet),
    exemplars: boolean('exemplars', o.exemplars, true)
  }
}

function integer (name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`createMetrics: option "${name}" must be an integer from ${min} to ${max}`)
  }
  return value
}

function boolean (name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new TypeError(`createMetrics: option "${name}" must be a boolean`)
  return value
}

function registryLike (value: unknown): boolean {
  // Another installed copy of prom-client has its own Registry class.
  const r = value as Record<string, unknown> | null
  return typeof r === 'object' && r !== null && typeof r.registerMetric === 'function' && typeof r.metrics === 'function' && typeof r.getSingleMetric === 'function'
}
