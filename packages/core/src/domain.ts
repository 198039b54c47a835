/** A named range of numeric error codes owned by one part of a service. */
export interface Domain {
  readonly name: string
  readonly from: number
  readonly to: number
}

const DOMAIN_NAME = /^[A-Z][A-Z0-9_]{0,62}$/

/** Defines a domain `name` owning the codes `from`–`to` (inclusive, integers 0–9999). */
export function defineDomain (name: string, range: readonly [number, number]): Domain {
  if (typeof name !== 'string' || !DOMAIN_NAME.test(name)) {
    throw new TypeError(`defineDomain: name must be UPPER_SNAKE (got ${describe(name)})`)
  }
  if (!Array.isArray(range) || range.length !== 2) {
    throw new TypeError(`defineDomain(${name}): range must be a [from, to] pair`)
  }
  const [from, to] = range
  if (!isCode(from) || !isCode(to) || from > to) {
    throw new RangeError(`defineDomain(${name}): range must be integers 0–9999 with from <= to (got [${String(from)}, ${String(to)}])`)
  }
  return Object.freeze({ name, from, to })
}

/** True when `code` is an integer 0–9999. */
export function isCode (code: unknown): code is number {
  return Number.isInteger(code) && (code as number) >= 0 && (code as number) <= 9999
}

/** The seed's predefined domains. */
export const AUTH = defineDomain('AUTH', [200, 299])
/** Missing, conflicting or unroutable resources. */
export const RESOURCE = defineDomain('RESOURCE', [300, 399])
/** Requests whose content is invalid. */
export const VALIDATION = defineDomain('VALIDATION', [400, 499])
/** Faults of the service itself. */
export const SERVER = defineDomain('SERVER', [500, 599])
/** Business rules of the application. */
export const CUSTOM = defineDomain('CUSTOM', [900, 999])

/** The predefined domains, in code order. */
export const predefinedDomains: readonly Domain[] = Object.freeze([AUTH, RESOURCE, VALIDATION, SERVER, CUSTOM])

/** A set of non-overlapping domains with lookup by name and by code. */
export class DomainRegistry {
  readonly #byName = new Map<string, Domain>()

  constructor (domains: Iterable<Domain> = predefinedDomains) {
    for (const domain of domains) this.add(domain)
  }

  /** Adds a domain; throws when its name is taken by another range or its range overlaps another. */
  add (domain: Domain): Domain {
    const existing = this.#byName.get(domain.name)
    if (existing !== undefined) {
      if (existing.from === domain.from && existing.to === domain.to) return existing
      throw new RangeError(`domain ${domain.name} is already defined as ${existing.from}–${existing.to}`)
    }
    for (const other of this.#byName.values()) {
      if (domain.from <= other.to && other.from <= domain.to) {
        throw new RangeError(`domain ${domain.name} (${domain.from}–${domain.to}) overlaps ${other.name} (${other.from}–${other.to})`)
      }
    }
    this.#byName.set(domain.name, domain)
    return domain
  }

  /** The domain called `name`, if any. */
  get (name: string): Domain | undefined {
    return this.#byName.get(name)
  }

  /** The domain whose range holds `code`, if any. */
  domainOf (code: number): Domain | undefined {
    for (const domain of this.#byName.values()) {
      if (code >= domain.from && code <= domain.to) return domain
    }
    return undefined
  }

  /** All domains, ordered by range. */
  list (): Domain[] {
    return [...this.#byName.values()].sort((a, b) => a.from - b.from)
  }
}

/** The predefined domain that holds `code`, if any. */
export function domainOf (code: number): Domain | undefined {
  return predefinedDomains.find(d => code >= d.from && code <= d.to)
}

function describe (value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value
}
