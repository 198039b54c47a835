/** The two wire formats: the seed's snake_case JSON and RFC 9457 problem details. */
export type ErrorFormat = 'json' | 'problem'

const MAX_ACCEPT = 1024
const MAX_RANGES = 32

/**
 * Picks the wire format for an `Accept` header. The configured format wins unless the client
 * prefers the other one: `Accept: application/problem+json` gets problem details, and a client that
 * accepts only `application/json` gets JSON. Hostile headers are cut to 1 KiB and 32 ranges.
 */
export function pickFormat (accept: unknown, configured: ErrorFormat = 'json'): ErrorFormat {
  if (typeof accept !== 'string' || accept === '') return configured
  // Clients send a handful of distinct Accept values; parsing one allocates a dozen strings and arrays.
  const memo = configured === 'problem' ? PROBLEM_MEMO : JSON_MEMO
  const known = memo.get(accept)
  if (known !== undefined) return known
  const picked = parseAccept(accept.length > MAX_ACCEPT ? accept.slice(0, MAX_ACCEPT) : accept, configured)
  if (accept.length <= MAX_MEMO_KEY) {
    // Bounded: a client cycling through distinct values empties the memo instead of growing it.
    if (memo.size >= MAX_MEMO) memo.clear()
    memo.set(accept, picked)
  }
  return picked
}

const MAX_MEMO = 256
const MAX_MEMO_KEY = 256
const JSON_MEMO = new Map<string, ErrorFormat>()
const PROBLEM_MEMO = new Map<string, ErrorFormat>()

function parseAccept (header: string, configured: ErrorFormat): ErrorFormat {
  let problem = -1
  let problemSpecificity = -1
  let json = -1
  let jsonSpecificity = -1
  let explicitProblem = false
  let explicitRefusal = false
  let ranges = 0
  for (const part of header.split(',')) {
    if (++ranges > MAX_RANGES) break
    const [rawType, ...rawParams] = part.split(';')
    const type = rawType.trim().toLowerCase()
    let q = 1
    for (const p of rawParams) {
      const [k, v] = p.split('=')
      if (k?.trim().toLowerCase() === 'q') {
        const n = Number(v?.trim())
        // An invalid q (abc, 2, -1) drops the range, as if it had not been sent.
        q = v !== undefined && v.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : NaN
      }
    }
    if (Number.isNaN(q)) continue
    const s = specificity(type, 'application/problem+json')
    if (s > problemSpecificity) { problemSpecificity = s; problem = q }
    if (s === 2) { explicitProblem = q > 0; explicitRefusal = q === 0 }
    const j = specificity(type, 'application/json')
    if (j > jsonSpecificity) { jsonSpecificity = j; json = q }
  }
  const pq = Math.max(problem, 0)
  const jq = Math.max(json, 0)
  if (configured === 'json') return pq > jq || (pq === jq && pq > 0 && explicitProblem) ? 'problem' : 'json'
  // A client that refuses problem+json outright (q=0) gets JSON even when problem is configured.
  return jq > pq || (explicitRefusal && jq === pq) ? 'json' : 'problem'
}

/** 2 for an exact match, 1 for `type/*`, 0 for `*\/*`, -1 for no match. */
function specificity (range: string, mediaType: string): number {
  if (range === mediaType) return 2
  if (range === 'application/*') return 1
  if (range === '*/*') return 0
  return -1
}
