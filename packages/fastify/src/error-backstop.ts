import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CONTENT_TYPES, createErrSerializer, pickFormat, type ErrorEntry } from '@errcodes/core'
import type { FaultLog } from './fault-log.js'
import type { ResolvedOptions } from './options.js'
import { requestIdHeaderValue, stateOf } from './request-state.js'
import { staticBodies } from './static-body.js'

/** Handles an error raised after the plugin's handler answered (an onSend hook, a broken socket). */
export type ErrorBackstop = (error: unknown, request: FastifyRequest, reply: FastifyReply) => void

// Headers that describe the payload that failed, not the static 500 written instead.
const PAYLOAD_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'content-language', 'etag', 'last-modified'])

/**
 * The second line of the error path. Fastify sends an error raised while our error response goes
 * out (an onSend hook throwing on the error payload, a header Node refuses) to the *parent* error
 * handler, at the root Fastify's default, which answers `{"statusCode","error","message":<raw>}`:
 * not our shape and, for a 5xx, a leak. This handler sits between ours and that parent. Like
 * Fastify's own fallback it writes directly to the socket (the onSend hooks just failed; running them
 * again would fail again): a static coded 500 of the client's format when nothing was sent yet, or a
 * destroyed response when headers already went out. One log line says why.
 */
export function createErrorBackstop (options: ResolvedOptions, faults: FaultLog): ErrorBackstop {
  const internal = options.catalog.get('INTERNAL_ERROR') as ErrorEntry
  const staticBody = staticBodies(internal, options.typeBaseUrl)
  const serializeErr = createErrSerializer(options.redactor)
  const idHeader = options.requestIdHeader
  return function errcodesBackstop (error, request, reply) {
    const res = reply.raw
    const open = !res.writableEnded && !res.destroyed
    try {
      request.log.error({ err: serializeErr(error), errcodes_fault: 'error response' }, open && res.headersSent
        ? '@errcodes/fastify: the error response failed after its headers were sent; response destroyed'
        : '@errcodes/fastify: the error response failed (an onSend hook or a header); a static 500 was written')
    } catch (fault) {
      faults.report(request.log, 'logger', fault)
    }
    if (!open) return
    if (res.headersSent) {
      res.destroy()
      return
    }
    try {
      const format = pickFormat(request.headers.accept, options.format)
      const body = staticBody(format, stateOf(request).requestId)
      const headers: Record<string, string | number | string[]> = {}
      const current = reply.getHeaders()
      for (const name in current) {
        const value = current[name]
        if (value === undefined || PAYLOAD_HEADERS.has(name)) continue
        try {
          validateHeaderName(name)
          validateHeaderValue(name, value as string)
          headers[name] = value
        } catch {
          // The header that made the first attempt fail: dropped.
        }
      }
      headers['content-type'] = CONTENT_TYPES[format]
      headers['content-length'] = Buffer.byteLength(body)
      if (idHeader !== false && headers[idHeader] === undefined) {
        const id = requestIdHeaderValue(stateOf(request).requestId)
        if (id !== undefined) headers[idHeader] = id
      }
      res.writeHead(500, headers)
      res.end(body)
    } catch {
      res.destroy()
    }
  }
}

/**
 * Puts the backstop between the plugin's handler and its parent in Fastify's handler chain. Fastify
 * walks that chain through the prototypes of its handler objects and keeps the scope's handler behind
 * a private symbol; there is no public way to add a link. Found once, at registration, by the
 * symbol's description; without it (another Fastify major) the plugin works without the backstop.
 */
export function installErrorBackstop (app: FastifyInstance, handleError: (...args: never[]) => unknown, backstop: ErrorBackstop): boolean {
  try {
    for (let o: object | null = app; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      for (const key of Object.getOwnPropertySymbols(o)) {
        if (key.description !== 'fastify.errorHandler') continue
        const node = (o as Record<symbol, { func?: unknown } | undefined>)[key]
        if (node === undefined || typeof node.func !== 'function' || node.func.name !== `bound ${handleError.name}`) return false
        const link = Object.create(Object.getPrototypeOf(node) as object) as { func: unknown }
        link.func = backstop
        Object.setPrototypeOf(node, link)
        return true
      }
    }
  } catch {
    // An exotic instance: no backstop.
  }
  return false
}
