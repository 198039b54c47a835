import type { Attributes } from '@opentelemetry/api'
import { maskPath } from '@errcodes/core'
import type { TraceRequest } from '@errcodes/core'
import {
  ATTR_CLIENT_ADDRESS, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_METHOD_ORIGINAL, ATTR_HTTP_ROUTE, ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT, ATTR_URL_PATH, ATTR_URL_SCHEME, ATTR_USER_AGENT_ORIGINAL
} from '@opentelemetry/semantic-conventions'

// The methods semantic conventions name; any other becomes `_OTHER` so a scanner cannot mint new values.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY'])
// Header-sized values are already capped by Node; these keep one span small on top of that.
const MAX_PATH = 2048
const MAX_TEXT = 512

/** The semantic-convention method of a request: the known uppercase method, or `_OTHER`. */
export function methodOf (method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER'
}

/** The span name semantic conventions ask for: `{METHOD} {route}`, `{METHOD}` without a route, `HTTP` for unknown methods. */
export function spanNameOf (method: string, route: string | undefined): string {
  const m = method === '_OTHER' ? 'HTTP' : method
  return route === undefined || route === '' ? m : `${m} ${route}`
}

/**
 * The SERVER span attributes known when a request starts (HTTP semantic conventions). The path loses
 * its query string and is masked like every other text that could carry personal data.
 */
export function requestAttributes (request: TraceRequest): Attributes {
  const method = methodOf(request.method)
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: method }
  if (method === '_OTHER') attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = cut(String(request.method), 32)
  const path = pathOf(request.path)
  if (path !== '') attributes[ATTR_URL_PATH] = path
  if (request.route !== undefined && request.route !== '') attributes[ATTR_HTTP_ROUTE] = request.route
  if (request.scheme !== undefined) attributes[ATTR_URL_SCHEME] = cut(request.scheme, 16)
  if (request.host !== undefined) {
    const { address, port } = hostOf(request.host)
    if (address !== '') attributes[ATTR_SERVER_ADDRESS] = address
    if (port !== undefined) attributes[ATTR_SERVER_PORT] = port
  }
  if (request.userAgent !== undefined && request.userAgent !== '') attributes[ATTR_USER_AGENT_ORIGINAL] = cut(request.userAgent, MAX_TEXT)
  if (request.clientAddress !== undefined && request.clientAddress !== '') attributes[ATTR_CLIENT_ADDRESS] = cut(request.clientAddress, 64)
  return attributes
}

/** A path without its query string, bounded, percent-decoded and masked. */
export function pathOf (raw: string): string {
  return maskPath(raw, MAX_PATH)
}

interface HostParts { readonly address: string, readonly port: number | undefined }

// A service answers under very few Host values: the last one parsed is almost always the next one.
let lastHost = ''
let lastParts: HostParts = { address: '', port: undefined }

/** Splits a Host header value (`example.com:8080`, `[::1]:3000`) into address and port. */
function hostOf (host: string): HostParts {
  if (host !== lastHost) {
    lastParts = parseHost(host)
    lastHost = host
  }
  return lastParts
}

function parseHost (host: string): HostParts {
  const value = cut(host, 256)
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(value)
  if (match === null) return { address: '', port: undefined }
  const address = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1]
  const port = match[2] === undefined ? undefined : Number(match[2])
  return { address, port: port !== undefined && port <= 65535 ? port : undefined }
}

function cut (s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s
}
