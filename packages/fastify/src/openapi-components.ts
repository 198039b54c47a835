import { toOpenapiSchema } from './to-openapi-schema.js'
import {
  CauseSchema, JsonEnvelopeSchema, ProblemEnvelopeSchema, ValidationIssueSchema, entryBodyFields, exampleBody,
  type Catalog, type ErrorEntry, type ErrorFormat, type TSchema
} from '@errcodes/core'

/** The media type of each format in the document. */
export const MEDIA_TYPES: ReadonlyArray<readonly [ErrorFormat, string]> = [['json', 'application/json'], ['problem', 'application/problem+json']]

/** What the error components depend on besides the catalog. */
export interface ComponentOptions {
  readonly debug: boolean
  readonly typeBaseUrl: string
  /** Write OpenAPI 3.0 schemas (no `const`, `nullable` instead of `null` types). */
  readonly openapi30?: boolean
}

/** The errcodes part of `components`: schemas (shared sub-schemas and one per code and format) and examples. */
export interface ErrorComponents {
  readonly schemas: Record<string, unknown>
  readonly examples: Record<string, { summary: string, value: unknown }>
}

const SHARED = { issue: 'ErrcodesValidationIssue', cause: 'ErrcodesCause', json: 'ErrcodesJsonEnvelope', problem: 'ErrcodesProblemEnvelope' } as const

/** The `$id` (and OpenAPI component name) of an entry's response schema in one format. */
export function componentName (entry: Pick<ErrorEntry, 'name'>, format: ErrorFormat): string {
  return format === 'json' ? `Error.${entry.name}` : `Problem.${entry.name}`
}

/** A reference to a component of the document. */
export function schemaRef (name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` }
}

/**
 * Builds every error component once, in one pass over the catalog (linear in its size). The shared
 * sub-schemas (the two envelopes, the `errors[]` item, the cause link) are defined once and
 * referenced; each code's component is `allOf` its envelope and the fields that code can carry.
 * Listing the envelope's fields as `{}` in the second part lets it close the object
 * (`additionalProperties: false`) in OpenAPI 3.0 too, where `unevaluatedProperties` does not exist.
 */
export function buildErrorComponents (catalog: Catalog, options: ComponentOptions): ErrorComponents {
  const v30 = options.openapi30 === true
  const schemas: Record<string, unknown> = {
    [SHARED.json]: toOpenapiSchema(JsonEnvelopeSchema, v30),
    [SHARED.problem]: toOpenapiSchema(ProblemEnvelopeSchema, v30),
    [SHARED.issue]: toOpenapiSchema(ValidationIssueSchema, v30)
  }
  if (options.debug) schemas[SHARED.cause] = toOpenapiSchema(CauseSchema, v30)
  const open = {
    json: Object.fromEntries(Object.keys(JsonEnvelopeSchema.properties).map(k => [k, {}])),
    problem: Object.fromEntries(Object.keys(ProblemEnvelopeSchema.properties).map(k => [k, {}]))
  }
  const examples: Record<string, { summary: string, value: unknown }> = {}
  const fieldOptions = { debug: options.debug, typeBaseUrl: options.typeBaseUrl, issueSchema: schemaRef(SHARED.issue) as unknown as TSchema, causeSchema: schemaRef(SHARED.cause) as unknown as TSchema }
  for (const entry of catalog.list()) {
    for (const [format] of MEDIA_TYPES) {
      const name = componentName(entry, format)
      const own = entryBodyFields(entry, format, fieldOptions)
      schemas[name] = {
        description: entry.description ?? entry.title,
        ...(entry.deprecated === false ? {} : { deprecated: true }),
        allOf: [
          schemaRef(SHARED[format]),
          { type: 'object', required: own.required, properties: { ...open[format], ...convert(own.properties, v30) }, additionalProperties: false }
        ]
      }
      examples[name] = { summary: entry.title, value: exampleBody(entry, format, { typeBaseUrl: options.typeBaseUrl }) }
    }
  }
  return { schemas, examples }
}

function convert (properties: Record<string, TSchema>, openapi30: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(properties)) out[key] = toOpenapiSchema(schema, openapi30)
  return out
}
