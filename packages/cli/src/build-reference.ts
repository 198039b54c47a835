import { exampleBody, type Catalog, type ErrorEntry } from '@errcodes/core'
import type { LocaleMessages } from './read-locales.js'

/** One param (or detail field) as a docs table row. */
export interface ReferenceField {
  readonly name: string
  readonly type: string
  readonly required: boolean
  readonly description?: string
}

/** One code in the reference: everything a client author needs to handle it. */
export interface ReferenceEntry {
  readonly name: string
  readonly code: number
  readonly domain: string
  readonly status: number
  readonly severity: string
  readonly title: string
  readonly description?: string
  /** `true`, or a text saying what to use instead. */
  readonly deprecated?: boolean | string
  readonly expose: boolean
  readonly retryAfter?: number
  readonly messageKey: string
  /** The catalog's default message, then each locale's (`null` when the locale lacks the key). */
  readonly messages: Readonly<Record<string, string | null>>
  readonly params: readonly ReferenceField[]
  readonly paramsSchema?: unknown
  readonly detail: readonly ReferenceField[]
  readonly detailSchema?: unknown
  /** The problem format's `type` URI of this code. */
  readonly type: string
  readonly examples: { readonly json: Record<string, unknown>, readonly problem: Record<string, unknown> }
}

/** The rendered-format-neutral reference: domains in code order, each with its entries. */
export interface Reference {
  readonly title: string
  readonly locales: readonly string[]
  readonly domains: ReadonlyArray<{ readonly name: string, readonly from: number, readonly to: number, readonly entries: readonly ReferenceEntry[] }>
}

/** Options of `buildReference`. */
export interface ReferenceOptions {
  readonly title?: string
  readonly locales?: LocaleMessages
  /** Base of the problem `type` URI; the error name is appended (as `formatError` does). */
  readonly typeBaseUrl?: string
}

/** The key under which `messages` holds the catalog's own (English) message. */
export const DEFAULT_MESSAGE = 'default'

/** Builds the reference of `catalog` that the md, html and json renderers share. */
export function buildReference (catalog: Catalog, options: ReferenceOptions = {}): Reference {
  const locales = options.locales
  const typeBase = options.typeBaseUrl ?? 'urn:errcodes:'
  const entries = catalog.list()
  const domains = catalog.domains()
    .map(d => ({ name: d.name, from: d.from, to: d.to, entries: entries.filter(e => e.domain === d.name).map(e => entryOf(e, locales, typeBase)) }))
    .filter(d => d.entries.length > 0)
  return { title: options.title ?? 'Error reference', locales: locales?.locales ?? [], domains }
}

function entryOf (e: ErrorEntry, locales: LocaleMessages | undefined, typeBase: string): ReferenceEntry {
  const messages: Record<string, string | null> = Object.create(null)
  messages[DEFAULT_MESSAGE] = e.message
  for (const locale of locales?.locales ?? []) messages[locale] = locales?.messages.get(locale)?.get(e.messageKey) ?? null
  const type = typeBase + e.name
  return {
    name: e.name,
    code: e.code,
    domain: e.domain,
    status: e.status,
    severity: e.severity,
    title: e.title,
    ...(e.description === undefined ? {} : { description: e.description }),
    ...(e.deprecated === false ? {} : { deprecated: e.deprecated }),
    expose: e.expose,
    ...(e.retryAfter === undefined ? {} : { retryAfter: e.retryAfter }),
    messageKey: e.messageKey,
    messages,
    params: fieldsOf(e.params),
    ...(e.params === undefined ? {} : { paramsSchema: plain(e.params) }),
    detail: fieldsOf(e.detail),
    ...(e.detail === undefined ? {} : { detailSchema: plain(e.detail) }),
    type,
    examples: { json: exampleBody(e, 'json'), problem: { ...exampleBody(e, 'problem'), type } }
  }
}

/** The properties of an object schema as table rows. */
export function fieldsOf (schema: unknown): ReferenceField[] {
  const s = schema as { properties?: Record<string, unknown>, required?: unknown } | undefined
  if (s?.properties === undefined || typeof s.properties !== 'object') return []
  const required = new Set(Array.isArray(s.required) ? s.required : [])
  return Object.keys(s.properties).map(name => {
    const prop = s.properties?.[name] as { description?: unknown } | undefined
    return {
      name,
      type: typeLabel(prop, 0),
      required: required.has(name),
      ...(typeof prop?.description === 'string' ? { description: prop.description } : {})
    }
  })
}

/** A short human label of a JSON schema: `string (email)`, `array<integer>`, `'a' | 'b'`. */
export function typeLabel (schema: unknown, depth: number): string {
  if (typeof schema !== 'object' || schema === null || depth > 4) return 'any'
  const s = schema as Record<string, unknown>
  if ('const' in s) return JSON.stringify(s.const)
  if (Array.isArray(s.enum)) return s.enum.map(v => JSON.stringify(v)).join(' | ')
  const union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined
  if (union !== undefined) return union.map(u => typeLabel(u, depth + 1)).join(' | ')
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : 'any'
  if (type === 'array') return `array<${typeLabel(s.items, depth + 1)}>`
  return typeof s.format === 'string' ? `${type} (${s.format})` : type
}

// TypeBox schemas carry symbols; the JSON copy is what a reader (and the json format) should see.
function plain (schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema))
}
