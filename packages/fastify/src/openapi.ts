import { STATUS_CODES } from 'node:http'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { carriesRetryAfter, type Catalog, type ErrorEntry } from '@errcodes/core'
import { MEDIA_TYPES, buildErrorComponents, componentName, schemaRef, type ComponentOptions, type ErrorComponents } from './openapi-components.js'

export { componentName } from './openapi-components.js'

// The one shared schema that carries every error component through @fastify/swagger (see addErrorComponents).
const CARRIER_ID = 'ErrcodesComponents'
const CARRIER = 'x-errcodes-components'
// Methods whose body Fastify parses: they can answer MALFORMED_BODY, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE.
const BODYLESS = new Set(['GET', 'HEAD'])

/**
 * A ref resolver for @fastify/swagger that names shared schemas after their `$id`, so user schemas
 * get stable component names instead of `def-N`:
 * `app.register(swagger, { openapi: {…}, refResolver: errcodesRefResolver, transformObject: errcodesTransformObject })`.
 */
export const errcodesRefResolver = {
  buildLocalReference (json: Record<string, unknown>, _baseUri: unknown, _fragment: unknown, i: number): string {
    return typeof json.$id === 'string' ? json.$id : `def-${i}`
  }
}

/**
 * The `transformObject` option of @fastify/swagger that puts the error components in place:
 * `Error.<NAME>` / `Problem.<NAME>` schemas, the shared sub-schemas and one example per code.
 * Compose it with your own: `transformObject: (o) => mine(errcodesTransformObject(o))`.
 */
export function errcodesTransformObject<D extends { openapiObject?: unknown, swaggerObject?: unknown }> (documentObject: D): any {
  const doc = (documentObject.openapiObject ?? documentObject.swaggerObject) as { openapi?: string, components?: { schemas?: Record<string, any>, examples?: Record<string, unknown> } } | undefined
  const schemas = doc?.components?.schemas
  if (doc === undefined || schemas === undefined) return doc
  for (const key of Object.keys(schemas)) {
    const build = schemas[key]?.[CARRIER]
    if (typeof build !== 'function') continue
    delete schemas[key]
    const built = (build as (version: string) => ErrorComponents)(doc.openapi ?? '3.0.3')
    Object.assign(schemas, built.schemas)
    const components = doc.components as { examples?: Record<string, unknown> }
    components.examples = { ...built.examples, ...components.examples }
  }
  return doc
}

/**
 * Registers ONE small shared schema whose `x-errcodes-components` is a function building every
 * error component; errcodesTransformObject calls it and unpacks the result into named components.
 * Why not one shared schema per component: @fastify/swagger does work proportional to the number
 * of shared schemas for each of them (json-schema-resolver rebuilds its whole definitions map per
 * lookup), so 2 × 5,000 components took minutes. Why a function: Fastify keys its validator pool
 * by `JSON.stringify` of all shared schemas for every route, so a carrier holding the components
 * would cost seconds at start-up; a function is skipped by JSON, copied by reference by swagger's
 * clone and left alone by its conversion. The components are built on the first document, once.
 */
export function addErrorComponents (app: FastifyInstance, catalog: Catalog, options: ComponentOptions): void {
  const built = new Map<string, ErrorComponents>()
  const build = (version: string): ErrorComponents => {
    let components = built.get(version)
    if (components === undefined) {
      components = buildErrorComponents(catalog, { ...options, openapi30: version.startsWith('3.0') })
      // Bounded: one document per OpenAPI version at most.
      if (built.size < 4) built.set(version, components)
    }
    return components
  }
  app.addSchema({
    $id: CARRIER_ID,
    type: 'object',
    description: 'Carrier of the @errcodes error components: register @fastify/swagger with transformObject: errcodesTransformObject.',
    [CARRIER]: build
  })
}

/** Where a route's error responses come from. */
export interface RouteErrorContext {
  readonly catalog: Catalog
  /** Documented on every route: VALIDATION_FAILED, BAD_REQUEST (a malformed URL through `frameworkErrors`), INTERNAL_ERROR. */
  readonly always: readonly ErrorEntry[]
  /** Documented on routes whose body Fastify parses: MALFORMED_BODY, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE. */
  readonly withBody: readonly ErrorEntry[]
  /** The response header carrying the request id; `false`: none is sent. */
  readonly requestIdHeader: string | false
  /** Whether messages are localized (Content-Language is sent). */
  readonly localized: boolean
}

/**
 * Adds the error responses of a route to its schema: one response per status, in both media
 * types, with `oneOf` and one named example per code when several codes share a status. The route's
 * own responses win. Call it once the routes' serializers are compiled (onReady): Fastify would
 * otherwise serialize every payload sent with these statuses (`reply.code(400).send(obj)`, its own
 * default handler's bodies) through error schemas and fail; the error handler serializes its own bodies.
 */
export function addRouteErrorResponses (route: RouteOptions & { errors?: readonly ErrorEntry[] }, context: RouteErrorContext): void {
  const { catalog } = context
  const listed = checkRouteErrors(route, catalog)
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  const parsesBody = methods.some(m => !BODYLESS.has(String(m).toUpperCase()))
  const entries = dedupe([...listed.map(e => catalog.get(e.name) as ErrorEntry), ...context.always, ...(parsesBody ? context.withBody : [])])
  const schema = (route.schema ?? {}) as Record<string, unknown>
  if ((schema as { hide?: boolean }).hide === true) return
  const response = { ...(schema.response as Record<string, unknown> | undefined) }
  const byStatus = new Map<number, ErrorEntry[]>()
  for (const entry of entries) {
    const list = byStatus.get(entry.status) ?? []
    list.push(entry)
    byStatus.set(entry.status, list)
  }
  for (const [status, group] of byStatus) {
    const range = `${String(status)[0]}xx`
    if (response[status] !== undefined || response[range] !== undefined || response[range.toUpperCase()] !== undefined) continue
    response[status] = responseFor(status, group, context)
  }
  // Swagger documents a default 200 only for routes without responses; keep it once errors are added.
  if (!Object.keys(response).some(k => k.startsWith('2') || k === 'default')) response['2xx'] = { description: 'Default Response' }
  route.schema = { ...schema, response }
}

/** Checks a route's `errors` option at registration: an array of entries of the registered catalog. */
export function checkRouteErrors (route: RouteOptions & { errors?: readonly ErrorEntry[] }, catalog: Catalog): readonly ErrorEntry[] {
  const listed = route.errors ?? []
  if (!Array.isArray(listed)) throw new TypeError(`@errcodes/fastify: route ${route.method} ${route.url}: "errors" must be an array of catalog entries`)
  for (const entry of listed) {
    const known = catalog.get((entry as ErrorEntry | undefined)?.name ?? '')
    if (known === undefined || known.code !== entry.code) {
      throw new TypeError(`@errcodes/fastify: route ${String(route.method)} ${route.url} lists an error that is not in the registered catalog (${String((entry as ErrorEntry | undefined)?.name)})`)
    }
  }
  return listed
}

function responseFor (status: number, group: ErrorEntry[], context: RouteErrorContext): Record<string, unknown> {
  const content: Record<string, unknown> = {}
  for (const [format, mediaType] of MEDIA_TYPES) {
    const refs = group.map(e => schemaRef(componentName(e, format)))
    const examples: Record<string, unknown> = {}
    for (const e of group) examples[e.name] = { $ref: `#/components/examples/${componentName(e, format)}` }
    content[mediaType] = { schema: refs.length === 1 ? refs[0] : { oneOf: refs }, examples }
  }
  return {
    description: `${STATUS_CODES[status] ?? 'Error'}: ${group.map(e => e.name).join(', ')}`,
    headers: headersFor(group, context),
    content
  }
}

// Response headers the error handler sends for this group of codes (swagger turns each into { schema }).
function headersFor (group: ErrorEntry[], context: RouteErrorContext): Record<string, unknown> {
  const headers: Record<string, unknown> = {}
  if (context.requestIdHeader !== false) headers[context.requestIdHeader] = { type: 'string', description: 'The request id, percent-encoded (decodeURIComponent gives the body\'s request_id); absent above 1,024 characters' }
  if (context.localized) headers['content-language'] = { type: 'string', description: 'The locale of the message' }
  if (group.some(e => carriesRetryAfter(e))) headers['retry-after'] = { type: 'integer', minimum: 0, description: 'Seconds before retrying' }
  // RFC 9110: a 401 carries a challenge, a 405 the allowed methods.
  if (group.some(e => e.status === 401)) headers['www-authenticate'] = { type: 'string', description: 'The authentication challenge' }
  if (group.some(e => e.status === 405)) headers.allow = { type: 'string', description: 'The methods the resource allows' }
  for (const e of group) {
    for (const name of Object.keys(e.headers)) headers[name] ??= { type: 'string', description: `Sent with ${e.name}` }
  }
  return headers
}

function dedupe (entries: ErrorEntry[]): ErrorEntry[] {
  const seen = new Map<string, ErrorEntry>()
  for (const e of entries) if (e !== undefined) seen.set(e.name, e)
  return [...seen.values()]
}
