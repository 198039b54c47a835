import { OpenAPIBackend } from 'openapi-backend'
import addFormatsModule from 'ajv-formats'
import type { Test } from 'tap'

/** What the contract needs of a response (light-my-request's or fetch's, normalized). */
export interface Observed {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly headers: Record<string, string | string[] | number | undefined>
  readonly body: string
}

const addFormats = addFormatsModule as unknown as (ajv: unknown) => unknown

type Doc = { paths: Record<string, Record<string, any>>, components?: { schemas?: Record<string, unknown> } }

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
// Requests the document cannot describe (unknown route, unsupported method, a hidden route): what the
// plugin answers them with, checked against the document's own components.
const UNMATCHED = '/__unmatched__'

/**
 * Checks responses against an OpenAPI document with a third-party validator (openapi-backend):
 * the status is documented for the operation, the media type is one the response documents, the
 * body validates against that media type's schema, and the documented headers have their types.
 * openapi-backend validates `application/json` only, so the document is also loaded once per other
 * media type with that media type's schemas in the `application/json` slot.
 */
export async function createContract (document: unknown): Promise<{ check: (t: Test, observed: Observed) => Promise<void> }> {
  const base = prepare(document)
  const backends = new Map<string, Promise<OpenAPIBackend>>()
  const backendFor = (mediaType: string): Promise<OpenAPIBackend> => {
    let backend = backends.get(mediaType)
    if (backend === undefined) {
      // With ajv-formats, so `format`s (date-time, email, uri-reference) are checked too.
      const api = new OpenAPIBackend({ definition: variant(base, mediaType) as never, strict: true, quick: false, validate: true, customizeAjv: (ajv) => { addFormats(ajv); return ajv } })
      backend = api.init().then(() => api)
      backends.set(mediaType, backend)
    }
    return backend
  }

  async function check (t: Test, observed: Observed): Promise<void> {
    const label = `${observed.method} ${observed.url} → ${observed.status}`
    const json = await backendFor('application/json')
    const path = observed.url.split('?')[0]
    const matched = json.router.matchOperation({ method: observed.method === 'HEAD' ? 'get' : observed.method.toLowerCase(), path, headers: {}, query: {} } as never)
    const operation = (matched ?? json.router.getOperation(`GET ${UNMATCHED}`)) as { operationId: string, responses: Record<string, { content?: Record<string, unknown> }> }
    const key = [String(observed.status), `${String(observed.status)[0]}XX`, 'default'].find(k => operation.responses[k] !== undefined)
    if (!t.ok(key, `${label}: the status is documented`, { documented: Object.keys(operation.responses) })) return
    const documented = operation.responses[key as string]
    const contentType = String(observed.headers['content-type'] ?? '')
    const essence = contentType.split(';')[0].trim().toLowerCase()
    const mediaTypes = Object.keys(documented.content ?? {})
    const mediaType = mediaTypes.find(m => m.split(';')[0].trim().toLowerCase() === essence)
    if (!t.ok(mediaType, `${label}: ${essence} is a documented media type`, { documented: mediaTypes })) return
    const headers = json.validator.validateResponseHeaders(observed.headers as never, operation.operationId, { statusCode: observed.status })
    t.equal(headers.errors, null, `${label}: documented headers have their types`, { errors: headers.errors })
    if (observed.method === 'HEAD') {
      t.equal(observed.body, '', `${label}: HEAD has no body`)
      return
    }
    const body = essence.endsWith('json') ? JSON.parse(observed.body) : observed.body
    const backend = await backendFor(mediaType as string)
    const result = backend.validator.validateResponse(body, operation.operationId, observed.status)
    t.equal(result.errors, null, `${label}: the ${essence} body validates`, { errors: result.errors, body })
  }
  return { check }
}

/** A copy with an operationId on every operation and the operation unmatched requests answer with. */
function prepare (document: unknown): Doc {
  const doc = JSON.parse(JSON.stringify(document)) as Doc
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method] !== undefined) item[method].operationId = `${method.toUpperCase()} ${path}`
  }
  const both = (name: string): unknown => ({
    description: name,
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/Error.${name}` } },
      'application/problem+json': { schema: { $ref: `#/components/schemas/Problem.${name}` } }
    }
  })
  doc.paths[UNMATCHED] = { get: { operationId: `GET ${UNMATCHED}`, responses: { 404: both('ROUTE_NOT_FOUND'), 500: both('INTERNAL_ERROR') } } }
  return doc
}

/** The document with `mediaType`'s schemas where openapi-backend reads them (`application/json`). */
function variant (doc: Doc, mediaType: string): Doc {
  if (mediaType === 'application/json') return doc
  const copy = JSON.parse(JSON.stringify(doc)) as Doc
  for (const item of Object.values(copy.paths)) {
    for (const method of METHODS) {
      for (const response of Object.values((item[method]?.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>)) {
        const media = response.content?.[mediaType]
        if (response.content !== undefined) response.content = media === undefined ? {} : { 'application/json': media }
      }
    }
  }
  return copy
}
