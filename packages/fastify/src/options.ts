import type { onRequestHookHandler, preHandlerHookHandler } from 'fastify'
import { builtinErrors, isCatalog, maskString, overrideCatalog, type AppError, type Catalog, type ErrorFormat, type ErrorRecorder, type ErrorTracer, type Redactor, type Severity, type Translator, redact } from '@errcodes/core'
import { closestKey, rejectUnknownKeys } from '@errcodes/core/internal'

/** Pino levels the handler may log at; `false` silences the line. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

/** How errors are logged: a level per severity, a function, or `false` for no logging at all. */
export type LogLevelPolicy = false | Partial<Record<Severity, LogLevel | false>> | ((error: AppError, status: number) => LogLevel | false)

/** Where a port's routes (metrics text, dashboard) are mounted, and who may reach them. */
export interface PortRoutesOptions {
  /** Prefix for every port route, e.g. `/internal`. Default ''. */
  readonly prefix?: string
  /** A hook run before each port route, e.g. to check a token. They expose operational data. */
  readonly onRequest?: onRequestHookHandler | preHandlerHookHandler
  /** Hide them from the OpenAPI document. Default false. */
  readonly hide?: boolean
}

/** Options of `app.register(errorCodes, options)`. */
export interface ErrorCodesOptions {
  /** The service's catalog(s); merged over the built-in entries with collision checks. */
  readonly catalog?: Catalog | readonly Catalog[]
  /** Default wire format; a client's `Accept` can still pick the other. Default `json`. */
  readonly format?: ErrorFormat
  /** Localizes messages (from @errcodes/i18n). */
  readonly i18n?: Translator
  /** Counts errors and mounts its routes (from @errcodes/metrics). */
  readonly metrics?: ErrorRecorder
  /** Records errors on spans and propagates trace context (from @errcodes/tracing). */
  readonly tracing?: ErrorTracer
  /** Stack and cause chain in bodies. Never in production. Default false. */
  readonly debug?: boolean
  /** Answer unknown routes with ROUTE_NOT_FOUND. Default true. */
  readonly notFound?: boolean
  /** Install the error handler. Set false to only decorate and compose `handleError` yourself. */
  readonly errorHandler?: boolean
  /**
   * Response header that carries the request id (Fastify's `request.id`). `false`: none. Default
   * `x-request-id`. Which incoming id is kept is Fastify's choice: use `requestIdOptions()`.
   */
  readonly requestIdHeader?: string | false
  /** Log level policy. Default: severity low → info, medium → warn, high → error, critical → fatal. */
  readonly logLevels?: LogLevelPolicy
  /** Base of the problem `type` URI (the error name is appended). Default `urn:errcodes:`. */
  readonly typeBaseUrl?: string
  /** Add error responses to every route's schema for OpenAPI. Default true. */
  readonly openapi?: boolean
  /** Mounting of the ports' routes (`/metrics`, `/api/metrics/*`); `false` mounts none. */
  readonly routes?: false | PortRoutesOptions
  /** Masks secrets in logs. Default: core's `redact`. */
  readonly redactor?: Redactor
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  readonly catalog: Catalog
  readonly format: ErrorFormat
  readonly i18n: Translator | undefined
  readonly metrics: ErrorRecorder | undefined
  readonly tracing: ErrorTracer | undefined
  readonly debug: boolean
  readonly notFound: boolean
  readonly errorHandler: boolean
  readonly requestIdHeader: string | false
  readonly logLevels: (error: AppError, status: number) => LogLevel | false
  readonly typeBaseUrl: string
  readonly openapi: boolean
  readonly routes: false | Required<Omit<PortRoutesOptions, 'onRequest'>> & Pick<PortRoutesOptions, 'onRequest'>
  readonly redactor: Redactor
}

const DEFAULT_LEVELS: Record<Severity, LogLevel> = { low: 'info', medium: 'warn', high: 'error', critical: 'fatal' }
const SEVERITIES = Object.keys(DEFAULT_LEVELS)
const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
const HEADER = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/

/** Every option of the plugin (the README's options table is checked against it). */
export const OPTION_KEYS: ReadonlyArray<keyof ErrorCodesOptions> = ['catalog', 'format', 'i18n', 'metrics', 'tracing', 'debug', 'notFound', 'errorHandler', 'requestIdHeader', 'logLevels', 'typeBaseUrl', 'openapi', 'routes', 'redactor']

/** Validates the options once, at registration; a bad one throws a TypeError naming it. */
export function resolveOptions (options: ErrorCodesOptions = {}): ResolvedOptions {
  try {
    return resolveChecked(options)
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith('@errcodes/fastify')) throw err
    // A getter or Proxy among the options threw: its message may carry a secret, so it is masked.
    throw new TypeError(`@errcodes/fastify: the options cannot be read: ${maskString(String((err as Error)?.message ?? err)).slice(0, 512)}`)
  }
}

function resolveChecked (options: ErrorCodesOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('@errcodes/fastify: options must be an object')
  // Fastify adds no keys of its own to a plugin's options; anything unknown is the user's typo.
  rejectUnknownKeys('@errcodes/fastify', options, OPTION_KEYS)
  const o = options
  const catalogs = o.catalog === undefined ? [] : Array.isArray(o.catalog) ? o.catalog : [o.catalog]
  for (const c of catalogs) {
    if (!isCatalog(c)) throw new TypeError('@errcodes/fastify: option "catalog" must be a catalog from defineErrors (or an array of them)')
  }
  let catalog: Catalog
  try {
    catalog = catalogs.length === 0 ? builtinErrors : overrideCatalog(builtinErrors, ...catalogs)
  } catch (err) {
    throw new TypeError(`@errcodes/fastify: option "catalog": ${(err as Error).message}`, { cause: err })
  }
  if (o.format !== undefined && o.format !== 'json' && o.format !== 'problem') {
    throw new TypeError('@errcodes/fastify: option "format" must be "json" or "problem"')
  }
  if (o.i18n !== undefined && (typeof o.i18n?.translate !== 'function' || typeof o.i18n?.negotiate !== 'function')) {
    throw new TypeError('@errcodes/fastify: option "i18n" must be a Translator (translate and negotiate functions), e.g. createI18n()')
  }
  if (o.metrics !== undefined && typeof o.metrics?.record !== 'function') {
    throw new TypeError('@errcodes/fastify: option "metrics" must be an ErrorRecorder (a record function), e.g. createMetrics()')
  }
  if (o.metrics !== undefined) checkPortRoutes(o.metrics.routes)
  if (o.tracing !== undefined) resolveTracer(o.tracing)
  for (const flag of ['debug', 'notFound', 'errorHandler', 'openapi'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw new TypeError(`@errcodes/fastify: option "${flag}" must be a boolean`)
  }
  let requestIdHeader: string | false = 'x-request-id'
  if (o.requestIdHeader !== undefined) {
    if (o.requestIdHeader !== false && (typeof o.requestIdHeader !== 'string' || !HEADER.test(o.requestIdHeader.toLowerCase()))) {
      throw new TypeError('@errcodes/fastify: option "requestIdHeader" must be a header name or false')
    }
    requestIdHeader = o.requestIdHeader === false ? false : o.requestIdHeader.toLowerCase()
  }
  if (o.typeBaseUrl !== undefined && (typeof o.typeBaseUrl !== 'string' || !/^[a-z][a-z0-9+.-]*:\S*$/i.test(o.typeBaseUrl))) {
    throw new TypeError('@errcodes/fastify: option "typeBaseUrl" must be an absolute URI such as https://errors.example.com/')
  }
  if (o.redactor !== undefined && typeof o.redactor !== 'function') throw new TypeError('@errcodes/fastify: option "redactor" must be a function')
  return {
    catalog,
    format: o.format ?? 'json',
    i18n: o.i18n,
    metrics: o.metrics,
    tracing: o.tracing,
    debug: o.debug ?? false,
    notFound: o.notFound ?? true,
    errorHandler: o.errorHandler ?? true,
    requestIdHeader,
    logLevels: resolveLogLevel(o.logLevels),
    typeBaseUrl: o.typeBaseUrl ?? 'urn:errcodes:',
    openapi: o.openapi ?? true,
    routes: resolveRoutes(o.routes),
    redactor: o.redactor ?? redact
  }
}

const TRACER_METHODS = ['startRequest', 'withScope', 'recordError', 'finishRequest'] as const

function resolveTracer (tracing: unknown): void {
  const methods = tracing as Record<string, unknown> | null
  if (typeof methods?.endRequest === 'function' && typeof methods.finishRequest !== 'function') {
    // A tracer written to the port before 0.2 would silently lose errors it only recorded in endRequest.
    throw new TypeError('@errcodes/fastify: option "tracing" implements the old ErrorTracer port (endRequest(scope, { status, route, error })): the port now records an error only through recordError(scope, error, status) and ends the span with finishRequest(scope, status, route); update the tracer, or @errcodes/tracing')
  }
  if (TRACER_METHODS.some(m => typeof methods?.[m] !== 'function')) {
    throw new TypeError('@errcodes/fastify: option "tracing" must be an ErrorTracer (startRequest, withScope, recordError, finishRequest), e.g. createTracing()')
  }
}

function resolveLogLevel (policy: LogLevelPolicy | undefined): ResolvedOptions['logLevels'] {
  if (policy === undefined) return (error) => DEFAULT_LEVELS[error.severity] ?? 'error'
  if (policy === false) return () => false
  if (typeof policy === 'function') return policy
  if (typeof policy !== 'object' || policy === null) throw new TypeError('@errcodes/fastify: option "logLevels" must be false, a function, or an object of levels per severity')
  for (const [severity, level] of Object.entries(policy)) {
    if (!Object.hasOwn(DEFAULT_LEVELS, severity)) {
      const near = closestKey(severity, SEVERITIES)
      throw new TypeError(`@errcodes/fastify: option "logLevels" has an unknown severity ${JSON.stringify(severity.slice(0, 64))}${near === undefined ? '' : `; did you mean "logLevels.${near}"?`} (valid: ${SEVERITIES.join(', ')})`)
    }
    if (level !== false && !LEVELS.has(level as string)) throw new TypeError(`@errcodes/fastify: option "logLevels.${severity}" must be a pino level or false`)
  }
  const levels = { ...DEFAULT_LEVELS, ...policy }
  return (error) => levels[error.severity] ?? 'error'
}

const ROUTES_KEYS: ReadonlyArray<keyof PortRoutesOptions> = ['prefix', 'onRequest', 'hide']

// The routes a recorder contributes are mounted at registration: a malformed one is the recorder's
// bug, named here instead of a raw Fastify assertion at start or a 500 on every request.
function checkPortRoutes (routes: unknown): void {
  if (routes === undefined) return
  if (!Array.isArray(routes)) throw new TypeError('@errcodes/fastify: option "metrics" has "routes" that is not an array of port routes ({ path, handle })')
  routes.forEach((route: unknown, i) => {
    const r = route as { path?: unknown, handle?: unknown, schema?: unknown } | null
    if (typeof r !== 'object' || r === null) throw new TypeError(`@errcodes/fastify: option "metrics" has routes[${i}] that is not a port route ({ path, handle })`)
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) throw new TypeError(`@errcodes/fastify: option "metrics" has routes[${i}] whose "path" is not a string starting with "/"`)
    if (typeof r.handle !== 'function') throw new TypeError(`@errcodes/fastify: option "metrics" has routes[${i}] (${JSON.stringify(r.path.slice(0, 64))}) without a "handle" function`)
    if (r.schema !== undefined && (typeof r.schema !== 'object' || r.schema === null)) throw new TypeError(`@errcodes/fastify: option "metrics" has routes[${i}] (${JSON.stringify(r.path.slice(0, 64))}) whose "schema" is not an object`)
  })
}

function resolveRoutes (routes: false | PortRoutesOptions | undefined): ResolvedOptions['routes'] {
  if (routes === false) return false
  if (routes !== undefined && (typeof routes !== 'object' || routes === null || Array.isArray(routes))) throw new TypeError('@errcodes/fastify: option "routes" must be false or an object')
  // A typo here (`prefx`, `onReqest`) would mount the port routes unguarded at the root: refuse it.
  if (routes !== undefined) rejectUnknownKeys('@errcodes/fastify', routes, ROUTES_KEYS, 'routes')
  const prefix = routes?.prefix ?? ''
  if (typeof prefix !== 'string' || (prefix !== '' && !/^\/[\w\-./]*[^/]$/.test(prefix))) {
    throw new TypeError('@errcodes/fastify: option "routes.prefix" must start with "/" and not end with one (e.g. "/internal")')
  }
  if (routes?.onRequest !== undefined && typeof routes.onRequest !== 'function') throw new TypeError('@errcodes/fastify: option "routes.onRequest" must be a hook function')
  if (routes?.hide !== undefined && typeof routes.hide !== 'boolean') throw new TypeError('@errcodes/fastify: option "routes.hide" must be a boolean')
  return { prefix, onRequest: routes?.onRequest, hide: routes?.hide ?? false }
}
