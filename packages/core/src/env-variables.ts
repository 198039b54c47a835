import { isSentryDsn } from './sentry-dsn.js'

/** One `ERRCODES_*` variable `fromEnv` reads: where it goes, what it accepts, how it is parsed. */
export interface EnvVariable {
  readonly name: string
  /** The option paths it sets, e.g. `metrics.prefix`; `preset` chooses the preset itself. */
  readonly sets: readonly string[]
  /** What it accepts, in words (the error message and the README say the same). */
  readonly accepts: string
  /** A secret (a DSN, a URL that may carry credentials): its value is never quoted in a message. */
  readonly secret?: boolean
  /** The parsed value, or `undefined` when the text is not acceptable. */
  readonly parse: (text: string) => unknown
}

const LOCALE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

const bool = (text: string): boolean | undefined => /^(?:true|1|yes|on)$/i.test(text) ? true : /^(?:false|0|no|off)$/i.test(text) ? false : undefined
const oneOf = (...values: string[]) => (text: string): string | undefined => values.includes(text) ? text : undefined
const matching = (re: RegExp) => (text: string): string | undefined => re.test(text) ? text : undefined
const printable = (text: string): string | undefined => text.trim() !== '' && text.length <= 256 && !CONTROL.test(text) ? text : undefined
const rate = (text: string): number | undefined => {
  const n = /^\d{0,3}(?:\.\d{1,17})?$/.test(text) && text !== '' && text !== '.' ? Number(text) : NaN
  return n >= 0 && n <= 1 ? n : undefined
}
const integer = (min: number, max: number) => (text: string): number | undefined => {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN
  return n >= min && n <= max ? n : undefined
}
const locales = (text: string): string[] | undefined => {
  const list = text.split(',').map(s => s.trim()).filter(Boolean)
  return list.every(l => LOCALE.test(l)) ? list : undefined
}
const labels = (text: string): Record<string, boolean> | undefined => {
  const list = text.split(',').map(s => s.trim()).filter(Boolean)
  return list.every(l => l === 'method' || l === 'route') ? { method: list.includes('method'), route: list.includes('route') } : undefined
}
const httpUrl = (text: string): string | undefined => {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? text : undefined
  } catch {
    return undefined
  }
}
const dsn = (text: string): string | undefined => isSentryDsn(text) ? text : undefined

/**
 * Every variable `fromEnv` reads (the README's table is checked against this list). An empty value
 * counts as unset.
 */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'ERRCODES_PRESET', sets: ['preset'], accepts: 'development, production, testing or disabled', parse: oneOf('development', 'production', 'testing', 'disabled') },
  { name: 'ERRCODES_DEBUG', sets: ['debug', 'fastify.debug'], accepts: 'true or false (1/0, yes/no, on/off)', parse: bool },
  { name: 'ERRCODES_FORMAT', sets: ['format', 'fastify.format'], accepts: 'json or problem', parse: oneOf('json', 'problem') },
  { name: 'ERRCODES_STACK_TRACES', sets: ['stackTraces'], accepts: 'all or server', parse: oneOf('all', 'server') },
  { name: 'ERRCODES_CHECK', sets: ['check'], accepts: 'throw or clean', parse: oneOf('throw', 'clean') },
  { name: 'ERRCODES_REQUEST_ID_HEADER', sets: ['fastify.requestIdHeader'], accepts: 'a header name such as x-request-id, or false', parse: text => text === 'false' ? false : matching(/^[!#$%&'*+.^_`|~0-9a-zA-Z-]{1,64}$/)(text) },
  { name: 'ERRCODES_TYPE_BASE_URL', sets: ['fastify.typeBaseUrl'], accepts: 'an absolute URI such as https://errors.example.com/', parse: matching(/^[a-z][a-z0-9+.-]*:\S{0,2000}$/i) },
  { name: 'ERRCODES_ROUTES_PREFIX', sets: ['fastify.routes.prefix'], accepts: 'a path such as /internal (a leading /, no trailing /)', parse: matching(/^\/[\w\-./]{0,255}[^/]$/) },
  { name: 'ERRCODES_DEFAULT_LOCALE', sets: ['i18n.defaultLocale'], accepts: 'a BCP 47 tag such as en or ko-KR', parse: matching(LOCALE) },
  { name: 'ERRCODES_FALLBACK_LOCALES', sets: ['i18n.fallbackLocales'], accepts: 'comma-separated BCP 47 tags such as ko,en', parse: locales },
  { name: 'ERRCODES_LOCALES_DIR', sets: ['i18n.dir'], accepts: 'a folder of locale files such as en.json and ko.json', parse: text => CONTROL.test(text) ? undefined : text },
  { name: 'ERRCODES_LOCALES_WATCH', sets: ['i18n.watch'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_ENABLED', sets: ['metrics.enabled'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_PREFIX', sets: ['metrics.prefix'], accepts: 'a metric name prefix such as shop_ ([a-zA-Z_:][a-zA-Z0-9_:]*, at most 64 characters)', parse: matching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,63}$/) },
  { name: 'ERRCODES_METRICS_LABELS', sets: ['metrics.labels'], accepts: 'comma-separated opt-in labels: method, route', parse: labels },
  { name: 'ERRCODES_METRICS_ROUTES', sets: ['metrics.routes'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_DASHBOARD', sets: ['metrics.dashboard'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_DEFAULT_METRICS', sets: ['metrics.defaultMetrics'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_EXEMPLARS', sets: ['metrics.exemplars'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_METRICS_MAX_EVENTS', sets: ['metrics.maxEvents'], accepts: 'a whole number from 0 to 1000000', parse: integer(0, 1_000_000) },
  { name: 'ERRCODES_SENTRY_DSN', sets: ['metrics.sentry.dsn'], accepts: 'a Sentry DSN such as https://key@o1.ingest.sentry.io/1', secret: true, parse: dsn },
  { name: 'ERRCODES_SENTRY_SAMPLE_RATE', sets: ['metrics.sentry.sampleRate'], accepts: 'a number from 0 to 1', parse: rate },
  { name: 'ERRCODES_SENTRY_REPORT_4XX', sets: ['metrics.sentry.report4xx'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_TRACING_ENABLED', sets: ['tracing.enabled'], accepts: 'true or false', parse: bool },
  { name: 'ERRCODES_TRACING_EXPORTER', sets: ['tracing.exporter'], accepts: 'otlp, console or none', parse: oneOf('otlp', 'console', 'none') },
  { name: 'ERRCODES_TRACING_URL', sets: ['tracing.url'], accepts: 'an http(s) OTLP traces URL such as http://collector:4318/v1/traces', secret: true, parse: httpUrl },
  { name: 'ERRCODES_TRACING_SAMPLE_RATE', sets: ['tracing.sampleRate'], accepts: 'a number from 0 to 1', parse: rate },
  { name: 'ERRCODES_SERVICE_NAME', sets: ['tracing.serviceName'], accepts: 'a name of at most 256 printable characters', parse: printable },
  { name: 'ERRCODES_SERVICE_VERSION', sets: ['tracing.serviceVersion', 'metrics.sentry.release'], accepts: 'a version of at most 200 printable characters', parse: text => text.length <= 200 ? printable(text) : undefined },
  { name: 'ERRCODES_ENVIRONMENT', sets: ['tracing.environment', 'metrics.sentry.environment'], accepts: 'a name such as production, at most 200 printable characters', parse: text => text.length <= 200 ? printable(text) : undefined }
]
