import { rejectUnknownKeys } from './option-keys.js'
import { percentDecode } from './percent-decode.js'

/** Limits and switches of a redactor. Every limit keeps the walk bounded on hostile input. */
export interface RedactOptions {
  /** Mask values of sensitive keys (password, token, cookie, …). Default true. */
  readonly keys?: boolean
  /** Mask sensitive patterns inside strings (emails, cards, JWTs, …). Default true. */
  readonly values?: boolean
  /** More key names to treat as sensitive (compared without case and separators). */
  readonly extraKeys?: readonly string[]
  /** Deepest level walked; deeper values become `[Truncated]`. Default 8. */
  readonly maxDepth?: number
  /** Keys kept per object. Default 100. */
  readonly maxKeys?: number
  /** Items kept per array, Set or Map. Default 100. */
  readonly maxItems?: number
  /** Characters kept per string, cut before any pattern runs. Default 4096. */
  readonly maxString?: number
}

/** A configured redactor: returns a masked copy and never mutates nor throws. */
export type Redactor = (value: unknown) => unknown

/** The mask put in place of a sensitive key's value. */
export const REDACTED = '[REDACTED]'

// Compared after lower-casing and removing `-`, `_`, `.` and spaces: `X-API-KEY` → `xapikey`.
const SENSITIVE_PARTS = ['password', 'passwd', 'secret', 'token', 'apikey', 'authorization', 'cookie', 'session', 'privatekey', 'cardnumber', 'creditcard', 'accesskey', 'credential', 'signature']
const SENSITIVE_EXACT = ['auth', 'pin', 'cvv', 'cvc', 'ssn', 'rrn', 'pwd', 'otp', 'jwt', 'pan', 'iban']

// Every quantifier is bounded so that each pattern stays linear on long adversarial strings.
// The last label must hold a letter, so `fastify@5.12.8` in a stack path is not taken for an email.
// Emails are found from each `@` (see maskEmails): a regex starting with the local part's character
// class retried up to 64 characters at every position, ~40 µs on a 600-character stack.
const EMAIL_DOMAIN = /(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z][A-Za-z0-9-]{0,62}/y
const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/
const JWT = /\beyJ[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{2,4096}\.[A-Za-z0-9_-]{0,4096}/g
const BEARER = /\b(Bearer|Basic|Token)\s{1,8}[A-Za-z0-9._~+/=-]{8,4096}/gi
// URL credentials are found from each `://` (see maskUrlCredentials), for the same reason as emails.
const URL_USERINFO = /[^\s:@/]{1,256}:[^\s@/]{1,256}@/y
const SCHEME_CHAR = /[A-Za-z0-9+.-]/
const LETTER = /[A-Za-z]/
const WORD_CHAR = /\w/
// Also after a space or comma: `password=hunter2` in a driver's error message is the same secret as in a query.
// `password: hunter2`, `"password":"hunter2"` (JSON quoted in an error message), `pwd = x`: a secret key,
// optionally quoted, then `:` or `=` with optional spaces, then the value up to a quote or separator.
// The key may be a property path or a longer name ending in one (`db.password`, `opts.token`, `apiToken`).
const KEYED_SECRET = /((?:^|[\s{,;(["'/])["']?[\w.-]{0,64}?(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|api_key|apikey)["']?[ \t]{0,4}[:=][ \t]{0,4}["']?)(?!\[REDACTED\])[^\s"',;&}]{1,2048}/gi
const KEYED_HINT = /passw|pwd|secret|token|api_?key/i
// A request target quoted in a message (`'/orders/%E0?sid=abc' is not a valid url component`): its query
// string is dropped, as it is from every path the suite shows.
const PATH_QUERY = /((?:^|[\s'"(`])\/[^\s'"?#`]{0,2048})\?[^\s'"`#]{1,4096}/g
const QUERY_SECRET = /((?:^|[?&;,\s])(?:access_token|refresh_token|id_token|token|api_key|apikey|key|password|secret|sig|signature|code)=)[^&\s#"']{1,2048}/gi
const FIVE_DIGITS = /\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d/
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g
const SSN = /(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)/g
const RRN = /(?<!\d)\d{6}-?[1-4]\d{6}(?!\d)/g
const PHONE = /(?<![\d+])(?:\+\d{1,3}[ -]?\d{1,4}[ -]?\d{3,4}[ -]?\d{4}|0\d{1,2}[ -]\d{3,4}[ -]\d{4}|01[016789]\d{7,8}|\(\d{3}\) ?\d{3}-\d{4})(?!\d)/g

/** Characters of a path kept before decoding and masking. */
const MAX_PATH = 2048

const REDACT_OPTIONS: ReadonlyArray<keyof RedactOptions> = ['keys', 'values', 'extraKeys', 'maxDepth', 'maxKeys', 'maxItems', 'maxString']

/** Builds a redactor. `redact` is one with the defaults. */
export function createRedactor (options: RedactOptions = {}): Redactor {
  rejectUnknownKeys('createRedactor', options, REDACT_OPTIONS)
  const maskKeys = options.keys ?? true
  const maskValues = options.values ?? true
  const maxDepth = options.maxDepth ?? 8
  const maxKeys = options.maxKeys ?? 100
  const maxItems = options.maxItems ?? 100
  const maxString = options.maxString ?? 4096
  const extra = (options.extraKeys ?? []).map(normalizeKey)

  const isSensitiveKey = (key: string): boolean => {
    if (!maskKeys) return false
    const k = normalizeKey(key)
    if (SENSITIVE_EXACT.includes(k) || extra.includes(k)) return true
    for (const part of SENSITIVE_PARTS) if (k.includes(part)) return true
    for (const part of extra) if (part.length > 3 && k.includes(part)) return true
    return false
  }

  const text = (s: string): string => {
    const cut = s.length > maxString ? s.slice(0, maxString) + '…' : s
    return maskValues ? maskString(cut) : cut
  }

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    switch (typeof value) {
      case 'string': return text(value)
      case 'number': case 'boolean': case 'undefined': return value
      case 'bigint': return value.toString()
      case 'symbol': return value.toString()
      case 'function': return '[Function]'
    }
    if (value === null) return null
    const obj = value as object
    if (seen.has(obj)) return '[Circular]'
    if (depth >= maxDepth) return '[Truncated]'
    try {
      if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString()
      if (ArrayBuffer.isView(obj)) return `[Binary ${obj.byteLength} bytes]`
      seen.add(obj)
      try {
        if (Array.isArray(obj)) return walkList(obj, depth, seen)
        if (obj instanceof Set) return walkList([...take(obj.values(), maxItems + 1)], depth, seen)
        if (obj instanceof Map) return walkEntries(take(obj.entries(), maxKeys + 1), obj.size, depth, seen)
        const out = walkEntries(ownEntries(obj, maxKeys + 1), Object.keys(obj).length, depth, seen)
        if (obj instanceof Error) {
          // Name and message are not own enumerable properties of an Error, but they matter in logs.
          out.name = text(String(obj.name))
          out.message = text(String(obj.message))
        }
        return out
      } finally {
        seen.delete(obj)
      }
    } catch {
      return '[Unreadable]'
    }
  }

  const walkList = (list: readonly unknown[], depth: number, seen: WeakSet<object>): unknown[] => {
    const n = Math.min(list.length, maxItems)
    const out: unknown[] = new Array(n)
    for (let i = 0; i < n; i++) out[i] = safe(() => walk(list[i], depth + 1, seen))
    if (list.length > maxItems) out.push(`[+${list.length - maxItems} more items]`)
    return out
  }

  const walkEntries = (entries: Iterable<[unknown, unknown]>, total: number, depth: number, seen: WeakSet<object>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    let kept = 0
    for (const [rawKey, raw] of entries) {
      if (kept >= maxKeys) break
      const key = typeof rawKey === 'string' ? rawKey.slice(0, 256) : String(rawKey).slice(0, 256)
      // Assigning these would change the copy's prototype or shadow its methods.
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
      kept++
      out[key] = isSensitiveKey(key) ? REDACTED : safe(() => walk(raw, depth + 1, seen))
    }
    if (total > maxKeys) out['…'] = `[+${total - maxKeys} more keys]`
    return out
  }

  return (value: unknown): unknown => safe(() => walk(value, 0, new WeakSet()))
}

/** Masks the sensitive patterns in one string (emails, cards passing Luhn, phones, SSN/RRN, JWTs, bearer tokens, URL credentials, secret query params). */
export function maskString (s: string): string {
  const masked = maskPlain(s)
  // A secret may arrive disguised: percent-encoded (`jane%2540example.com` in a path param, a URL
  // quoted in an error message), split by invisible characters or written in full-width forms
  // (`jane＠example.com`). The plain reading is checked too, and shown only when that hides something.
  const plain = unveil(masked)
  if (plain === masked) return masked
  const again = maskPlain(plain)
  return again === plain ? masked : again
}

// Soft hyphen, zero-width space / joiners, word joiner, BOM: invisible in every log viewer.
const INVISIBLE_CHARS = '\\u00ad\\u200b-\\u200d\\u2060\\ufeff'
// Full-width forms of ASCII `!`…`~` (U+FF01–U+FF5E), and the small commercial at.
const FULL_WIDTH_CHARS = '\\uff01-\\uff5e\\ufe6b'
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]`, 'g')
const FULL_WIDTH = new RegExp(`[${FULL_WIDTH_CHARS}]`, 'g')
const DISGUISE = new RegExp(`[${INVISIBLE_CHARS}${FULL_WIDTH_CHARS}]`)

function unveil (text: string): string {
  let out = text.includes('%') ? percentDecode(text) : text
  if (DISGUISE.test(out)) {
    out = out.replace(INVISIBLE, '').replace(FULL_WIDTH, c => c === '\ufe6b' ? '@' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  }
  return out
}

function maskPlain (s: string): string {
  let out = s
  if (out.includes('://')) out = maskUrlCredentials(out)
  if (out.includes('/') && out.includes('?')) out = out.replace(PATH_QUERY, `$1?${REDACTED}`)
  if (out.includes('=')) out = out.replace(QUERY_SECRET, `$1${REDACTED}`)
  if (KEYED_HINT.test(out)) out = out.replace(KEYED_SECRET, `$1${REDACTED}`)
  if (out.includes('eyJ')) out = out.replace(JWT, '[JWT]')
  if (/earer|asic|oken/i.test(out)) out = out.replace(BEARER, `$1 ${REDACTED}`)
  if (out.includes('@')) out = maskEmails(out)
  // Every digit pattern below holds five digits with at most one space or dash between them; line
  // and column numbers of stack frames (`:123:45`) do not, so stacks skip the four scans.
  if (FIVE_DIGITS.test(out)) {
    out = out.replace(CARD, m => luhn(m) ? '**** **** **** ' + m.replace(/\D/g, '').slice(-4) : m)
    out = out.replace(SSN, '***-**-****')
    out = out.replace(RRN, '******-*******')
    out = out.replace(PHONE, m => m.replace(/\d(?=(?:\D*\d){4})/g, '*'))
  }
  return out
}

/**
 * The path of a URL as it may be shown (dashboard, spans, Sentry, logs): without query string or
 * fragment, cut at `max` characters, percent-decoded (invalid escapes kept as they are), then masked
 * like any other text. `/orders/jane%40example.com` becomes `/orders/j***@example.com`; masking the
 * encoded form would miss every value a client built with `encodeURIComponent`.
 */
export function maskPath (url: string, max: number = MAX_PATH): string {
  if (typeof url !== 'string') return ''
  let end = url.length
  const q = url.indexOf('?')
  if (q !== -1) end = q
  const hash = url.indexOf('#')
  if (hash !== -1 && hash < end) end = hash
  if (end <= max) return maskString(percentDecode(url.slice(0, end)))
  // A cut segment is incomplete, and half an e-mail or token escapes every mask: it is left out.
  const kept = percentDecode(url.slice(0, max))
  return maskString(kept.slice(0, kept.lastIndexOf('/') + 1) + '…')
}

/**
 * `local@domain` → `l***@domain`, as the regex
 * `([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@((?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z][A-Za-z0-9-]{0,62})/g`
 * replaced with `$1***@$2` would, but searched from each `@` (linear, and cheap on text without emails).
 */
function maskEmails (text: string): string {
  let out = ''
  let copied = 0
  let at = text.indexOf('@')
  while (at !== -1) {
    // The leftmost start the regex would take: at most 64 local characters, none before the last match.
    let start = at
    while (start > copied && at - start < 64 && EMAIL_LOCAL.test(text[start - 1])) start--
    EMAIL_DOMAIN.lastIndex = at + 1
    const domain = start < at ? EMAIL_DOMAIN.exec(text) : null
    if (domain === null) {
      at = text.indexOf('@', at + 1)
      continue
    }
    const end = at + 1 + domain[0].length
    out += text.slice(copied, start) + text[start] + '***@' + domain[0]
    copied = end
    at = text.indexOf('@', end)
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/**
 * `scheme://user:pass@` → `scheme://***:***@`, as the regex
 * `\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s:@/]{1,256}:[^\s@/]{1,256}@/gi` replaced with `$1***:***@` would,
 * but searched from each `://`.
 */
function maskUrlCredentials (text: string): string {
  let out = ''
  let copied = 0
  let colon = text.indexOf('://')
  while (colon !== -1) {
    let run = colon
    while (run > copied && colon - run < 21 && SCHEME_CHAR.test(text[run - 1])) run--
    // The leftmost scheme start: a letter at a word boundary.
    let start = -1
    for (let q = run; q < colon; q++) {
      if (LETTER.test(text[q]) && (q === 0 || !WORD_CHAR.test(text[q - 1]))) {
        start = q
        break
      }
    }
    if (start !== -1) {
      URL_USERINFO.lastIndex = colon + 3
      const userinfo = URL_USERINFO.exec(text)
      if (userinfo !== null) {
        out += text.slice(copied, colon + 3) + '***:***@'
        copied = colon + 3 + userinfo[0].length
        colon = text.indexOf('://', copied)
        continue
      }
    }
    colon = text.indexOf('://', colon + 1)
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** Redacts with the default options. */
export const redact: Redactor = createRedactor()

function normalizeKey (key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '')
}

function luhn (candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '')
  if (digits.length < 13 || digits.length > 19) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return sum % 10 === 0
}

function * take<T> (it: Iterator<T>, n: number): Generator<T> {
  for (let i = 0; i < n; i++) {
    const r = it.next()
    if (r.done === true) return
    yield r.value
  }
}

function * ownEntries (obj: object, limit: number): Generator<[string, unknown]> {
  let i = 0
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue
    if (i++ >= limit) return
    let value: unknown
    try {
      value = (obj as Record<string, unknown>)[key]
    } catch {
      value = '[Unreadable]'
    }
    yield [key, value]
  }
}

function safe (fn: () => unknown): unknown {
  try {
    return fn()
  } catch {
    return '[Unreadable]'
  }
}
