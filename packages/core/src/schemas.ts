import { Type, type TSchema, type TObject } from '@sinclair/typebox'
import type { ErrorEntry } from './error-entry.js'
import type { ErrorFormat } from './pick-format.js'
import { closeObjects } from './occurrence-check.js'

/** One item of `errors[]`. */
export const ValidationIssueSchema = Type.Object({
  location: Type.String({ description: 'body, querystring, params or headers' }),
  field: Type.String({ description: 'Dotted path of the field' }),
  pointer: Type.String({ description: 'RFC 6901 JSON Pointer into the part' }),
  keyword: Type.String({ description: 'The schema keyword that failed' }),
  message: Type.String({ description: 'Localized message' }),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'The keyword parameters' })
}, { $id: 'ErrcodesValidationIssue', title: 'ValidationIssue', additionalProperties: false })

/** One link of `cause[]`, the cause chain a debug body shows. */
export const CauseSchema = Type.Object({
  name: Type.String(),
  message: Type.String()
}, { $id: 'ErrcodesCause', title: 'Cause', additionalProperties: false })

const timestamp = Type.String({ format: 'date-time' })
const requestId = Type.Optional(Type.String({ description: 'The request id, also in the X-Request-Id header' }))
const traceId = Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$', description: 'W3C trace id, when tracing is on' }))

/** The fields every `json` body has, whatever its code (the envelope the per-code schemas refine). */
export const JsonEnvelopeSchema = Type.Object({
  error_code: Type.Integer({ minimum: 0, maximum: 9999, description: 'Numeric error code' }),
  error_name: Type.String({ description: 'Stable UPPER_SNAKE error name' }),
  message: Type.String({ description: 'Localized message; a generic one for unexposed 5xx' }),
  status_code: Type.Integer({ minimum: 400, maximum: 599, description: 'Equals the HTTP status' }),
  timestamp,
  request_id: requestId,
  trace_id: traceId
}, { $id: 'ErrcodesJsonEnvelope', title: 'JsonEnvelope' })

/** The fields every `problem` (RFC 9457) body has, whatever its code. */
export const ProblemEnvelopeSchema = Type.Object({
  type: Type.String({ format: 'uri-reference' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599, description: 'Equals the HTTP status' }),
  detail: Type.String({ description: 'Localized message; a generic one for unexposed 5xx' }),
  instance: Type.Optional(Type.String()),
  error_code: Type.Integer({ minimum: 0, maximum: 9999, description: 'Numeric error code' }),
  error_name: Type.String({ description: 'Stable UPPER_SNAKE error name' }),
  timestamp,
  request_id: requestId,
  trace_id: traceId
}, { $id: 'ErrcodesProblemEnvelope', title: 'ProblemEnvelope' })

const anyDetail = Type.Record(Type.String(), Type.Unknown())
const retryAfter = Type.Integer({ minimum: 0, description: 'Seconds, as in Retry-After' })
const stack = Type.Array(Type.String(), { description: 'Debug mode only' })

/** The `json` format body of any error. */
export const JsonErrorSchema = Type.Object({
  ...JsonEnvelopeSchema.properties,
  detail: Type.Optional(anyDetail),
  retry_after: Type.Optional(retryAfter),
  errors: Type.Optional(Type.Array(ValidationIssueSchema)),
  stack: Type.Optional(stack),
  cause: Type.Optional(Type.Array(CauseSchema))
}, { $id: 'ErrcodesJsonError', title: 'JsonError', additionalProperties: false })

/** The `problem` format body (RFC 9457) of any error. */
export const ProblemErrorSchema = Type.Object({
  ...ProblemEnvelopeSchema.properties,
  details: Type.Optional(anyDetail),
  retry_after: Type.Optional(retryAfter),
  errors: Type.Optional(Type.Array(ValidationIssueSchema)),
  stack: Type.Optional(stack),
  cause: Type.Optional(Type.Array(CauseSchema))
}, { $id: 'ErrcodesProblemError', title: 'ProblemError', additionalProperties: false })

// Built-in entries that answer any status of their class (normalizeError keeps a foreign 410 or 501).
const ANY_STATUS: Readonly<Record<string, [number, number]>> = { BAD_REQUEST: [400, 499], INTERNAL_ERROR: [500, 599] }
// Built-in validation-domain entries that never list field problems.
const NO_ISSUES = new Set(['BAD_REQUEST', 'MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'])
// Statuses where Retry-After is meaningful even when the entry sets none (RFC 9110 §10.2.3, RFC 6585).
const RETRY_STATUSES = new Set([413, 429, 503])

/** Whether bodies of `entry` may list field problems (`errors[]`): validation-domain entries only. */
export function carriesIssues (entry: Pick<ErrorEntry, 'name' | 'domain'>): boolean {
  return entry.domain === 'VALIDATION' && !NO_ISSUES.has(entry.name)
}

/** Whether bodies of `entry` may carry `retry_after`: the entry sets one, or its status is 413, 429 or 503. */
export function carriesRetryAfter (entry: Pick<ErrorEntry, 'retryAfter' | 'status'>): boolean {
  return entry.retryAfter !== undefined || RETRY_STATUSES.has(entry.status)
}

/** Options of `entryBodyFields` and `errorResponseSchema`. */
export interface EntrySchemaOptions {
  /** Debug output is on: bodies carry `stack` and `cause`. Default false. */
  readonly debug?: boolean
  /** The problem `type` base; when given, `type` is pinned to base + name. */
  readonly typeBaseUrl?: string
  /** Schema of one `errors[]` item; default the inline ValidationIssueSchema (OpenAPI passes a `$ref`). */
  readonly issueSchema?: TSchema
  /** Schema of one `cause[]` link; default the inline CauseSchema. */
  readonly causeSchema?: TSchema
}

/**
 * The fields a body of `entry` carries beyond its format's envelope, with their exact schemas: the
 * code, name, status and (problem) title as constants, `detail` only when the entry's message and
 * detail are exposed, `retry_after` only where it can be set, `errors` only for validation codes,
 * `stack`/`cause` only in debug mode. `required` lists the ones always present.
 */
export function entryBodyFields (entry: ErrorEntry, format: ErrorFormat = 'json', options: EntrySchemaOptions = {}): { properties: Record<string, TSchema>, required: string[] } {
  const range = ANY_STATUS[entry.name]
  const status = range === undefined ? Type.Literal(entry.status) : Type.Integer({ minimum: range[0], maximum: range[1] })
  const properties: Record<string, TSchema> = { error_code: Type.Literal(entry.code), error_name: Type.Literal(entry.name) }
  const required = ['error_code', 'error_name']
  if (format === 'problem') {
    if (options.typeBaseUrl !== undefined) properties.type = Type.Literal(options.typeBaseUrl + entry.name)
    properties.title = Type.Literal(entry.title)
    properties.status = status
  } else {
    properties.status_code = status
  }
  // Closed like create() checks it: an undeclared detail property never reaches a client.
  if (entry.expose) properties[format === 'problem' ? 'details' : 'detail'] = entry.detail === undefined ? anyDetail : plain(closeObjects(entry.detail))
  if (carriesRetryAfter(entry)) {
    properties.retry_after = retryAfter
    if (entry.retryAfter !== undefined) required.push('retry_after')
  }
  if (carriesIssues(entry)) properties.errors = Type.Array(options.issueSchema ?? plain(ValidationIssueSchema))
  if (options.debug === true) {
    properties.stack = stack
    properties.cause = Type.Array(options.causeSchema ?? plain(CauseSchema))
  }
  return { properties, required }
}

/**
 * The exact, self-contained response body schema of one entry in one format: the envelope's fields
 * plus `entryBodyFields`, and nothing else (`additionalProperties: false`).
 */
export function errorResponseSchema (entry: ErrorEntry<string, any>, format: ErrorFormat = 'json', options: EntrySchemaOptions = {}): TObject {
  const envelope = format === 'problem' ? ProblemEnvelopeSchema : JsonEnvelopeSchema
  const own = entryBodyFields(entry, format, options)
  const required = new Set(own.required)
  const properties: Record<string, TSchema> = { ...envelope.properties }
  for (const [key, schema] of Object.entries(own.properties)) properties[key] = required.has(key) ? schema : Type.Optional(schema)
  return Type.Object(properties, {
    title: `${entry.name} (${format})`,
    description: entry.description ?? entry.title,
    additionalProperties: false
  })
}

/** An example body of one entry, for docs and OpenAPI: its message rendered from example params. */
export function exampleBody (entry: ErrorEntry<string, any>, format: ErrorFormat = 'json', options: { typeBaseUrl?: string } = {}): Record<string, unknown> {
  const message = entry.expose ? entry.render(exampleParams(entry.params, entry)) : 'Internal server error'
  const detail = entry.expose && entry.detail !== undefined ? exampleParams(entry.detail, entry) : undefined
  const body: Record<string, unknown> = {}
  // Wire order, as formatError writes it.
  if (format === 'problem') {
    body.type = (options.typeBaseUrl ?? 'urn:errcodes:') + entry.name
    body.title = entry.title
    body.status = entry.status
    body.detail = message
    body.instance = '/example'
    body.error_code = entry.code
    body.error_name = entry.name
    body.timestamp = '2026-01-16T10:00:00.000Z'
    if (detail !== undefined) body.details = detail
  } else {
    body.error_code = entry.code
    body.error_name = entry.name
    body.message = message
    if (detail !== undefined) body.detail = detail
    body.status_code = entry.status
    body.timestamp = '2026-01-16T10:00:00.000Z'
  }
  body.request_id = 'req-1'
  if (entry.retryAfter !== undefined) body.retry_after = entry.retryAfter
  return body
}

/**
 * Sample values for docs: each property's `examples[0]`, `default`, `const` or first `enum`, else a
 * value of its type. An integer named like a delay (`seconds`, `retryAfter`) takes the entry's
 * `retryAfter`, so a message and its `retry_after` agree.
 */
export function exampleParams (schema: TSchema | undefined, entry?: Pick<ErrorEntry, 'retryAfter'>): Record<string, unknown> | undefined {
  const props = (schema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties
  if (props === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, p] of Object.entries(props)) out[name] = exampleValue(name, p, entry?.retryAfter)
  return out
}

function exampleValue (name: string, p: Record<string, unknown>, retryAfter: number | undefined): unknown {
  if (Array.isArray(p.examples) && p.examples.length > 0) return p.examples[0]
  if (p.default !== undefined) return p.default
  if (p.const !== undefined) return p.const
  if (Array.isArray(p.enum) && p.enum.length > 0) return p.enum[0]
  switch (p.type) {
    case 'integer': case 'number':
      if (retryAfter !== undefined && /second|retry|delay|wait/i.test(name)) return retryAfter
      return typeof p.minimum === 'number' ? p.minimum : 3
    case 'boolean': return true
    case 'array': return []
    case 'object': return exampleParams(p as TSchema) ?? {}
    case 'string':
      if (p.format === 'email') return 'ann@example.com'
      if (p.format === 'date-time') return '2026-01-16T10:00:00.000Z'
      if (p.format === 'uri') return 'https://example.com/'
      return /id$/i.test(name) ? '42' : `<${name}>`
    default: return `<${name}>`
  }
}

// A plain JSON copy: drops TypeBox's symbols and the `$id`, so the schema can be embedded anywhere.
function plain (schema: TSchema): TSchema {
  const { $id, ...rest } = JSON.parse(JSON.stringify(schema)) as TSchema
  return rest as TSchema
}
