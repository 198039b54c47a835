/** Longest Accept-Language value read; longer headers are cut at the last comma before this. */
export const MAX_HEADER_LENGTH = 512
/** Most language ranges kept from one header. */
export const MAX_RANGES = 32

// RFC 4647 basic range (letters, then alphanumeric subtags of 1–8) or `*`; 35 chars per RFC 5646 §4.4.1.
const RANGE = /^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)$/
// RFC 9110 qvalue: at most three decimals, never above 1.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/** A header split into wanted ranges (best first) and ranges the client refused with `q=0`. */
export interface ParsedAcceptLanguage {
  /** Ranges with q > 0, sorted by q (stable), as the client spelled them. */
  readonly ranges: readonly string[]
  /** Ranges sent with `q=0`, lower case. */
  readonly excluded: readonly string[]
}

const EMPTY: ParsedAcceptLanguage = Object.freeze({ ranges: Object.freeze([]), excluded: Object.freeze([]) })

/** Cuts an Accept-Language value to a bounded string; non-strings (arrays from tests) are joined first. */
export function boundHeader (header: unknown): string {
  let value: string
  if (typeof header === 'string') {
    value = header
  } else if (Array.isArray(header)) {
    value = ''
    for (let i = 0; i < header.length && i < MAX_RANGES && value.length <= MAX_HEADER_LENGTH; i++) {
      if (typeof header[i] === 'string') value += (value === '' ? '' : ',') + (header[i] as string)
    }
  } else {
    return ''
  }
  if (value.length <= MAX_HEADER_LENGTH) return value
  const cut = value.lastIndexOf(',', MAX_HEADER_LENGTH)
  return cut === -1 ? '' : value.slice(0, cut)
}

/**
 * Parses an Accept-Language value with hard caps (length, number of ranges, tag shape, q syntax).
 * Malformed entries are dropped one by one; the result never depends on more than the first
 * MAX_HEADER_LENGTH characters, so a 16 KiB header costs the same as a short one.
 */
export function parseRanges (header: unknown): ParsedAcceptLanguage {
  const value = boundHeader(header)
  if (value === '') return EMPTY
  const wanted: Array<{ range: string, q: number, i: number }> = []
  const excluded: string[] = []
  const parts = value.split(',')
  for (let i = 0; i < parts.length && wanted.length + excluded.length < MAX_RANGES; i++) {
    const entry = parseEntry(parts[i])
    if (entry === undefined) continue
    if (entry.q === 0) excluded.push(entry.range.toLowerCase())
    else wanted.push({ range: entry.range, q: entry.q, i })
  }
  // Array#sort is stable, so equal q keeps the client's order.
  wanted.sort((a, b) => b.q - a.q)
  const ranges: string[] = []
  const seen = new Set<string>()
  for (const w of wanted) {
    const lower = w.range.toLowerCase()
    if (!seen.has(lower)) { seen.add(lower); ranges.push(w.range) }
  }
  return { ranges, excluded }
}

/** The wanted language ranges of an Accept-Language value, best first (`ko-KR,ko;q=0.9,en;q=0.8` → ko-KR, ko, en). */
export function parseAcceptLanguage (header: unknown): string[] {
  return [...parseRanges(header).ranges]
}

function parseEntry (part: string): { range: string, q: number } | undefined {
  const semi = part.indexOf(';')
  const range = (semi === -1 ? part : part.slice(0, semi)).trim()
  if (range.length === 0 || range.length > 35 || !RANGE.test(range)) return undefined
  let q = 1
  if (semi !== -1) {
    const params = part.slice(semi + 1).split(';')
    for (let i = 0; i < params.length && i < 4; i++) {
      const param = params[i].trim()
      const eq = param.indexOf('=')
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') return undefined
      const text = param.slice(eq + 1).trim()
      if (!QVALUE.test(text)) return undefined
      q = Number(text)
    }
    if (params.length > 4) return undefined
  }
  return { range, q }
}
