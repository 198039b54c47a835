import { createErrSerializer, isErrorLike, redact, type Redactor, type SerializedError } from '@errcodes/core'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import { pathOf } from './request-state.js'

/** Options of `loggerOptions()`. */
export interface LoggerOptionsInput {
  /** Masks secrets; use the same one as the plugin's `redactor` option. Default: core's `redact`. */
  readonly redactor?: Redactor
}

/** A request as Fastify's `req` serializer sees it. */
interface LoggedRequest {
  method?: string
  headers?: Record<string, unknown>
  url?: string
  host?: string
  hostname?: string
  ip?: string
  socket?: { remotePort?: number } | null
}

/** The masked `err` view; `stack` always a string, as Fastify's logger types require. */
export type LoggedError = SerializedError & { stack: string }

/** What the `req` serializer writes: Fastify's own fields. */
export interface LoggedRequestView {
  method?: string
  url?: string
  version?: string
  host?: string
  remoteAddress?: string
  remotePort?: number
  [key: string]: unknown
}

/** Pino options to spread into `Fastify({ logger: { ...loggerOptions(), level } })`. */
export interface ErrcodesLoggerOptions {
  readonly serializers: {
    /** Every `err` Fastify logs (its 5xx lines, "request errored", stream errors), masked. */
    readonly err: (err: unknown) => LoggedError
    /** Fastify's request fields, the URL without its query string and masked (e-mails in paths). */
    readonly req: (req: LoggedRequest) => LoggedRequestView
  }
  readonly hooks: {
    /** Masks the message of every line that carries an error and of every warn/error/fatal line. */
    readonly logMethod: (this: unknown, args: unknown[], method: (...args: never[]) => void, level: number) => void
  }
}

// Pino's numeric warn level: from here on a line is rare enough to mask its message unconditionally.
const WARN = 40
const MAX_MESSAGE = 4096

/** Marks an `err` view the plugin already masked, so the serializer does not walk it twice. */
export const kMaskedView = Symbol('errcodes.maskedErr')

/**
 * Logger options that mask what Fastify itself logs, with the plugin's own masking: the `err`
 * serializer (message, stack header, cause chain, params), the request URL (query string dropped), and the message of
 * error lines, which pino takes from `err.message` when none is given ("Promise errored, but
 * reply.sent = true was set", "request errored", "response terminated with an error with headers
 * already sent", Fastify's default handler). Info lines without an error (Fastify's access lines)
 * pass through untouched, so the hook costs a few property reads per line.
 */
export function loggerOptions (options: LoggerOptionsInput = {}): ErrcodesLoggerOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('@errcodes/fastify: loggerOptions() takes an options object')
  rejectUnknownKeys('loggerOptions', options, ['redactor'])
  const redactor = options.redactor ?? redact
  if (typeof redactor !== 'function') throw new TypeError('@errcodes/fastify: loggerOptions option "redactor" must be a function')
  const serialize = createErrSerializer(redactor)
  const mask = (value: unknown): string => {
    const masked = redactor(String(value).slice(0, MAX_MESSAGE))
    return typeof masked === 'string' ? masked : ''
  }
  return {
    serializers: {
      err (err: unknown): LoggedError {
        if (typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[kMaskedView] === true) return err as LoggedError
        const view = serialize(err)
        view.stack ??= ''
        return view as LoggedError
      },
      req (req: LoggedRequest): LoggedRequestView {
        return {
          method: req.method,
          // Fastify's own serializer writes the query string (tokens, e-mails); the plugin's lines never do.
          url: typeof req.url === 'string' ? mask(pathOf(req.url)) : req.url,
          version: req.headers?.['accept-version'] as string | undefined,
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort
        }
      }
    },
    hooks: {
      logMethod (this: unknown, args: unknown[], method: (...args: never[]) => void, level: number): void {
        const first = args[0]
        if (typeof first === 'object' && first !== null) {
          if (isErrorLike(first)) {
            // log.error(err[, msg]): pino would write err.message as the message.
            args[0] = { err: first }
            args[1] = mask(args.length > 1 ? args[1] : first.message)
          } else {
            const err = (first as { err?: unknown }).err
            const msg = (first as { msg?: unknown }).msg
            // log.error({ err, msg }): the msg field is the line's message, as a second argument would be.
            if (typeof msg === 'string' && (err !== undefined || level >= WARN)) args[0] = { ...first, msg: mask(msg) }
            if (typeof args[1] === 'string') {
              if (err !== undefined || level >= WARN) args[1] = mask(args[1])
            } else if (args.length === 1 && err !== undefined && err !== null && (first as { msg?: unknown }).msg === undefined) {
              // { err } alone: pino would take err.message as the message.
              args[1] = mask((err as { message?: unknown }).message ?? '')
            }
          }
        } else if (typeof first === 'string' && level >= WARN) {
          args[0] = mask(first)
        }
        method.apply(this, args as never[])
      }
    }
  }
}
