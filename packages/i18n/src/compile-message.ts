import { IntlMessageFormat, type Formatters } from 'intl-messageformat'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { MAX_PARAM_LENGTH } from '@errcodes/core'

/** How a message uses one argument, which decides how a param value is coerced for it. */
export type ArgKind = 'text' | 'number' | 'date'

/** A message parsed and compiled once; `format` never throws. */
export interface CompiledMessage {
  /** The locale whose file supplied the message. */
  readonly locale: string
  /** The source pattern. */
  readonly source: string
  /** Every argument the message reads, with how it reads it (top level and inside branches). */
  readonly args: ReadonlyMap<string, ArgKind>
  /** Renders with hardened params; undefined when the message cannot be rendered for them. */
  format (params: Readonly<Record<string, unknown>> | undefined): string | undefined
}

const MAX_LIST_ITEMS = 16
// Values objects inherit from this empty, frozen, null-prototype object: nothing from Object.prototype
// is reachable (`constructor in values` is false), yet V8 keeps them fast, unlike Object.create(null).
const NO_MEMBERS: object = Object.freeze(Object.create(null))

/** Parses a pattern the way the translator does (tags are text, plural/select need `other`); throws SyntaxError. */
export function parseMessage (source: string): MessageFormatElement[] {
  try {
    return parse(source, { ignoreTag: true, requiresOtherClause: true })
  } catch (err) {
    throw new SyntaxError(`invalid ICU message: ${(err as Error).message}`)
  }
}

/** The arguments a parsed message reads, and how. */
export function argumentsOf (ast: readonly MessageFormatElement[]): Map<string, ArgKind> {
  const out = new Map<string, ArgKind>()
  const stack: Array<readonly MessageFormatElement[]> = [ast]
  while (stack.length > 0) {
    for (const el of stack.pop() as readonly MessageFormatElement[]) {
      let kind: ArgKind | undefined
      if (el.type === TYPE.argument || el.type === TYPE.select) kind = 'text'
      else if (el.type === TYPE.number || el.type === TYPE.plural) kind = 'number'
      else if (el.type === TYPE.date || el.type === TYPE.time) kind = 'date'
      if (kind !== undefined) {
        const name = (el as { value: string }).value
        const prev = out.get(name)
        // A date use wins over a number use, which wins over text: each coercion still renders as text.
        if (prev === undefined || rank(kind) > rank(prev)) out.set(name, kind)
      }
      // No tag case: parseMessage ignores tags (they are text), so the AST never holds one.
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) stack.push(o.value)
    }
  }
  return out
}

/** Compiles one message (throws SyntaxError on bad syntax), sharing `formatters` across messages. */
export function compileMessage (source: string, locale: string, formatters: Formatters): CompiledMessage {
  const ast = parseMessage(source)
  const args = argumentsOf(ast)
  if (ast.every(el => el.type === TYPE.literal || el.type === TYPE.argument)) return compileSimple(ast, locale, source, args)
  const mf = new IntlMessageFormat(plainDatesAsDates(ast, args), locale, undefined, { ignoreTag: true, formatters })
  const names = [...args.keys()]
  const kinds = [...args.values()]
  return {
    locale,
    source,
    args,
    format (params) {
      try {
        // Only the message's own argument names are read, into a null-prototype object, so names
        // like `constructor` never reach Object.prototype and extra params are never touched.
        const values: Record<string, string | number | Date> = Object.create(NO_MEMBERS)
        for (let i = 0; i < names.length; i++) {
          const name = names[i]
          const kind = kinds[i]
          if (kind === 'text') {
            values[name] = textParam(params, name)
            continue
          }
          const value = coerce(readOwn(params, name), kind)
          if (value === undefined) return undefined
          values[name] = value
        }
        const out = mf.format(values)
        return typeof out === 'string' ? out : undefined
      } catch {
        return undefined
      }
    }
  }
}

/**
 * A plain `{d}` of an argument that the message also reads as a date receives a Date (the date use
 * wins the coercion), which intl-messageformat would return as an object part instead of text, so
 * the whole message would not render. Such a `{d}` is rendered as `{d, date}` instead.
 */
function plainDatesAsDates (ast: readonly MessageFormatElement[], args: ReadonlyMap<string, ArgKind>): MessageFormatElement[] {
  return ast.map((el): MessageFormatElement => {
    if (el.type === TYPE.argument && args.get(el.value) === 'date') return { type: TYPE.date, value: el.value, style: null, location: el.location }
    if (el.type !== TYPE.plural && el.type !== TYPE.select) return el
    const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: plainDatesAsDates(o.value, args) }]))
    return { ...el, options }
  })
}

/**
 * Messages of text and plain `{arg}`s only (most error messages) are joined by hand: the same
 * output as intl-messageformat for them, several times faster on the error path.
 */
function compileSimple (ast: readonly MessageFormatElement[], locale: string, source: string, args: ReadonlyMap<string, ArgKind>): CompiledMessage {
  const parts = ast.map(el => el.type === TYPE.literal ? { text: el.value } : { arg: (el as { value: string }).value })
  if (args.size === 0) {
    // Most messages have no argument: answer the text itself.
    const text = parts.map(p => p.text).join('')
    return { locale, source, args, format: () => text }
  }
  return {
    locale,
    source,
    args,
    format (params) {
      try {
        let out = ''
        for (const part of parts) out += part.text ?? textParam(params, part.arg as string)
        return out
      } catch {
        return undefined
      }
    }
  }
}

/** Shared, bounded caches of Intl formatters for every message of one snapshot. */
export function createFormatters (): Formatters {
  const cache = new Map<string, unknown>()
  const get = <T>(kind: string, args: unknown[], make: () => T): T => {
    const key = kind + JSON.stringify(args)
    let value = cache.get(key) as T | undefined
    if (value === undefined) {
      value = make()
      if (cache.size < 1000) cache.set(key, value)
    }
    return value
  }
  return {
    getNumberFormat: (...args) => get('n', args, () => new Intl.NumberFormat(...(args as [string, Intl.NumberFormatOptions]))),
    getDateTimeFormat: (...args) => get('d', args, () => new Intl.DateTimeFormat(...args)),
    getPluralRules: (...args) => get('p', args, () => new Intl.PluralRules(...args))
  }
}

/** A text argument's value, or the literal `{name}` when the param is missing, so the gap stays visible. */
function textParam (params: Readonly<Record<string, unknown>> | undefined, name: string): string {
  const value = coerce(readOwn(params, name), 'text')
  return value === undefined ? `{${name}}` : value as string
}

function rank (kind: ArgKind): number {
  return kind === 'text' ? 0 : kind === 'number' ? 1 : 2
}

function readOwn (params: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  if (typeof params !== 'object' || params === null) return undefined
  try {
    return Object.hasOwn(params, name) ? params[name] : undefined
  } catch {
    return undefined
  }
}

function coerce (value: unknown, kind: ArgKind): string | number | Date | undefined {
  if (value === undefined || value === null) return undefined
  try {
    if (kind === 'number') {
      if (typeof value === 'number') return value
      if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return Number(value)
      return undefined
    }
    if (kind === 'date') {
      const d = typeof value === 'number' ? new Date(value) : value instanceof Date ? value : undefined
      return d === undefined || Number.isNaN(d.getTime()) ? undefined : d
    }
    return text(value)
  } catch {
    // A Proxy or an object with throwing hooks: show that something was there, never its content.
    return kind === 'text' ? '[object]' : undefined
  }
}

function text (value: unknown): string {
  switch (typeof value) {
    case 'string': return value.length > MAX_PARAM_LENGTH ? value.slice(0, MAX_PARAM_LENGTH) + '…' : value
    case 'number': case 'bigint': case 'boolean': return String(value)
    case 'object':
      if (Array.isArray(value)) {
        // Ajv sends lists (`allowedValues`, `type`): show primitive items, capped in count and length.
        const items: string[] = []
        for (let i = 0; i < value.length && i < MAX_LIST_ITEMS; i++) {
          const v: unknown = value[i]
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') items.push(text(v))
        }
        return text(items.join(', ') + (value.length > MAX_LIST_ITEMS ? ', …' : ''))
      }
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
      return '[object]'
    default: return '[' + typeof value + ']'
  }
}
