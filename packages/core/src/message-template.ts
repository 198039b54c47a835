/**
 * The English default messages are ICU MessageFormat. Core renders the subset that default messages
 * use (`{name}`, `{n, number}`, `{n, plural, …}` with `#`, `{x, select, …}`, `'` quoting) so that it
 * needs no i18n library; @errcodes/i18n renders the full syntax for every locale.
 */

/** Longest rendered parameter value; longer values are cut so one param cannot blow up a body. */
export const MAX_PARAM_LENGTH = 1024

interface ArgNode { arg: string, kind: 'simple' }
interface BranchNode { arg: string, kind: 'plural' | 'select', options: Map<string, Node[]>, offset?: number, ordinal?: boolean }
type Node = string | ArgNode | BranchNode

// English plural categories (one/other; one/two/few/other for ordinals), built once.
const CARDINAL = new Intl.PluralRules('en')
const ORDINAL = new Intl.PluralRules('en', { type: 'ordinal' })
// Formats ICU allows on a simple argument; anything else (`{n, foo}`) is a syntax error, as in ICU.
const SIMPLE_TYPES = new Set(['number', 'date', 'time', 'spellout', 'ordinal', 'duration'])

/** The top-level argument names of an ICU message (`{userId}` → `userId`). Throws on bad syntax. */
export function placeholdersOf (template: string): string[] {
  const names = new Set<string>()
  collect(parse(template), names)
  return [...names]
}

/** A message template parsed once, rendered many times. */
export type CompiledMessage = (params: Readonly<Record<string, unknown>> | undefined) => string

/** Parses `template` once (throws SyntaxError on bad syntax) and returns a renderer that never throws. */
export function compileMessage (template: string): CompiledMessage {
  const nodes = parse(template)
  return (params) => {
    try {
      return renderNodes(nodes, params, undefined)
    } catch {
      return template
    }
  }
}

/** Renders `template` once with `params`; a bad template renders as its raw text. */
export function renderMessage (template: string, params: Readonly<Record<string, unknown>> | undefined): string {
  try {
    return renderNodes(parse(template), params, undefined)
  } catch {
    return template
  }
}

/** Turns a param value into display text: strings capped, non-primitives never expanded. */
export function paramText (value: unknown): string {
  switch (typeof value) {
    case 'string': return value.length > MAX_PARAM_LENGTH ? value.slice(0, MAX_PARAM_LENGTH) + '…' : value
    case 'number': return Number.isFinite(value) ? String(value) : String(value)
    case 'bigint': case 'boolean': return String(value)
    case 'undefined': return ''
    default:
      if (value === null) return ''
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
      return '[object]'
  }
}

function collect (nodes: Node[], names: Set<string>): void {
  for (const node of nodes) {
    if (typeof node === 'string') continue
    names.add(node.arg)
    if (node.kind === 'plural' || node.kind === 'select') for (const branch of node.options.values()) collect(branch, names)
  }
}

function renderNodes (nodes: Node[], params: Readonly<Record<string, unknown>> | undefined, pound: number | undefined): string {
  let out = ''
  for (const node of nodes) {
    if (typeof node === 'string') {
      out += pound === undefined ? node : node.replaceAll('\u0000#', String(pound))
      continue
    }
    const value = params !== undefined && Object.hasOwn(params, node.arg) ? params[node.arg] : undefined
    if (node.kind === 'simple') {
      out += value === undefined ? `{${node.arg}}` : paramText(value)
    } else if (node.kind === 'plural') {
      const n = typeof value === 'number' ? value : Number(value)
      // ICU: `=N` matches the value itself, categories and `#` use the value minus the offset.
      const shown = n - (node.offset ?? 0)
      const category = Number.isFinite(shown) ? (node.ordinal === true ? ORDINAL : CARDINAL).select(shown) : 'other'
      const branch = node.options.get(`=${n}`) ?? node.options.get(category) ?? node.options.get('other') ?? []
      out += renderNodes(branch, params, shown)
    } else {
      const key = typeof value === 'string' ? value : String(value)
      out += renderNodes(node.options.get(key) ?? node.options.get('other') ?? [], params, pound)
    }
  }
  return out.replaceAll('\u0000#', '#')
}

const ARG = /\s*([A-Za-z_][\w]*)\s*(?:,\s*(\w+)\s*)?(,|\})/y

function parse (src: string): Node[] {
  const state = { src, pos: 0 }
  const nodes = parseNodes(state, false)
  if (state.pos < src.length) throw new SyntaxError(`unexpected "}" at ${state.pos}`)
  return nodes
}

function parseNodes (s: { src: string, pos: number }, nested: boolean): Node[] {
  const nodes: Node[] = []
  let text = ''
  while (s.pos < s.src.length) {
    const ch = s.src[s.pos]
    if (ch === "'") {
      // ICU quoting: '' is one apostrophe; '{…}' is literal text.
      const next = s.src[s.pos + 1]
      if (next === "'") { text += "'"; s.pos += 2; continue }
      if (next === '{' || next === '}' || next === '#') {
        const end = s.src.indexOf("'", s.pos + 1)
        const stop = end === -1 ? s.src.length : end
        text += s.src.slice(s.pos + 1, stop)
        s.pos = stop + 1
        continue
      }
      text += ch; s.pos++; continue
    }
    if (ch === '#' && nested) { text += '\u0000#'; s.pos++; continue }
    if (ch === '}') {
      if (!nested) throw new SyntaxError(`unexpected "}" at ${s.pos}`)
      break
    }
    if (ch === '{') {
      if (text !== '') { nodes.push(text); text = '' }
      nodes.push(parseArgument(s))
      continue
    }
    text += ch
    s.pos++
  }
  if (text !== '') nodes.push(text)
  return nodes
}

function parseArgument (s: { src: string, pos: number }): Node {
  ARG.lastIndex = s.pos + 1
  const m = ARG.exec(s.src)
  if (m === null) throw new SyntaxError(`bad argument at ${s.pos}`)
  const [, arg, type, end] = m as unknown as [string, string, string | undefined, string]
  s.pos = ARG.lastIndex
  if (end === '}') {
    if (type !== undefined && !SIMPLE_TYPES.has(type)) throw new SyntaxError(`unknown format ${type} of argument ${arg}`)
    return { arg, kind: 'simple' }
  }
  if (type !== 'plural' && type !== 'select' && type !== 'selectordinal') {
    if (type === undefined || !SIMPLE_TYPES.has(type)) throw new SyntaxError(`unknown format ${String(type)} of argument ${arg}`)
    // number/date/time with a style: skip the style, render the value plainly.
    const close = s.src.indexOf('}', s.pos)
    if (close === -1) throw new SyntaxError(`unclosed argument ${arg}`)
    s.pos = close + 1
    return { arg, kind: 'simple' }
  }
  const options = new Map<string, Node[]>()
  let offset = 0
  for (;;) {
    while (/\s/.test(s.src[s.pos] ?? '')) s.pos++
    if (s.src[s.pos] === '}') { s.pos++; break }
    const keyMatch = /(offset:\s*\d+\s*)?([=\w-]+)\s*\{/y
    keyMatch.lastIndex = s.pos
    const km = keyMatch.exec(s.src)
    if (km === null) throw new SyntaxError(`bad option in ${arg} at ${s.pos}`)
    s.pos = keyMatch.lastIndex
    if (km[1] !== undefined) offset = Number(km[1].replace(/\D/g, ''))
    options.set(km[2], parseNodes(s, true))
    if (s.src[s.pos] !== '}') throw new SyntaxError(`unclosed option in ${arg}`)
    s.pos++
  }
  if (!options.has('other')) throw new SyntaxError(`${type} argument ${arg} needs an "other" option`)
  return type === 'select' ? { arg, kind: 'select', options } : { arg, kind: 'plural', options, offset, ordinal: type === 'selectordinal' }
}
