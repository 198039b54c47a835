import type { CatalogExport } from '@errcodes/core'

/** One difference between two catalog exports. */
export interface CatalogChange {
  /** Stable kebab-case id of the rule, such as `code-removed` or `param-now-required`. */
  readonly kind: string
  /** True when clients or throw sites written against the old catalog can break. */
  readonly breaking: boolean
  /** The error name, when the change is about one entry. */
  readonly name?: string
  readonly code?: number
  /** The domain name, when the change is about a domain. */
  readonly domain?: string
  /** One readable sentence. */
  readonly message: string
}

/** The result of `diffCatalogs`: breaking changes first, both lists in code order. */
export interface CatalogDiff {
  readonly breaking: readonly CatalogChange[]
  readonly nonBreaking: readonly CatalogChange[]
}

type Entry = Record<string, unknown> & { readonly name: string, readonly code: number, readonly status: number }
type Push = (kind: string, breaking: boolean, e: Entry, message: string) => void

/**
 * Compares two catalog exports as an API contract. Breaking: a code removed, a name's number or a
 * number's name changed, a status changed, a param removed, made required or added as required, a
 * param's or detail field's type changed, a detail field removed or made optional, a domain removed or
 * shrunk. Everything else that differs (added codes, messages, descriptions, severity…) is listed as
 * non-breaking.
 */
export function diffCatalogs (before: CatalogExport, after: CatalogExport): CatalogDiff {
  const changes: CatalogChange[] = []
  const push: Push = (kind, breaking, e, message) => {
    // Every entry-level change names its entry; domain changes are pushed by compareDomains directly.
    changes.push({ kind, breaking, name: e.name, code: e.code, message })
  }
  const oldByName = byKey(before.errors as Entry[], e => e.name)
  const newByName = byKey(after.errors as Entry[], e => e.name)
  const oldByCode = byKey(before.errors as Entry[], e => e.code)
  const newByCode = byKey(after.errors as Entry[], e => e.code)

  for (const o of oldByName.values()) {
    const n = newByName.get(o.name)
    if (n === undefined) {
      if (!newByCode.has(o.code)) push('code-removed', true, o, `${o.name} (${o.code}) was removed`)
      continue
    }
    compareEntry(o, n, push)
  }
  for (const o of oldByCode.values()) {
    const n = newByCode.get(o.code)
    if (n !== undefined && n.name !== o.name) push('name-changed', true, n, `code ${o.code} was ${o.name} and is now ${n.name}`)
  }
  for (const n of newByName.values()) {
    if (!oldByName.has(n.name) && !oldByCode.has(n.code)) push('code-added', false, n, `${n.name} (${n.code}) was added`)
  }
  compareDomains(before, after, changes)
  const order = (c: CatalogChange): number => c.code ?? -1
  const sorted = changes.sort((a, b) => order(a) - order(b))
  return { breaking: sorted.filter(c => c.breaking), nonBreaking: sorted.filter(c => !c.breaking) }
}

function compareEntry (o: Entry, n: Entry, push: Push): void {
  const who = `${n.name} (${n.code})`
  if (o.code !== n.code) push('number-changed', true, n, `${n.name} changed its code from ${o.code} to ${n.code}`)
  if (o.status !== n.status) push('status-changed', true, n, `${who} changed its status from ${o.status} to ${n.status}`)
  if (o.domain !== n.domain) push('domain-changed', false, n, `${who} moved from domain ${String(o.domain)} to ${String(n.domain)}`)
  compareFields(who, n, o.params, n.params, 'param', push)
  compareFields(who, n, o.detail, n.detail, 'detail', push)
  const notes: Array<[string, string, string]> = [
    ['message', 'message-changed', 'message'], ['description', 'description-changed', 'description'],
    ['title', 'title-changed', 'title'], ['messageKey', 'message-key-changed', 'message key'],
    ['severity', 'severity-changed', 'severity'], ['expose', 'expose-changed', 'expose'],
    ['retryAfter', 'retry-after-changed', 'Retry-After'], ['headers', 'headers-changed', 'headers'],
    ['deprecated', 'deprecation-changed', 'deprecation']
  ]
  for (const [key, kind, label] of notes) {
    const a = o[key]
    const b = n[key]
    if (canonical(a, 0) !== canonical(b, 0)) push(kind, false, n, `${who} changed its ${label}${key === 'headers' ? '' : `: ${show(a)} → ${show(b)}`}`)
  }
}

/**
 * Params are inputs of throw sites: removing one, requiring one or changing its type breaks them.
 * Detail fields are outputs read by clients: removing one, making it optional or changing its type breaks them.
 */
function compareFields (who: string, e: Entry, a: unknown, b: unknown, what: 'param' | 'detail', push: Push): void {
  if (a === undefined && b === undefined) return
  const label = what === 'param' ? 'param' : 'detail field'
  const pa = propertiesOf(a)
  const pb = propertiesOf(b)
  if ((a !== undefined && pa === undefined) || (b !== undefined && pb === undefined)) {
    if (canonical(a, 0) !== canonical(b, 0)) push(`${what}-schema-changed`, true, e, `${who} changed its ${what} schema`)
    return
  }
  const before = pa ?? { props: new Map(), required: new Set<string>() }
  const after = pb ?? { props: new Map(), required: new Set<string>() }
  for (const [name, schema] of before.props) {
    if (!after.props.has(name)) {
      push(`${what}-removed`, true, e, `${who} no longer has the ${label} ${name}`)
      continue
    }
    if (canonical(schema, 0) !== canonical(after.props.get(name), 0)) push(`${what}-type-changed`, true, e, `${who} changed the type of the ${label} ${name}`)
    const wasRequired = before.required.has(name)
    const isRequired = after.required.has(name)
    if (wasRequired !== isRequired) {
      const breaking = what === 'param' ? isRequired : wasRequired
      push(`${what}-now-${isRequired ? 'required' : 'optional'}`, breaking, e, `${who} made the ${label} ${name} ${isRequired ? 'required' : 'optional'}`)
    }
  }
  for (const name of after.props.keys()) {
    if (before.props.has(name)) continue
    const required = after.required.has(name)
    const breaking = what === 'param' && required
    push(`${what}-added${required ? '-required' : ''}`, breaking, e, `${who} has a new ${required ? 'required' : 'optional'} ${label} ${name}`)
  }
}

function compareDomains (before: CatalogExport, after: CatalogExport, changes: CatalogChange[]): void {
  const newByName = byKey(after.domains, d => d.name)
  const oldByName = byKey(before.domains, d => d.name)
  for (const o of oldByName.values()) {
    const n = newByName.get(o.name)
    const range = `${o.from}–${o.to}`
    if (n === undefined) {
      changes.push({ kind: 'domain-removed', breaking: true, domain: o.name, message: `domain ${o.name} (${range}) was removed` })
    } else if (n.from > o.from || n.to < o.to) {
      changes.push({ kind: 'domain-shrunk', breaking: true, domain: o.name, message: `domain ${o.name} shrank from ${range} to ${n.from}–${n.to}` })
    } else if (n.from !== o.from || n.to !== o.to) {
      changes.push({ kind: 'domain-grown', breaking: false, domain: o.name, message: `domain ${o.name} grew from ${range} to ${n.from}–${n.to}` })
    }
  }
  for (const n of newByName.values()) {
    if (!oldByName.has(n.name)) changes.push({ kind: 'domain-added', breaking: false, domain: n.name, message: `domain ${n.name} (${n.from}–${n.to}) was added` })
  }
}

function byKey<T, K> (list: readonly T[], key: (item: T) => K): Map<K, T> {
  const map = new Map<K, T>()
  for (const item of list) map.set(key(item), item)
  return map
}

function propertiesOf (schema: unknown): { props: Map<string, unknown>, required: Set<string> } | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined
  const s = schema as { properties?: unknown, required?: unknown }
  if (typeof s.properties !== 'object' || s.properties === null || Array.isArray(s.properties)) return undefined
  const props = s.properties as Record<string, unknown>
  return {
    props: new Map(Object.keys(props).map(k => [k, props[k]])),
    required: new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [])
  }
}

// Annotations do not change what a schema accepts, so rewording a description is not a type change.
const ANNOTATIONS = new Set(['description', 'title', 'examples', 'default', '$comment', '$id'])
const MAX_DEPTH = 32

/** A key-order-independent JSON text of a value, without schema annotations; bounded in depth. */
function canonical (value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) return '"…"'
  if (Array.isArray(value)) return `[${value.map(v => canonical(v, depth + 1)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj).filter(k => !ANNOTATIONS.has(k)).sort()
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonical(obj[k], depth + 1)}`).join(',')}}`
  }
  return value === undefined ? 'undefined' : JSON.stringify(value)
}

function show (value: unknown): string {
  if (value === undefined) return '(none)'
  // Values come from a JSON export, so each has a JSON text (undefined is handled above).
  const s = JSON.stringify(value)
  return s.length > 80 ? s.slice(0, 79) + '…' : s
}
