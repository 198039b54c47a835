import { DomainRegistry, type Domain } from './domain.js'
import { createEntry, type ErrorDefinition, type ErrorEntry } from './error-entry.js'
import { checkStackTraces, defaultStackTraces, type StackTraces } from './stack-policy.js'
import { defaultCheckMode, type CheckMode } from './occurrence-check.js'
import { rejectUnknownKeys } from './option-keys.js'

/** Options of `defineErrors`. */
export interface DefineErrorsOptions {
  /** Custom domains the entries may name by string. */
  readonly domains?: readonly Domain[]
  /**
   * Which entries capture a stack trace in `create()`: `'all'`, or `'server'` (5xx only). An entry's
   * own `captureStack` wins. Default: `'server'` under `NODE_ENV=production`, else `'all'`; the
   * presets carry one (`production().stackTraces`).
   */
  readonly stackTraces?: StackTraces
  /**
   * What `create()` does with params or detail that do not match the entry's schemas: `throw` a
   * TypeError naming the entry and the path, or `clean` them (undeclared properties removed,
   * ill-typed values dropped, one process warning per entry). Default: `clean` when NODE_ENV is
   * `production`, `throw` otherwise.
   */
  readonly check?: CheckMode
}

/** The JSON export of a catalog: what docs, the diff check and other languages read. */
export interface CatalogExport {
  readonly version: 1
  readonly domains: ReadonlyArray<{ readonly name: string, readonly from: number, readonly to: number }>
  readonly errors: ReadonlyArray<Record<string, unknown>>
}

/** Lookups shared by every catalog. Method names are lower case, so they never clash with entry names. */
export interface CatalogApi {
  /** The entry called `name`. */
  get (name: string): ErrorEntry | undefined
  /** The entry with numeric code `code`. */
  byCode (code: number): ErrorEntry | undefined
  /** True when an entry called `name` exists. */
  has (name: string): boolean
  /** Every entry, ordered by code. */
  list (): ErrorEntry[]
  /** Every domain used, ordered by range. */
  domains (): Domain[]
  /** A new catalog with the entries of both; collisions throw (see `mergeCatalogs`). */
  merge (other: Catalog): Catalog
  /** The JSON export of the catalog. */
  toJSON (): CatalogExport
}

/**
 * A catalog: `errors.USER_NOT_FOUND` is an entry, `errors.byCode(301)` a lookup. The unparameterised
 * `Catalog` has no index signature (it would clash with the methods), so every catalog is assignable
 * to it; code holding one looks entries up with `get()`.
 */
export type Catalog<Defs extends Record<string, ErrorDefinition> = Record<string, ErrorDefinition>> =
  string extends keyof Defs ? CatalogApi : { readonly [K in keyof Defs & string]: ErrorEntry<K, Defs[K]> } & CatalogApi

// Marks catalogs so that plain objects passed where a catalog is expected are rejected clearly.
const kCatalog = Symbol.for('errcodes.Catalog')

/** True for a catalog made by `defineErrors` or `mergeCatalogs` (from any installed copy). */
export function isCatalog (value: unknown): value is Catalog {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kCatalog] === true
}

/** Options of `defineErrors`. */
export interface DefineErrorsOptions {
  /** Custom domains to register before the entries. */
  readonly domains?: readonly Domain[]
  /**
   * What `create()` does with params or detail that do not match the entry's schemas: `throw` a
   * TypeError naming the entry and the path, or `clean` them (undeclared properties removed,
   * ill-typed values dropped, one process warning per entry). Default: `clean` when NODE_ENV is
   * `production`, `throw` otherwise.
   */
  readonly check?: CheckMode
}

/** Every option of `defineErrors`. */
export const DEFINE_ERRORS_KEYS: ReadonlyArray<keyof DefineErrorsOptions> = ['domains', 'stackTraces', 'check']

/**
 * Defines a catalog. Every mistake (duplicate code, code outside its domain, bad status, a
 * placeholder missing from `params`, a reserved name) throws a TypeError naming the entry.
 */
export function defineErrors<const Defs extends Record<string, ErrorDefinition>> (definitions: Defs, options: DefineErrorsOptions = {}): Catalog<Defs> {
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    throw new TypeError('defineErrors: definitions must be an object of entries')
  }
  const proto = Object.getPrototypeOf(definitions)
  if (proto !== Object.prototype && proto !== null) {
    // `{ __proto__: {...} }` in a literal sets the prototype instead of defining an entry.
    throw new TypeError('defineErrors: definitions must be a plain object (a "__proto__" key in a literal sets its prototype)')
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('defineErrors: options must be an object')
  rejectUnknownKeys('defineErrors', options, DEFINE_ERRORS_KEYS)
  const stackTraces = options.stackTraces === undefined ? defaultStackTraces() : checkStackTraces(options.stackTraces, 'defineErrors: stackTraces')
  if (options.check !== undefined && options.check !== 'throw' && options.check !== 'clean') {
    throw new TypeError('defineErrors: option "check" must be "throw" or "clean"')
  }
  const check = options.check ?? defaultCheckMode()
  const registry = new DomainRegistry()
  for (const domain of options.domains ?? []) registry.add(domain)
  const resolve = (d: string | Domain): Domain | undefined => {
    if (typeof d === 'string') return registry.get(d)
    if (typeof d !== 'object' || d === null) return undefined
    return registry.add(d)
  }
  const entries: ErrorEntry[] = []
  for (const name of Object.keys(definitions)) {
    entries.push(entryOf(name, definitions[name], resolve, stackTraces, check))
  }
  return buildCatalog(entries, registry) as Catalog<Defs>
}

// Reading a definition can run user code (getters, Proxies, a domain object): whatever it throws
// becomes the promised TypeError naming the entry.
function entryOf (name: string, def: ErrorDefinition, resolve: (d: string | Domain) => Domain | undefined, stackTraces: StackTraces, check: CheckMode): ErrorEntry {
  try {
    return createEntry(name, def, resolve, stackTraces, check) as ErrorEntry
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith(`error ${name}:`)) throw err
    let reason = 'the definition cannot be read'
    try { reason = String((err as Error).message) } catch {}
    throw new TypeError(`error ${name}: ${reason}`, { cause: err })
  }
}

/**
 * Merges catalogs left to right. The same entry twice is kept once; the same name with a different
 * definition, or the same code under two names, throws naming both.
 */
export function mergeCatalogs (...catalogs: Catalog[]): Catalog {
  const registry = new DomainRegistry()
  const entries = new Map<string, ErrorEntry>()
  for (const catalog of catalogs) {
    if (!isCatalog(catalog)) throw new TypeError('mergeCatalogs: every argument must be a catalog from defineErrors')
    for (const domain of catalog.domains()) registry.add(domain)
    for (const entry of catalog.list()) {
      const existing = entries.get(entry.name)
      if (existing !== undefined && !sameEntry(existing, entry)) {
        throw new TypeError(`error ${entry.name} is defined twice: code ${existing.code}/status ${existing.status} and code ${entry.code}/status ${entry.status}`)
      }
      entries.set(entry.name, entry)
    }
  }
  return buildCatalog([...entries.values()], registry)
}

/**
 * Merges user catalogs over `base` (the built-ins): a user entry with a built-in's name replaces
 * it; a user code equal to a built-in's code under another name throws.
 */
export function overrideCatalog (base: Catalog, ...catalogs: Catalog[]): Catalog {
  const user = catalogs.length === 1 ? catalogs[0] : mergeCatalogs(...catalogs)
  if (!isCatalog(user)) throw new TypeError('catalog must come from defineErrors')
  const kept = base.list().filter(e => !user.has(e.name))
  const registry = new DomainRegistry()
  for (const domain of [...base.domains(), ...user.domains()]) registry.add(domain)
  const byCode = new Map(kept.map(e => [e.code, e]))
  for (const entry of user.list()) {
    const clash = byCode.get(entry.code)
    if (clash !== undefined) {
      throw new TypeError(`error ${entry.name}: code ${entry.code} is taken by built-in ${clash.name}; pick another code or override ${clash.name} by name`)
    }
  }
  return buildCatalog([...kept, ...user.list()], registry)
}

function sameEntry (a: ErrorEntry, b: ErrorEntry): boolean {
  return a === b || (a.code === b.code && a.status === b.status && a.message === b.message && a.domain === b.domain)
}

function buildCatalog (list: ErrorEntry[], registry: DomainRegistry): Catalog {
  const byName = new Map<string, ErrorEntry>()
  const byCode = new Map<number, ErrorEntry>()
  for (const entry of list) {
    const clash = byCode.get(entry.code)
    if (clash !== undefined && clash.name !== entry.name) {
      throw new TypeError(`error ${entry.name}: code ${entry.code} is already used by ${clash.name}`)
    }
    byName.set(entry.name, entry)
    byCode.set(entry.code, entry)
  }
  const sorted = [...byName.values()].sort((a, b) => a.code - b.code)
  const usedDomains = registry.list().filter(d => sorted.some(e => e.domain === d.name) || !isPredefinedName(d.name))
  const api: CatalogApi = {
    get: (name) => byName.get(name),
    byCode: (code) => byCode.get(code),
    has: (name) => byName.has(name),
    list: () => [...sorted],
    domains: () => [...usedDomains],
    merge: (other) => mergeCatalogs(catalog as unknown as Catalog, other),
    toJSON: () => exportCatalog(sorted, usedDomains)
  }
  const catalog = Object.create(null) as Record<string | symbol, unknown>
  for (const [key, fn] of Object.entries(api)) Object.defineProperty(catalog, key, { value: fn, enumerable: false })
  Object.defineProperty(catalog, kCatalog, { value: true, enumerable: false })
  for (const entry of sorted) Object.defineProperty(catalog, entry.name, { value: entry, enumerable: true })
  return Object.freeze(catalog) as unknown as Catalog
}

function isPredefinedName (name: string): boolean {
  return name === 'AUTH' || name === 'RESOURCE' || name === 'VALIDATION' || name === 'SERVER' || name === 'CUSTOM'
}

function exportCatalog (entries: ErrorEntry[], domains: Domain[]): CatalogExport {
  return {
    version: 1,
    domains: domains.map(d => ({ name: d.name, from: d.from, to: d.to })),
    errors: entries.map(e => ({
      name: e.name,
      code: e.code,
      domain: e.domain,
      status: e.status,
      title: e.title,
      message: e.message,
      messageKey: e.messageKey,
      severity: e.severity,
      expose: e.expose,
      ...(e.retryAfter === undefined ? {} : { retryAfter: e.retryAfter }),
      ...(Object.keys(e.headers).length === 0 ? {} : { headers: e.headers }),
      ...(e.description === undefined ? {} : { description: e.description }),
      ...(e.deprecated === false ? {} : { deprecated: e.deprecated }),
      placeholders: [...e.placeholders],
      ...(e.params === undefined ? {} : { params: JSON.parse(JSON.stringify(e.params)) }),
      ...(e.detail === undefined ? {} : { detail: JSON.parse(JSON.stringify(e.detail)) })
    }))
  }
}
