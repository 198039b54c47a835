/** One problem found in locale files or messages. */
export interface LocaleProblem {
  /** `error` rejects the file or the message; `warning` is informational. */
  readonly severity: 'error' | 'warning'
  /** The file (or `messages.<locale>` for in-memory messages). */
  readonly file: string
  /** The dotted message key, when the problem concerns one. */
  readonly key?: string
  /** What is wrong, in one line. */
  readonly problem: string
}

/** Deepest object nesting accepted in a locale file. */
export const MAX_DEPTH = 32
/** Most messages accepted from one locale file. */
export const MAX_KEYS = 10_000
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])
const MAX_KEY_LENGTH = 256

/**
 * Parses one locale file's text into flat dot keys. Never throws: every problem is returned, and a
 * file with a structural problem (bad JSON, too deep, reserved or duplicate keys) yields no messages.
 */
export function parseLocaleJson (text: string, file: string): { messages: Map<string, string>, problems: LocaleProblem[] } {
  const problems: LocaleProblem[] = []
  const fail = (problem: string, key?: string): { messages: Map<string, string>, problems: LocaleProblem[] } => {
    problems.push({ severity: 'error', file, ...(key === undefined ? {} : { key }), problem })
    return { messages: new Map(), problems }
  }
  // A UTF-8 BOM is legal in files written by some editors; JSON.parse rejects it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const scan = scanKeys(source)
  if (scan !== undefined) return fail(scan.problem, scan.key)
  let root: unknown
  try {
    root = JSON.parse(source)
  } catch (err) {
    return fail(`invalid JSON (${(err as Error).message.slice(0, 200)}); comments and trailing commas are not allowed`)
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return fail('the file must hold one JSON object')
  return { messages: flatten(root as Record<string, unknown>, file, problems), problems }
}

/** Flattens nested messages to dot keys without recursion; reports bad leaves and collisions. */
export function flatten (root: Record<string, unknown>, file: string, problems: LocaleProblem[]): Map<string, string> {
  const out = new Map<string, string>()
  // An explicit stack of (object, its keys, position) keeps document order without recursion.
  const stack: Array<{ prefix: string, node: Record<string, unknown>, keys: string[], at: number }> = [{ prefix: '', node: root, keys: Object.keys(root), at: 0 }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.at >= frame.keys.length) { stack.pop(); continue }
    const name = frame.keys[frame.at++]
    const key = frame.prefix + name
    if (name === '' || name.split('.').some(s => s === '' || RESERVED.has(s))) {
      problems.push({ severity: 'error', file, key: key.slice(0, MAX_KEY_LENGTH), problem: 'reserved or empty key segment' })
      continue
    }
    if (key.length > MAX_KEY_LENGTH) {
      problems.push({ severity: 'error', file, key: key.slice(0, MAX_KEY_LENGTH), problem: `key longer than ${MAX_KEY_LENGTH} characters` })
      continue
    }
    const value = frame.node[name]
    if (typeof value === 'string') {
      if (out.has(key)) problems.push({ severity: 'error', file, key, problem: 'defined twice (a dotted key collides with a nested one)' })
      else if (out.size >= MAX_KEYS) return tooMany(out, file, problems)
      else out.set(key, value)
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && stack.length < MAX_DEPTH) {
      stack.push({ prefix: key + '.', node: value as Record<string, unknown>, keys: Object.keys(value), at: 0 })
    } else {
      problems.push({ severity: 'error', file, key, problem: stack.length >= MAX_DEPTH && typeof value === 'object' && value !== null ? `nested deeper than ${MAX_DEPTH} levels` : `message must be a string (got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})` })
    }
  }
  return out
}

function tooMany (out: Map<string, string>, file: string, problems: LocaleProblem[]): Map<string, string> {
  problems.push({ severity: 'error', file, problem: `more than ${MAX_KEYS} messages` })
  return out
}

/**
 * Walks the JSON text once, before JSON.parse, to find what JSON.parse hides: duplicate keys (the
 * last silently wins), prototype keys and nesting deep enough to hurt. Iterative and linear.
 */
function scanKeys (src: string): { problem: string, key?: string } | undefined {
  const stack: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = 0; i < src.length; i++) {
    const ch = src.charCodeAt(i)
    if (ch === 0x7b || ch === 0x5b) { // { [
      stack.push(ch === 0x7b ? new Set() : null)
      if (stack.length > MAX_DEPTH) return { problem: `nested deeper than ${MAX_DEPTH} levels` }
      expectKey = ch === 0x7b
    } else if (ch === 0x7d || ch === 0x5d) { // } ]
      stack.pop()
      expectKey = false
    } else if (ch === 0x2c) { // ,
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null
    } else if (ch === 0x22) { // "
      let j = i + 1
      while (j < src.length && src.charCodeAt(j) !== 0x22) j += src.charCodeAt(j) === 0x5c ? 2 : 1
      if (expectKey) {
        let key: string
        try { key = JSON.parse(src.slice(i, j + 1)) as string } catch { return undefined }
        const seen = stack[stack.length - 1] as Set<string>
        if (RESERVED.has(key)) return { problem: `reserved key "${key}"`, key }
        if (seen.has(key)) return { problem: `duplicate key "${key.slice(0, 64)}"`, key: key.slice(0, MAX_KEY_LENGTH) }
        seen.add(key)
        expectKey = false
      }
      i = j
    }
  }
  return undefined
}
