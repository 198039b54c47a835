import type { IncomingMessage, ServerResponse } from 'node:http'
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import { builtinErrors, formatError, isAppError, normalizeError, type AppError, type ErrorRecorder, type PortRoute, type ValidationIssue } from '@errcodes/core'

/** Options of `createMetricsHandler`. */
export interface MetricsHandlerOptions {
  /** Mount prefix, e.g. `/ops` serves `/ops/metrics`. Default ''. */
  readonly prefix?: string
  /** A guard run before any route answers; return false after answering yourself (401/403) to stop. */
  readonly onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
}

/** Answers one request if it targets a metrics route; resolves true when it answered. */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

interface CompiledRoute {
  readonly route: PortRoute
  readonly segments: readonly string[]
}

/**
 * Serves a recorder's routes from a plain `node:http` server: matching, query and params
 * validation (VALIDATION_FAILED with `errors[]`), and error bodies in the core JSON format.
 */
export function createMetricsHandler (recorder: ErrorRecorder, options: MetricsHandlerOptions = {}): MetricsHandler {
  if (typeof recorder !== 'object' || recorder === null || typeof recorder.record !== 'function') throw new TypeError('createMetricsHandler: recorder must be an ErrorRecorder')
  if (typeof options !== 'object' || options === null) throw new TypeError('createMetricsHandler: options must be an object')
  rejectUnknownKeys('createMetricsHandler', options, ['prefix', 'onRequest'])
  const prefix = options.prefix ?? ''
  if (typeof prefix !== 'string' || (prefix !== '' && !/^\/[\w./-]*[^/]$/.test(prefix))) throw new TypeError('createMetricsHandler: option "prefix" must be \'\' or a path like /ops without a trailing slash')
  if (options.onRequest !== undefined && typeof options.onRequest !== 'function') throw new TypeError('createMetricsHandler: option "onRequest" must be a function')
  const guard = options.onRequest
  const routes: CompiledRoute[] = (recorder.routes ?? []).map(route => ({ route, segments: (prefix + route.path).split('/') }))

  return async (req, res) => {
    const method = req.method
    if (method !== 'GET' && method !== 'HEAD') return false
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    let params: Record<string, string> | undefined
    let target: CompiledRoute | undefined
    for (const candidate of routes) {
      params = match(candidate.segments, path)
      if (params !== undefined) {
        target = candidate
        break
      }
    }
    if (target === undefined || params === undefined) return false
    try {
      if (guard !== undefined && !(await guard(req, res))) return true
      const schema = target.route.schema
      const query = checked(schema?.querystring, parseQuery(q === -1 ? '' : url.slice(q + 1)), 'querystring')
      const checkedParams = checked(schema?.params, params, 'params') as Record<string, string>
      const out = await target.route.handle({ query, params: checkedParams, headers: req.headers })
      const body = typeof out.body === 'string' ? out.body : JSON.stringify(out.body)
      if (out.headers !== undefined) for (const [name, value] of Object.entries(out.headers)) res.setHeader(name, value)
      send(res, out.status ?? 200, out.contentType, method === 'HEAD' ? '' : body)
    } catch (err) {
      const error = isAppError(err) ? err : normalizeError(err)
      const formatted = formatError(error, { instance: path.slice(0, 256) })
      send(res, formatted.status, formatted.headers['content-type'], method === 'HEAD' ? '' : JSON.stringify(formatted.body))
    }
    return true
  }
}

/** One-shot form of `createMetricsHandler(recorder)(req, res)`; resolves true when it answered. */
export async function handleMetricsRequest (recorder: ErrorRecorder, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  return await createMetricsHandler(recorder)(req, res)
}

function match (segments: readonly string[], path: string): Record<string, string> | undefined {
  const parts = path.split('/')
  if (parts.length !== segments.length) return undefined
  let params: Record<string, string> | undefined
  for (let i = 0; i < parts.length; i++) {
    const seg = segments[i]
    if (seg.startsWith(':')) {
      params ??= {}
      params[seg.slice(1)] = safeDecode(parts[i])
    } else if (seg !== parts[i]) {
      return undefined
    }
  }
  return params ?? {}
}

function safeDecode (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    // Left encoded: the params schema rejects it with a clear validation error.
    return text
  }
}

function parseQuery (search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (search === '') return out
  const params = new URLSearchParams(search.slice(0, 2048))
  let n = 0
  for (const [key, value] of params) {
    if (++n > 20 || key === '__proto__' || key === 'constructor' || key === 'prototype') continue
    const existing = out[key]
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return out
}

function checked (schema: TSchema | undefined, value: Record<string, unknown>, location: string): Record<string, unknown> {
  if (schema === undefined) return value
  const converted = coerce(schema, value)
  if (Value.Check(schema, converted)) return converted
  const issues: ValidationIssue[] = []
  for (const e of Value.Errors(schema, converted)) {
    if (issues.length >= 10) break
    const field = e.path.replace(/^\//, '').replace(/\//g, '.')
    issues.push({ location, field, pointer: e.path, keyword: keywordOf(e.schema), message: e.message, params: {} })
  }
  throw validationFailed(issues)
}

// Query strings carry text: "10" becomes 10 for number fields, as Ajv's coercion does in Fastify
// ("1.5" stays 1.5 and fails an integer schema, unlike TypeBox's Value.Convert, which truncates).
function coerce (schema: TSchema, value: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {}
  const out: Record<string, unknown> = { ...value }
  for (const [key, raw] of Object.entries(value)) {
    const type = properties[key]?.type
    if ((type === 'integer' || type === 'number') && typeof raw === 'string' && /^-?\d{1,15}(?:\.\d{1,15})?$/.test(raw)) out[key] = Number(raw)
  }
  return out
}

function keywordOf (schema: TSchema): string {
  for (const k of ['minimum', 'maximum', 'pattern', 'maxLength', 'type']) if (k in schema) return k
  return 'schema'
}

function validationFailed (issues: ValidationIssue[]): AppError {
  return builtinErrors.VALIDATION_FAILED.create(undefined, { issues })
}

function send (res: ServerResponse, status: number, contentType: string | undefined, body: string): void {
  res.statusCode = status
  res.setHeader('content-type', contentType ?? 'text/plain; charset=utf-8')
  res.setHeader('cache-control', 'no-store')
  res.setHeader('x-content-type-options', 'nosniff')
  res.end(body)
}
