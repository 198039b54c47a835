import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { rejectUnknownKeys } from '@errcodes/core/internal'

/** Options of `requestIdOptions()`. */
export interface RequestIdOptions {
  /** Incoming header whose value becomes the id when it is a sane one; `false`: always a UUID. Default `x-request-id`. */
  readonly header?: string | false
}

/** What `requestIdOptions()` returns, to spread into `Fastify({ ... })`. */
export interface FastifyRequestIdOptions {
  /** Always `false`: Fastify would take any incoming value unchecked; `genReqId` reads the header instead. */
  readonly requestIdHeader: false
  /** Keeps a sane incoming id (letters, digits, `._:-/+=@`, at most 128), otherwise makes a UUID. */
  readonly genReqId: (req: IncomingMessage) => string
}

// Letters, digits and a few separators: enough for UUIDs, ULIDs and trace-style ids, never CR/LF,
// spaces, quotes or markup, so the id is safe in a header, a log line and a body.
const SANE_ID = /^[\w.:\-/+=@]{1,128}$/
const HEADER = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/

/**
 * Fastify options for safe request ids: `Fastify({ ...requestIdOptions(), logger })`. Fastify's
 * `request.id` is then the caller's id when it is sane (so logs join across services) and a UUID
 * otherwise (so ids never collide across instances or restarts, unlike Fastify's `req-1`, `req-2`).
 * The plugin uses `request.id` everywhere: the `reqId` of Fastify's log lines, the response header
 * and the body's `request_id` are one value.
 */
export function requestIdOptions (options: RequestIdOptions = {}): FastifyRequestIdOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('@errcodes/fastify: requestIdOptions() takes an options object')
  rejectUnknownKeys('requestIdOptions', options, ['header'])
  const raw = options.header === undefined ? 'x-request-id' : options.header
  if (raw !== false && (typeof raw !== 'string' || !HEADER.test(raw.toLowerCase()))) {
    throw new TypeError('@errcodes/fastify: requestIdOptions option "header" must be a header name or false')
  }
  const header = raw === false ? false : raw.toLowerCase()
  return {
    requestIdHeader: false,
    genReqId: header === false
      ? () => randomUUID()
      : (req) => {
          const incoming = req.headers[header]
          return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID()
        }
  }
}
