// Keywords whose value is a map of schemas, a list of schemas, or one schema.
const SCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas']
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
const SCHEMA_ONE = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else']

/**
 * Turns a JSON Schema as TypeBox writes it into an OpenAPI Schema Object, the way @fastify/swagger
 * converts the schemas it sees: no `$id`/`$schema`, `const` as a one-value `enum` (OpenAPI 3.0 has no
 * `const`), `patternProperties` as `additionalProperties` (TypeBox's Record); for 3.0 also `null`
 * types as `nullable` and `examples` as `example`. The input is left untouched.
 */
export function toOpenapiSchema (schema: unknown, openapi30: boolean): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema
  const input = schema as Record<string, unknown>
  if (typeof input.$ref === 'string') return { $ref: input.$ref }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    if (key === '$id' || key === '$schema') continue
    if (key === 'const') {
      out.enum = [value]
    } else if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      const first = Object.values(value)[0]
      if (first !== undefined) out.additionalProperties = toOpenapiSchema(first, openapi30)
    } else if (SCHEMA_MAPS.includes(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toOpenapiSchema(v, openapi30)]))
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(v => toOpenapiSchema(v, openapi30))
    } else if (SCHEMA_ONE.includes(key)) {
      out[key] = toOpenapiSchema(value, openapi30)
    } else {
      out[key] = value
    }
  }
  if (openapi30) {
    if (out.type === 'null') {
      delete out.type
      out.nullable = true
      out.enum ??= [null]
    } else if (Array.isArray(out.type)) {
      const types = (out.type as unknown[]).filter(t => t !== 'null')
      if (types.length < (out.type as unknown[]).length) out.nullable = true
      out.type = types.length === 1 ? types[0] : types
    }
    if (Array.isArray(out.examples)) {
      if (out.examples.length > 0 && out.example === undefined) out.example = out.examples[0]
      delete out.examples
    }
  }
  return out
}
