import type { ConfigOverrides } from './presets.js'
import { rejectUnknownKeys } from './option-keys.js'
import { checkStackTraces } from './stack-policy.js'

// The keys a preset's overrides accept. Values are the packages' to check, when they are called with
// them; a typo in a key would otherwise be silently carried to a function that refuses it much later.

type Section = 'fastify' | 'i18n' | 'metrics' | 'tracing'

const CORE_KEYS = ['debug', 'format', 'stackTraces', 'check'] as const
const SECTIONS: readonly Section[] = ['fastify', 'i18n', 'metrics', 'tracing']
/** The top-level keys of a preset's overrides. */
export const TOP_KEYS: readonly string[] = [...CORE_KEYS, ...SECTIONS]

/** The keys each section accepts: the package's options that are plain data. */
export const SECTION_KEYS: Readonly<Record<Section, readonly string[]>> = {
  fastify: ['debug', 'format', 'notFound', 'errorHandler', 'requestIdHeader', 'logLevels', 'typeBaseUrl', 'openapi', 'routes'],
  i18n: ['defaultLocale', 'fallbackLocales', 'dir', 'watch', 'builtins', 'maxFileSize', 'cacheSize'],
  metrics: ['enabled', 'prefix', 'maxEvents', 'bucketSeconds', 'maxBuckets', 'labels', 'defaultMetrics', 'routes', 'dashboard', 'exemplars', 'sentry'],
  tracing: ['enabled', 'serviceName', 'serviceVersion', 'environment', 'exporter', 'url', 'headers', 'sampleRate', 'batch', 'recordClientErrors', 'contextManager']
}

// Options that carry behaviour: a preset cannot hold them, so a key here gets a pointer to the call site.
export const CALL_SITE: Readonly<Record<Section, readonly string[]>> = {
  fastify: ['catalog', 'i18n', 'metrics', 'tracing', 'redactor'],
  i18n: ['messages', 'onReload'],
  metrics: ['registry', 'catalog', 'now', 'fleet'],
  tracing: ['tracerProvider']
}
const CALLED_AS: Readonly<Record<Section, string>> = { fastify: 'register(errorCodes, …)', i18n: 'createI18n(…)', metrics: 'createMetrics(…)', tracing: 'createTracing(…)' }

// Nested objects whose keys are checked too (the packages check their values when they are called).
export const NESTED: Readonly<Record<string, readonly string[]>> = {
  'fastify.routes': ['prefix', 'hide'],
  'fastify.logLevels': ['low', 'medium', 'high', 'critical'],
  'metrics.labels': ['method', 'route'],
  'metrics.sentry': ['dsn', 'environment', 'release', 'report4xx', 'sampleRate', 'rateLimit', 'groupByRoute'],
  'metrics.sentry.rateLimit': ['events', 'seconds'],
  'i18n.watch': ['debounceMs'],
  'tracing.batch': ['maxQueueSize', 'maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis']
}

/** Checks a preset's overrides once: keys (nested ones too) and core's own values; `fn` names the caller. */
export function checkOverrides (fn: string, overrides: ConfigOverrides): void {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new TypeError(`${fn}: overrides must be an object such as { metrics: { prefix: 'shop_' } }`)
  for (const moved of ['defaultLocale', 'fallbackLocales']) {
    if (moved in overrides) throw new TypeError(`${fn}: option "${moved}" moved to i18n: pass { i18n: { ${moved} } }`)
  }
  rejectUnknownKeys(fn, overrides, TOP_KEYS)
  if (overrides.debug !== undefined && typeof overrides.debug !== 'boolean') throw new TypeError(`${fn}: option "debug" must be a boolean`)
  if (overrides.format !== undefined && overrides.format !== 'json' && overrides.format !== 'problem') throw new TypeError(`${fn}: option "format" must be "json" or "problem"`)
  if (overrides.stackTraces !== undefined) checkStackTraces(overrides.stackTraces, `${fn}: option "stackTraces"`)
  if (overrides.check !== undefined && overrides.check !== 'throw' && overrides.check !== 'clean') throw new TypeError(`${fn}: option "check" must be "throw" or "clean"`)
  for (const section of SECTIONS) {
    const value = overrides[section] as Record<string, unknown> | undefined
    if (value === undefined) continue
    if (!isObject(value)) throw new TypeError(`${fn}: option "${section}" must be an object of ${CALLED_AS[section]} options`)
    for (const key of Object.keys(value)) {
      if (CALL_SITE[section].includes(key)) throw new TypeError(`${fn}: option "${section}.${key}" carries behaviour a preset cannot hold; pass it to ${CALLED_AS[section]} beside the preset`)
    }
    rejectUnknownKeys(fn, value, SECTION_KEYS[section], section)
    checkNested(fn, value, section)
  }
}

function checkNested (fn: string, value: Record<string, unknown>, path: string): void {
  for (const [key, child] of Object.entries(value)) {
    const where = `${path}.${key}`
    const known = NESTED[where]
    // `watch: true` is a flag; only its object form has keys.
    if (known === undefined || child === false || child === undefined || (where === 'i18n.watch' && child === true)) continue
    if (!isObject(child)) throw new TypeError(`${fn}: option "${where}" must be an object`)
    rejectUnknownKeys(fn, child, known, where)
    checkNested(fn, child, where)
  }
}

function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
