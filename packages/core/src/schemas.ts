import { Type, type TSchema, type TObject } from '@sinclair/typebox'
import type { ErrorEntry } from './error-entry.js'
import type { ErrorFormat } from './pick-format.js'

/** One item of `errors[]`. */
export const ValidationIssueSchema = Type.Object({
  location: Type.String({ description: 'body, querystring, params or headers' }),
  field: Type.String({ description: 'Dotted path of the field' }),
  pointer: Type.String({ description: 'RFC 6901 JSON Pointer into the part' }),
  keyword: Type.String({ description: 'The schema keyword that failed' }),
  message: Type.String({ description: 'Localized message' }),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'The keyword parameters' })
}, { $id: 'ErrcodesValidationIssue', title: 'ValidationIssue', additionalProperties: false })

const debugFields = {
  stack: Type.Optional(Type.Array(Type.String(), { description: 'Debug mode only' })),
  cause: Type.Optional(Type.Array(Type.Object({ name: Type.String(), message: Type.String() }), { description: 'Debug mode only' }))
}

const commonFields = {
  error_code: Type.Integer({ minimum: 0, maximum: 9999, description: 'Numeric error code' }),
  error_name: Type.String({ description: 'Stable UPPER_SNAKE error name' }),
  timestamp: Type.String({ format: 'date-time' }),
  request_id: Type.Optional(Type.String()),
  trace_id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
  retry_after: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds, as in Retry-After' })),
  errors: Type.Optional(Type.Array(ValidationIssueSchema))
}

/** The `json` format body of any error. */
export const JsonErrorSchema = Type.Object({
  ...commonFields,
  message: Type.String(),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  status_code: Type.Integer({ minimum: 400, maximum: 599 }),
  ...debugFields
}, { $id: 'ErrcodesJsonError', title: 'JsonError', additionalProperties: false })

/** The `problem` format body (RFC 9457) of any error. */
export const ProblemErrorSchema = Type.Object({
  type: Type.String({ format: 'uri-reference' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 }),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  ...commonFields,
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  ...debugFields
}, { $id: 'ErrcodesProblemError', title: 'ProblemError', additionalProperties: false })

/**
 * The exact response body schema of one entry in one format: its `error_code` and `error_name` as
 * constants, its detail schema, and `errors[]` only for validation failures.
 */
export function errorResponseSchema (entry: ErrorEntry, format: ErrorFormat = 'json'): TObject {
  const detail = entry.detail === undefined ? Type.Record(Type.String(), Type.Unknown()) : clone(entry.detail)
  const fields: Record<string, TSchema> = {
    ...commonFields,
    error_code: Type.Literal(entry.code),
    error_name: Type.Literal(entry.name)
  }
  const example = exampleBody(entry, format)
  const options = { title: `${entry.name} (${format})`, description: entry.description ?? entry.title, additionalProperties: false, examples: [example] }
  if (format === 'problem') {
    return Type.Object({
      type: Type.String({ format: 'uri-reference' }),
      title: Type.String(),
      status: Type.Integer({ minimum: 400, maximum: 599 }),
      detail: Type.String(),
      instance: Type.Optional(Type.String()),
      ...fields,
      details: Type.Optional(detail),
      ...debugFields
    }, options)
  }
  return Type.Object({
    ...fields,
    message: Type.String(),
    detail: Type.Optional(detail),
    status_code: Type.Integer({ minimum: 400, maximum: 599 }),
    ...debugFields
  }, options)
}

/** An example body of one entry, for docs and OpenAPI. */
export function exampleBody (entry: ErrorEntry, format: ErrorFormat = 'json'): Record<string, unknown> {
  const message = entry.expose ? entry.render(exampleParams(entry.params)) : 'Internal server error'
  const base = { error_code: entry.code, error_name: entry.name, timestamp: '2026-01-16T10:00:00.000Z', request_id: 'req-1', ...(entry.retryAfter === undefined ? {} : { retry_after: entry.retryAfter }) }
  if (format === 'problem') {
    return { type: `urn:errcodes:${entry.name}`, title: entry.title, status: entry.status, detail: message, instance: '/example', ...base }
  }
  return { ...base, message, status_code: entry.status }
}

/** Sample params for docs: each property's `examples[0]`, `default`, `const` or first `enum`, else a value of its type. */
export function exampleParams (schema: TSchema | undefined): Record<string, unknown> | undefined {
  const props = (schema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties
  if (props === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, p] of Object.entries(props)) out[name] = exampleValue(name, p)
  return out
}

function exampleValue (name: string, p: Record<string, unknown>): unknown {
  if (Array.isArray(p.examples) && p.examples.length > 0) return p.examples[0]
  if (p.default !== undefined) return p.default
  if (p.const !== undefined) return p.const
  if (Array.isArray(p.enum) && p.enum.length > 0) return p.enum[0]
  switch (p.type) {
    case 'integer': case 'number': return typeof p.minimum === 'number' ? p.minimum : 3
    case 'boolean': return true
    case 'string':
      if (p.format === 'email') return 'ann@example.com'
      if (p.format === 'date-time') return '2026-01-16T10:00:00.000Z'
      if (p.format === 'uri') return 'https://example.com/'
      return /id$/i.test(name) ? '42' : name
    default: return name
  }
}

// A plain JSON copy: drops TypeBox's symbols and the `$id`, so the schema can be embedded anywhere.
function clone (schema: TSchema): TSchema {
  const { $id, ...rest } = JSON.parse(JSON.stringify(schema)) as TSchema
  return rest as TSchema
}
