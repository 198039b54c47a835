import { readsSafely } from './sentry-safe-value.js'

/** The part of Fastify's reply the filter reads. */
interface ReplyLike {
  readonly statusCode?: number
}

/**
 * A `shouldHandleError` for Sentry's Fastify integration that never throws:
 * `Sentry.init({ integrations: [Sentry.fastifyIntegration({ shouldHandleError: sentryShouldHandleError })] })`.
 *
 * Sentry 10/11 run the filter and `captureException` inside a subscriber of Fastify's diagnostics
 * channel `tracing:fastify.request.handler:error`: a thrown value whose reads throw (a Proxy, a symbol,
 * an object whose `message` getter throws) throws there, which is an uncaught exception, and Sentry's
 * `OnUncaughtException` integration exits the process. This filter returns false for such values, so
 * Sentry leaves them alone and errcodes reports them as its one `NonErrorThrown` event; anything else
 * gets Sentry's default rule (the reply's or the error's status: 5xx, or a status Sentry cannot tell).
 */
export function sentryShouldHandleError (error: unknown, _request?: unknown, reply?: ReplyLike): boolean {
  try {
    if (!readsSafely(error)) return false
    const status = statusOf(error, reply)
    return status >= 500 || status <= 299
  } catch {
    return false
  }
}

/** Sentry's `getReplyStatusCode`: the reply's status once it is not 200, else the error's (>= 400), else 500. */
function statusOf (error: unknown, reply: ReplyLike | undefined): number {
  const replyStatus = reply?.statusCode
  if (typeof replyStatus === 'number' && replyStatus !== 200) return replyStatus
  let own: unknown
  if ((typeof error === 'object' || typeof error === 'function') && error !== null) {
    const e = error as { statusCode?: unknown, status?: unknown }
    own = ('statusCode' in e && e.statusCode) || ('status' in e && e.status)
  }
  const status = Number(own)
  return status >= 400 ? status : 500
}
