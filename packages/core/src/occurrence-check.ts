import { FormatRegistry, type TSchema } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'

/**
 * What `create()` does with params or detail that do not match the entry's schemas:
 * `throw` a TypeError at the throw site (development), or `clean` them so the response still matches
 * the documented schema, warning once per entry (production).
 */
export type CheckMode = 'throw' | 'clean'

/** The mode `defineErrors` uses when none is given: `clean` when NODE_ENV is `production`, else `throw`. */
export function defaultCheckMode (): CheckMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  return env?.NODE_ENV === 'production' ? 'clean' : 'throw'
}

/** Checks one occurrence's params and detail; returns the values to keep. */
export type OccurrenceCheck = (params: Readonly<Record<string, unknown>> | undefined, detail: unknown) => { params: Readonly<Record<string, unknown>> | undefined, detail: unknown }

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({})

interface Part {
  readonly label: 'params' | 'detail'
  readonly schema: TSchema
  check?: TypeCheck<TSchema>
}

/**
 * Builds the check of one entry. The schemas are compiled with TypeBox's TypeCompiler on the first
 * `create()` (not at definition: a catalog of thousands of entries must not pay for unused ones), once.
 * Object schemas are closed (`additionalProperties: false` unless they say otherwise), so a property
 * the entry does not declare is caught like an ill-typed one; `errorResponseSchema` documents them closed.
 * `format`s TypeBox's FormatRegistry does not know are not checked (TypeBox would reject every value).
 */
export function createOccurrenceCheck (name: string, params: TSchema | undefined, detail: TSchema | undefined, mode: CheckMode, warn: (message: string) => void = emitWarning): OccurrenceCheck {
  const parts: { params?: Part, detail?: Part } = {
    ...(params === undefined ? {} : { params: { label: 'params', schema: closeObjects(params) } }),
    ...(detail === undefined ? {} : { detail: { label: 'detail', schema: closeObjects(detail) } })
  }
  let warned = false
  const compiled = (part: Part): TypeCheck<TSchema> => (part.check ??= TypeCompiler.Compile(withoutUnknownFormats(part.schema)))

  const verify = (part: Part | undefined, value: unknown): unknown => {
    if (part === undefined) return value
    const check = compiled(part)
    let where: string
    try {
      if (check.Check(value)) return value
      const first = check.Errors(value).First()
      where = first === undefined ? part.label : `${part.label}${first.path}: ${first.message}`
    } catch {
      // A throwing getter or Proxy trap: the value cannot be read safely, so none of it is kept.
      where = `${part.label}: cannot be read`
      if (mode === 'throw') throw new TypeError(`error ${name}: ${where}`)
      return undefined
    }
    if (mode === 'throw') throw new TypeError(`error ${name}: ${where} (checked against the entry's ${part.label} schema)`)
    if (!warned) {
      warned = true
      warn(`error ${name}: ${where}; undeclared properties were removed and ill-typed values dropped (warned once per entry)`)
    }
    if (typeof value !== 'object' || value === null) return undefined
    let cleaned: Record<string, unknown>
    try {
      cleaned = Value.Clean(part.schema, Value.Clone(value)) as Record<string, unknown>
    } catch {
      // Not plain data (functions, class instances TypeBox cannot clone): nothing of it is sent.
      return undefined
    }
    if (check.Check(cleaned)) return cleaned
    // Still ill-typed: drop the offending top-level properties; what remains is declared and valid.
    for (const error of check.Errors(cleaned)) {
      const key = error.path.split('/')[1]
      if (key !== undefined && key !== '') delete cleaned[key.replaceAll('~1', '/').replaceAll('~0', '~')]
    }
    return check.Check(cleaned) ? cleaned : undefined
  }

  // An entry whose params are all optional may be created without any: check them as `{}`.
  return (p, d) => ({
    params: parts.params === undefined ? p : verify(parts.params, p ?? NO_PARAMS) as Readonly<Record<string, unknown>> | undefined,
    detail: d === undefined ? d : verify(parts.detail, d)
  })
}

/** A copy of `schema` where every object schema without its own `additionalProperties` is closed. */
export function closeObjects<T extends TSchema> (schema: T): T {
  return copy(schema, (out) => {
    if (out.type === 'object' && typeof out.properties === 'object' && out.additionalProperties === undefined && out.patternProperties === undefined) out.additionalProperties = false
  }) as T
}

function withoutUnknownFormats (schema: TSchema): TSchema {
  return copy(schema, (out) => {
    if (typeof out.format === 'string' && !FormatRegistry.Has(out.format)) delete out.format
  }) as TSchema
}

// Keywords whose values are data, not schemas: copied as they are.
const DATA = new Set(['const', 'default', 'examples', 'enum'])

/** Deep copy of a schema that keeps TypeBox's symbol keys (its Kind, which the compiler needs), editing each node. */
function copy (node: unknown, edit: (out: Record<string | symbol, unknown>) => void): unknown {
  if (Array.isArray(node)) return node.map(n => copy(n, edit))
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string | symbol, unknown> = {}
  for (const key of Object.keys(node)) {
    const value = (node as Record<string, unknown>)[key]
    out[key] = DATA.has(key) ? value : copy(value, edit)
  }
  for (const key of Object.getOwnPropertySymbols(node)) out[key] = (node as Record<symbol, unknown>)[key]
  edit(out)
  return out
}

function emitWarning (message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, { code: 'ERRCODES_OCCURRENCE' })
}
