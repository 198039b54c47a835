import { createRedactor, maskPath, maskString } from '@errcodes/core'

/** A span as the SDK hands it to `processSpan` (streamed) or lists it in a transaction (`spans`). */
export interface SentrySpanLike {
  name?: unknown
  description?: unknown
  attributes?: unknown
  data?: unknown
  [key: string]: unknown
}

// Request headers kept on a span (`http.request.header.<name>`); the rest (cookies, auth) identify users.
const SAFE_HEADERS = new Set(['accept', 'accept-language', 'content-length', 'content-type', 'host', 'user-agent'])
// Addresses are personal data no pattern recognizes (the events' `user.ip_address` is dropped too).
const ADDRESS_KEYS = new Set(['client.address', 'user.ip_address', 'network.peer.address', 'net.peer.ip', 'http.client_ip', 'net.sock.peer.addr'])
// Query strings carry user input: dropped, as in the events' request.
const QUERY_KEYS = new Set(['url.query', 'http.query'])
// Whole URLs and paths: decoded, masked, their query dropped.
const URL_KEYS = new Set(['url.full', 'http.url', 'url.path', 'http.target', 'http.route', 'url.template', 'sentry.segment.name', 'transaction'])
// Attribute values: strings masked, sensitive names redacted. Arrays of SDK metadata (integration names) fit.
const scrubValues = createRedactor({ maxDepth: 3, maxKeys: 500, maxItems: 200, maxString: 2048 })

/**
 * Masks one span in place: its name (`GET /users/jane%40example.com` when no route matched), and its
 * attributes (URLs and paths decoded and masked, query strings and client addresses dropped, request and
 * response headers other than a few harmless ones dropped, every other string masked, sensitive names
 * redacted). Ids, timestamps and status are left as they are, so the trace stays whole.
 */
export function scrubSpan<S extends SentrySpanLike> (span: S): S {
  if (typeof span.name === 'string') span.name = maskName(span.name)
  if (typeof span.description === 'string') span.description = maskName(span.description)
  if (isRecord(span.attributes)) span.attributes = scrubAttributes(span.attributes)
  if (isRecord(span.data)) span.data = scrubAttributes(span.data)
  return span
}

/** Span attributes (or a transaction's `contexts.trace.data`), scrubbed as in `scrubSpan`. */
export function scrubAttributes (attributes: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(attributes)) {
    if (ADDRESS_KEYS.has(key) || QUERY_KEYS.has(key) || key.startsWith('user.geo')) continue
    const header = /^http\.(?:request|response)\.header\.(.+)$/.exec(key)
    if (header !== null && !SAFE_HEADERS.has(header[1])) continue
    if (URL_KEYS.has(key) && typeof value === 'string') {
      kept[key] = maskUrl(value)
      continue
    }
    kept[key] = value
  }
  // The redactor returns a plain object for a plain object (its own faults become a marker string value).
  return scrubValues(kept) as Record<string, unknown>
}

function maskName (name: string): string {
  return maskPath(name, 2048)
}

/** `https://user:pass@host/path?query`: scheme and host kept, user info dropped, the path decoded and masked, the query dropped. */
export function maskUrl (url: string): string {
  const match = /^([a-z][a-z0-9+.-]{0,20}:\/\/)(?:[^/@?#]*@)?([^/?#]*)(.*)$/i.exec(url.slice(0, 4096))
  if (match === null) return maskPath(url)
  return `${match[1]}${maskString(match[2])}${maskPath(match[3])}`
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
