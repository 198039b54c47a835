/** One field-level problem of a failed validation (`errors[]` on the wire). */
export interface ValidationIssue {
  /** Where the value came from: body, querystring, params or headers. */
  readonly location: string
  /** Dotted path of the field (`address.street`, `items.0`), empty for the whole part. */
  readonly field: string
  /** RFC 6901 JSON Pointer into the part (`/address/street`). */
  readonly pointer: string
  /** The schema keyword that failed (`required`, `format`, …). */
  readonly keyword: string
  /** Human-readable message (localized by the Fastify plugin when a Translator is given). */
  readonly message: string
  /** The keyword's parameters (`{ limit: 3 }`), primitives only. */
  readonly params: Readonly<Record<string, unknown>>
}

/** At most this many issues are kept: a huge invalid body must not make a huge error body. */
export const MAX_ISSUES = 50
const MAX_TEXT = 256

/** The fields of an Ajv (or TypeBox-compiler) error that issues are built from. */
interface AjvLikeError {
  instancePath?: unknown
  keyword?: unknown
  params?: unknown
  message?: unknown
}

/**
 * Builds issues from Ajv-shaped errors (`error.validation` in Fastify) and the part they concern
 * (`error.validationContext`). Reads only known fields, so nothing else of the error leaks.
 */
export function issuesFromAjv (validation: unknown, location: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  if (!Array.isArray(validation)) return issues
  const where = typeof location === 'string' && /^[a-z]{1,16}$/i.test(location) ? location : 'body'
  const n = Math.min(validation.length, MAX_ISSUES)
  for (let i = 0; i < n; i++) {
    try {
      issues.push(issueOf(validation[i] as AjvLikeError, where))
    } catch {
      // A hostile entry (throwing getter, Proxy) is skipped rather than failing the whole response.
    }
  }
  return issues
}

function issueOf (error: AjvLikeError, location: string): ValidationIssue {
  const params = primitiveParams(error.params)
  let pointer = typeof error.instancePath === 'string' ? error.instancePath.slice(0, MAX_TEXT) : ''
  // Ajv reports a missing property at its parent; point at the property itself.
  const missing = params.missingProperty
  if (typeof missing === 'string') pointer += '/' + escapePointer(missing.replace(/^\./, ''))
  const keyword = typeof error.keyword === 'string' ? error.keyword.slice(0, 64) : 'invalid'
  const message = typeof error.message === 'string' ? error.message.slice(0, MAX_TEXT) : 'is invalid'
  return {
    location,
    field: pointer.split('/').slice(1).map(unescapePointer).join('.'),
    pointer,
    keyword,
    message,
    params
  }
}

function primitiveParams (params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  if (typeof params !== 'object' || params === null) return out
  let count = 0
  for (const key of Object.keys(params)) {
    if (++count > 16) break
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
    const value = (params as Record<string, unknown>)[key]
    if (typeof value === 'string') out[key] = value.slice(0, MAX_TEXT)
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value
    else if (Array.isArray(value)) out[key] = value.slice(0, 16).filter(v => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
  }
  return out
}

function escapePointer (segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

function unescapePointer (segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~')
}
