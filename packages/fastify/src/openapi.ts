import { STATUS_CODES } from 'node:http'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { errorResponseSchema, exampleBody, type Catalog, type ErrorEntry, type ErrorFormat } from '@errcodes/core'

const FORMATS: ReadonlyArray<[ErrorFormat, string]> = [['json', 'application/json'], ['problem', 'application/problem+json']]

/** The `$id` (and OpenAPI component name) of an entry's response schema in one format. */
export function componentName (entry: Pick<ErrorEntry, 'name'>, format: ErrorFormat): string {
  return format === 'json' ? `Error.${entry.name}` : `Problem.${entry.name}`
}

/**
 * A ref resolver for @fastify/swagger that names components after their `$id`, so every error gets
 * a stable component name (`Error.USER_NOT_FOUND`) instead of `def-N`:
 * `app.register(swagger, { openapi: {…}, refResolver: errcodesRefResolver })`.
 */
export const errcodesRefResolver = {
  buildLocalReference (json: Record<string, unknown>, _baseUri: unknown, _fragment: unknown, i: number): string {
    return typeof json.$id === 'string' ? json.$id : `def-${i}`
  }
}

/** Adds one shared schema per entry and format; swagger lists them as components. */
export function addErrorSchemas (app: FastifyInstance, catalog: Catalog): void {
  for (const entry of catalog.list()) {
    for (const [format] of FORMATS) {
      app.addSchema({ ...errorResponseSchema(entry, format), $id: componentName(entry, format) })
    }
  }
}

/**
 * Adds the error responses of a route to its schema: one response per status, in both media
 * types, with `oneOf` and one named example per code when several codes share a status. The route's
 * own responses win. Call it once the routes' serializers are compiled (onReady): Fastify would
 * otherwise serialize every payload sent with these statuses (`reply.code(400).send(obj)`, its own
 * default handler's bodies) through error schemas and fail; the error handler serializes its own bodies.
 */
export function addRouteErrorResponses (route: RouteOptions & { errors?: readonly ErrorEntry[] }, catalog: Catalog, always: readonly ErrorEntry[]): void {
  const listed = checkRouteErrors(route, catalog)
  const entries = dedupe([...listed.map(e => catalog.get(e.name) as ErrorEntry), ...always])
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
    response[status] = responseFor(status, group)
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

function responseFor (status: number, group: ErrorEntry[]): Record<string, unknown> {
  const content: Record<string, unknown> = {}
  for (const [format, mediaType] of FORMATS) {
    const refs = group.map(e => ({ $ref: `${componentName(e, format)}#` }))
    const examples: Record<string, unknown> = {}
    for (const e of group) examples[e.name] = { summary: e.title, value: exampleBody(e, format) }
    content[mediaType] = { schema: refs.length === 1 ? refs[0] : { oneOf: refs }, examples }
  }
  return {
    description: `${STATUS_CODES[status] ?? 'Error'}: ${group.map(e => e.name).join(', ')}`,
    content
  }
}

function dedupe (entries: ErrorEntry[]): ErrorEntry[] {
  const seen = new Map<string, ErrorEntry>()
  for (const e of entries) if (e !== undefined) seen.set(e.name, e)
  return [...seen.values()]
}
