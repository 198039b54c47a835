import type { Severity } from './app-error.js'
import type { CheckMode } from './occurrence-check.js'
import type { ErrorFormat } from './pick-format.js'
import { checkOverrides } from './check-overrides.js'
import type { StackTraces } from './stack-policy.js'

// Why the presets live in core and return plain data: every dependency points toward core, so core
// cannot call createI18n, createMetrics or createTracing (nor import their types). A preset returns each
// package's options as a frozen plain object, typed structurally here; a type test proves each section
// is accepted by the real function (`createI18n(p.i18n)`, `register(errorCodes, { ...p.fastify })`).
// What carries behaviour (a catalog, a registry, an exporter, the ports themselves) is added where the
// package is called. A service using core alone reads the top level (debug, format, stackTraces, check).

/** The four presets. */
export type PresetName = 'development' | 'production' | 'testing' | 'disabled'

/** `@errcodes/fastify`'s plain-data options (`register(errorCodes, { ...p.fastify, catalog, i18n, metrics, tracing })`). */
export interface FastifyConfig {
  readonly debug: boolean
  readonly format: ErrorFormat
  readonly notFound?: boolean
  readonly errorHandler?: boolean
  readonly requestIdHeader?: string | false
  readonly logLevels?: false | Readonly<Partial<Record<Severity, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | false>>>
  readonly typeBaseUrl?: string
  readonly openapi?: boolean
  readonly routes?: false | { readonly prefix?: string, readonly hide?: boolean }
}

/** `createI18n`'s plain-data options (`createI18n(p.i18n)`). */
export interface I18nConfig {
  readonly defaultLocale: string
  readonly fallbackLocales: readonly string[]
  readonly dir?: string
  readonly watch?: boolean | { readonly debounceMs?: number }
  readonly builtins?: boolean
  readonly maxFileSize?: number
  readonly cacheSize?: number
}

/** The `sentry` part of `createMetrics`'s options, from a DSN (a `client` is added in code). */
export interface SentryConfig {
  readonly dsn?: string
  readonly environment?: string
  readonly release?: string
  readonly report4xx?: boolean
  readonly sampleRate?: number
  readonly rateLimit?: false | { readonly events?: number, readonly seconds?: number, readonly total?: number }
  readonly groupByRoute?: boolean
}

/** `createMetrics`'s plain-data options (`createMetrics({ ...p.metrics, catalog })`). */
export interface MetricsConfig {
  readonly enabled: boolean
  readonly prefix?: string
  readonly maxEvents?: number
  readonly bucketSeconds?: number
  readonly maxBuckets?: number
  readonly labels?: { readonly method?: boolean, readonly route?: boolean }
  readonly defaultMetrics?: boolean
  readonly routes?: boolean
  readonly dashboard?: boolean
  readonly exemplars?: boolean
  readonly sentry?: SentryConfig
}

/** `createTracing`'s plain-data options (`createTracing({ ...p.tracing, serviceName })`). */
export interface TracingConfig {
  readonly enabled: boolean
  readonly serviceName?: string
  readonly serviceVersion?: string
  readonly environment?: string
  readonly exporter?: 'otlp' | 'console' | 'none'
  readonly url?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly sampleRate?: number
  readonly batch?: { readonly maxQueueSize?: number, readonly maxExportBatchSize?: number, readonly scheduledDelayMillis?: number, readonly exportTimeoutMillis?: number }
  readonly recordClientErrors?: boolean
  readonly contextManager?: boolean
}

/** What a preset returns: core's own settings at the top level, one section per package. Deeply frozen. */
export interface ErrcodesConfig {
  /** The preset this configuration started from. */
  readonly preset: PresetName
  /** Stack and cause chain in bodies (core's `formatError`, the plugin). Never in production. */
  readonly debug: boolean
  /** Default wire format. */
  readonly format: ErrorFormat
  /** Which errors capture a stack trace: `defineErrors(defs, { stackTraces: p.stackTraces, check: p.check })`. */
  readonly stackTraces: StackTraces
  /** What `create()` does with params or detail that do not match their schemas. */
  readonly check: CheckMode
  readonly fastify: FastifyConfig
  readonly i18n: I18nConfig
  readonly metrics: MetricsConfig
  readonly tracing: TracingConfig
}

/** Overrides of a preset: core's settings, and per package any of its section's keys (merged key by key). */
export interface ConfigOverrides {
  readonly debug?: boolean
  readonly format?: ErrorFormat
  readonly stackTraces?: StackTraces
  readonly check?: CheckMode
  readonly fastify?: Partial<FastifyConfig>
  readonly i18n?: Partial<I18nConfig>
  readonly metrics?: Partial<MetricsConfig>
  readonly tracing?: Partial<TracingConfig>
}

interface Base {
  readonly debug: boolean
  readonly stackTraces: StackTraces
  readonly check: CheckMode
  readonly fastify: Omit<FastifyConfig, 'debug' | 'format'>
  readonly metrics: MetricsConfig
  readonly tracing: TracingConfig
}

// What each preset means for each package (the README's "Presets" table says the same).
const BASES: Readonly<Record<PresetName, Base>> = {
  development: { debug: true, stackTraces: 'all', check: 'throw', fastify: {}, metrics: { enabled: true }, tracing: { enabled: true, exporter: 'none' } },
  production: { debug: false, stackTraces: 'server', check: 'clean', fastify: {}, metrics: { enabled: true }, tracing: { enabled: true } },
  // Deterministic and quiet: no exemplars (random trace ids in the scrape), no export, no log lines.
  testing: { debug: false, stackTraces: 'all', check: 'throw', fastify: { logLevels: false }, metrics: { enabled: true, exemplars: false }, tracing: { enabled: true, exporter: 'none' } },
  // The suite installed but off: coded error responses stay; no routes, counting, Sentry, spans.
  disabled: { debug: false, stackTraces: 'server', check: 'clean', fastify: { routes: false }, metrics: { enabled: false }, tracing: { enabled: false } }
}

/** Development: debug bodies, every stack, i18n watching `dir` when one is given, spans made but not exported. */
export function development (overrides: ConfigOverrides = {}): ErrcodesConfig {
  return preset('development', overrides, 'development')
}

/** Production: no stacks or causes in bodies, stacks for 5xx only, metrics and OTLP tracing on. */
export function production (overrides: ConfigOverrides = {}): ErrcodesConfig {
  return preset('production', overrides, 'production')
}

/** Testing: deterministic and quiet (no watcher, exemplar, export, Sentry or error log lines); production bodies. */
export function testing (overrides: ConfigOverrides = {}): ErrcodesConfig {
  return preset('testing', overrides, 'testing')
}

/** Disabled: the plugin still answers coded errors, but no metrics, routes, Sentry or tracing. */
export function disabled (overrides: ConfigOverrides = {}): ErrcodesConfig {
  return preset('disabled', overrides, 'disabled')
}

/** Builds a preset with overrides; `fn` names the public function in messages. */
export function preset (name: PresetName, overrides: ConfigOverrides, fn: string): ErrcodesConfig {
  checkOverrides(fn, overrides)
  const base = BASES[name]
  const debug = overrides.debug ?? base.debug
  const format = overrides.format ?? 'json'
  const i18n: Record<string, unknown> = { defaultLocale: 'en', fallbackLocales: [], ...overrides.i18n }
  // Development reloads messages as their files change; it needs a folder to watch.
  if (name === 'development' && i18n.dir !== undefined && i18n.watch === undefined) i18n.watch = true
  const tracing: Record<string, unknown> = { ...base.tracing, ...overrides.tracing }
  // A URL means "send there": createTracing refuses one next to exporter 'none'.
  if (overrides.tracing?.url !== undefined && overrides.tracing.exporter === undefined && base.tracing.exporter !== undefined) tracing.exporter = 'otlp'
  return deepFreeze({
    preset: name,
    debug,
    format,
    stackTraces: overrides.stackTraces ?? base.stackTraces,
    check: overrides.check ?? base.check,
    fastify: { debug, format, ...base.fastify, ...overrides.fastify },
    i18n: i18n as unknown as I18nConfig,
    metrics: { ...base.metrics, ...overrides.metrics },
    tracing: tracing as unknown as TracingConfig
  })
}

function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// A copy, frozen all the way down: a preset is shared configuration, and arrays passed in stay the caller's.
function deepFreeze<T> (value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(deepFreeze)) as T
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = deepFreeze(v)
  return Object.freeze(out) as T
}
