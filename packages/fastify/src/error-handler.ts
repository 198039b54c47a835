import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CONTENT_TYPES, createErrSerializer, formatError, isErrorLike, normalizeError, pickFormat, type AppError, type ErrorFormat, type ErrorEntry, type SerializedError, type ValidationIssue } from '@errcodes/core'
import { createRecordWhenFinished } from './error-recording.js'
import { FaultLog } from './fault-log.js'
import { guardPorts, type GuardedPorts } from './guarded-ports.js'
import { logSwitchOf, type LogSwitch } from './log-switch.js'
import { staticBodies } from './static-body.js'
import { kMaskedView } from './logger-options.js'
import type { ResolvedOptions } from './options.js'
import { pathOf, setRequestIdHeader, stateOf, type RequestState } from './request-state.js'
import { routeOf } from './route-context.js'
import { retryAfterSeconds } from '@errcodes/core/internal'

/** Fastify's error-handler signature, as exported for users who compose their own. */
export type ErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply

/**
 * Builds the error handler: normalize → translate → pick the format → headers → log → hand to the
 * tracer → send a plain object. Any fault inside falls back to a static 500 body of the chosen
 * format, logged once per kind; it never throws and never sends an Error (which would re-enter
 * Fastify's handler chain).
 */
export function createErrorHandler (options: ResolvedOptions, faults: FaultLog = new FaultLog(), ports: GuardedPorts = guardPorts(options, faults), logSwitch?: LogSwitch): ErrorHandler {
  const { catalog, debug, typeBaseUrl, requestIdHeader, redactor } = options
  const { translator, tracer } = ports
  const recordWhenFinished = ports.recorder === undefined ? undefined : createRecordWhenFinished(ports.recorder, faults)
  const internal = catalog.get('INTERNAL_ERROR') as ErrorEntry
  const serializeErr = createErrSerializer(options.redactor)
  const varyOn = translator === undefined ? ['Accept'] : ['Accept', 'Accept-Language']
  // Joined once: most error replies carry no Vary yet and take this value as is.
  const varyText = varyOn.join(', ')
  const staticBody = staticBodies(internal, typeBaseUrl)

  return function handleError (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    let format: ErrorFormat = options.format
    let state: RequestState | undefined
    try {
      state = stateOf(request)
      format = pickFormat(request.headers.accept, options.format)
      // As Fastify's default handler: an error without its own status keeps a 4xx/5xx set with reply.code().
      const err = normalizeError(error, catalog, reply.statusCode)
      if (reply.sent || reply.raw.headersSent) {
        // Too late to answer: the client already has (part of) a response. A response still being
        // written is destroyed, as Fastify's fallback does, so the socket is not left open.
        const open = reply.raw.headersSent && !reply.raw.writableEnded && !reply.raw.destroyed
        log(request, error, err, err.status, state, open ? 'headers already sent; response destroyed' : 'reply already sent')
        if (open) reply.raw.destroy(err)
        return reply
      }
      const acceptLanguage = request.headers['accept-language']
      // A foreign 4xx keeps its own message (masked), as Fastify shows it; catalog errors are localized.
      const shown = err !== error && err.expose && err.status < 500 && err.message !== err.entry.render(undefined)
      const text = shown ? { message: maskText(err.message) } : translate(err, acceptLanguage, request)
      const entryRetryAfter = err.entry.retryAfter
      // The most specific Retry-After wins: the error's own, then one a plugin (rate limiter) already
      // put on the reply, then the entry's default. Header and body carry the same value.
      const retryAfter = err.retryAfter === entryRetryAfter ? retryAfterSeconds(reply.getHeader('retry-after')) : undefined
      const formatted = formatError(err, {
        format,
        message: text.message,
        genericMessage: text.generic,
        locale: text.locale,
        requestId: state.requestId,
        traceId: state.scope?.traceId,
        instance: format === 'problem' ? pathOf(request.url) : undefined,
        debug,
        typeBaseUrl,
        // A non-Ajv validator's or a schemaErrorFormatter's text (keyword `custom`) is masked like a shown 4xx message.
        issues: err !== error && err.issues !== undefined && err.issues[0]?.keyword === 'custom' ? maskCustom(text.issues ?? err.issues) : text.issues,
        retryAfter
      })
      // Serialized here, not by Fastify: a route's response schema or a preSerialization hook cannot
      // reshape or break an error body (a throwing hook would re-enter Fastify's default handler), and
      // a body that cannot be serialized still falls back to the static 500 below.
      const payload = JSON.stringify(formatted.body)
      // One event per failed request: the listener is set on its first error and reads the last one.
      if (state.error === undefined) recordWhenFinished?.(request, reply, state)
      state.error = err
      state.thrown = error
      // What the client read (the localized or English message, or the generic 5xx one).
      state.message = (format === 'problem' ? formatted.body.detail : formatted.body.message) as string | undefined
      reply.code(formatted.status)
      setHeaders(reply, formatted.headers, err.entry.headers)
      // Framework errors (bad URL) skip onRequest: the id in the body must still be in the header.
      if (requestIdHeader !== false && !reply.hasHeader(requestIdHeader)) setRequestIdHeader(reply, requestIdHeader, state.requestId)
      appendVary(reply, varyOn, varyText)
      log(request, error, err, formatted.status, state, undefined)
      // The one hand-over of the error to the tracer, before the response goes out: the exception
      // event carries the failure's time, and a span another instrumentation ends in onSend still records.
      if (tracer !== undefined && state.scope !== undefined) tracer.recordError(request, state.scope, err, formatted.status)
      // A serializer set earlier on this reply must not encode the text a second time.
      reply.serializer(asIs)
      return reply.send(payload)
    } catch (fault) {
      faults.report(request.log, 'error handler', fault)
      // The error failed on its way out (a header Node refuses): the span still names it, with the 500 sent
      // instead. A tracer that already has it keeps the first record.
      if (tracer !== undefined && state?.scope !== undefined && state.error !== undefined) tracer.recordError(request, state.scope, state.error, 500)
      return sendStatic(reply, format, state)
    }
  }

  function maskText (message: string): string {
    const masked = redactor(message)
    return typeof masked === 'string' ? masked : internal.message
  }

  /**
   * The line's message: a foreign error's own message, as Fastify's lines show it, else the
   * catalog's. The serializer already masked it as the first link of the cause chain: reused, so
   * the redactor runs once per line.
   */
  function lineMessage (thrown: unknown, err: AppError, serialized: SerializedError): string {
    if (thrown === err || err.cause !== thrown || !isErrorLike(thrown)) return serialized.message
    const own = serialized.cause?.[0]?.message
    return typeof own === 'string' && own !== '' ? own : serialized.message
  }

  function maskCustom (issues: readonly ValidationIssue[]): ValidationIssue[] {
    return issues.map(issue => issue.keyword === 'custom' ? { ...issue, message: maskText(issue.message) } : issue)
  }

  function translate (err: AppError, acceptLanguage: string | undefined, request: FastifyRequest): { message?: string, generic?: string, locale?: string, issues?: ValidationIssue[] } {
    if (translator === undefined) return {}
    const main = err.expose
      ? translator.translate(request, err.messageKey, err.params, acceptLanguage, err.message)
      : translator.translate(request, internal.messageKey, undefined, acceptLanguage, internal.message)
    if (main === undefined) return {}
    const issues = err.issues?.map(issue => ({
      ...issue,
      message: translator.translate(request, `validation.${issue.keyword}`, issue.params, acceptLanguage, issue.message)?.message ?? issue.message
    }))
    return err.expose
      ? { message: main.message, locale: main.locale, issues }
      : { generic: main.message, locale: main.locale, issues }
  }

  function log (request: FastifyRequest, thrown: unknown, err: AppError, status: number, state: RequestState, note: string | undefined): void {
    try {
      const level = options.logLevels(err, status)
      if (level === false || !levelEnabled(request.log, level)) return
      // Fastify's disableRequestLogging / logController switch off its error lines: ours too.
      logSwitch ??= logSwitchOf(request.server)
      if (logSwitch(request)) return
      const serialized = serializeErr(err)
      const view = Object.assign(Object.create(null), serialized, { name: serialized.type })
      // Null prototype with `name`: pino's default err serializer keeps our masked view as is;
      // the brand tells loggerOptions()' serializer the same.
      view[kMaskedView] = true
      faults.settle(request.log, 'logger', request.log[level]({
        // As Fastify's own error lines: the request for a 5xx, the response status always (as the
        // shape Fastify's res serializer writes, so a logger without serializers writes the same).
        req: status >= 500 ? request : undefined,
        res: { statusCode: status },
        err: view,
        // trace_id/span_id are bindings of the request logger (set in onRequest); repeating them here
        // would write each key twice in one JSON line.
        request_id: state.requestId,
        // The route template names the throw site of a declared 4xx, which carries no stack in production.
        route: state.route ??= routeOf(request),
        error_code: err.errorCode,
        error_name: err.code,
        status_code: status
      }, note === undefined ? lineMessage(thrown, err, serialized) : `${lineMessage(thrown, err, serialized)} (${note})`))
    } catch (fault) {
      faults.report(request.log, 'logger', fault)
    }
  }

  /**
   * The static 500 when the error path itself failed. Whatever failed, the request ends: an invalid
   * header already on the reply (a route echoing user input) is dropped, and if Fastify's send still
   * throws the body is written directly; a response whose headers already went out is destroyed.
   */
  function sendStatic (reply: FastifyReply, format: ErrorFormat, state: RequestState | undefined): FastifyReply {
    const res = reply.raw
    if (res.writableEnded || res.destroyed || (reply.sent && !res.headersSent)) return reply
    if (res.headersSent) {
      res.destroy()
      return reply
    }
    const body = staticBody(format, state?.requestId)
    try {
      dropInvalidHeaders(reply)
      reply.code(500)
      reply.header('content-type', CONTENT_TYPES[format])
      reply.serializer(asIs)
      return reply.send(body)
    } catch (fault) {
      faults.report(logOf(reply), 'error handler fallback', fault)
    }
    try {
      if (!res.headersSent) res.writeHead(500, { 'content-type': CONTENT_TYPES[format], 'content-length': Buffer.byteLength(body) })
      res.end(body)
    } catch {
      res.destroy()
    }
    return reply
  }
}

function logOf (reply: FastifyReply): FastifyRequest['log'] | undefined {
  return reply.request?.log
}

/**
 * Sets the error's headers. A header another plugin already set on the reply (a rate limiter's,
 * an auth plugin's `WWW-Authenticate`) is kept unless the catalog entry declares it; the content
 * headers and Retry-After are always the error's, so header and body agree.
 */
function setHeaders (reply: FastifyReply, headers: Record<string, string>, owned: Readonly<Record<string, string>>): void {
  for (const name in headers) {
    if (name !== 'content-type' && name !== 'content-language' && name !== 'retry-after' && owned[name] === undefined && reply.hasHeader(name)) continue
    reply.header(name, headers[name])
  }
}

/** Removes headers Node would refuse to write (CR/LF in a value, a bad name), so the 500 can go out. */
function dropInvalidHeaders (reply: FastifyReply): void {
  const headers = reply.getHeaders()
  for (const name in headers) {
    try {
      validateHeaderName(name)
      validateHeaderValue(name, headers[name] as string)
    } catch {
      reply.removeHeader(name)
    }
  }
}

function asIs (payload: unknown): string {
  return payload as string
}

/**
 * Whether a line at `level` would be written, so that a silent logger costs no serialization.
 * Fastify's disabled logger has no `isLevelEnabled`; all its methods are one shared no-op.
 */
function levelEnabled (log: FastifyRequest['log'], level: string): boolean {
  const l = log as unknown as { isLevelEnabled?: (level: string) => boolean, info?: unknown, error?: unknown }
  if (typeof l.isLevelEnabled === 'function') return l.isLevelEnabled(level)
  return l.info !== l.error
}

/** Adds tokens to `Vary` without repeating ones already there; `joined` is `tokens.join(', ')`, made once by the caller. */
export function appendVary (reply: FastifyReply, tokens: readonly string[], joined: string): void {
  const current = reply.getHeader('vary')
  if (current === undefined || current === '') {
    reply.header('vary', joined)
    return
  }
  const text = String(current)
  if (text.trim() === '*') return
  const have = new Set(text.toLowerCase().split(',').map(s => s.trim()))
  const missing = tokens.filter(t => !have.has(t.toLowerCase()))
  if (missing.length > 0) reply.header('vary', `${text}, ${missing.join(', ')}`)
}
