import type { FastifyReply, FastifyRequest } from 'fastify'
import { builtinErrors, createTokenCheck, type TokenCheckOptions } from '@errcodes/core'

/** Options of createTokenGuard: `token` (required, 16+ characters), `username`, `realm`. */
export type TokenGuardOptions = TokenCheckOptions

/** An `onRequest` hook that answers 401 unless the request carries the token. */
export type TokenGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/**
 * The guard for the ports' routes (`/metrics`, `/api/metrics/*`, the dashboard):
 * `routes: { onRequest: createTokenGuard({ token: process.env.OPS_TOKEN }) }`, or any route's
 * `onRequest`. It refuses to be created without a real secret (a `TypeError` naming the option),
 * accepts `Authorization: Bearer <token>` and HTTP Basic with the token as password (a browser asks
 * for it once and can then open the dashboard), compares in constant time, and answers everything else
 * with the catalog's `UNAUTHENTICATED` (401) and a `WWW-Authenticate` challenge. Tokens in the query
 * string or a cookie are never read.
 */
export function createTokenGuard (options: TokenGuardOptions): TokenGuard {
  let check: ReturnType<typeof createTokenCheck>
  try {
    check = createTokenCheck(options)
  } catch (err) {
    // The same checks as core's createTokenCheck, named after the function the user called.
    const message = (err as Error).message
    if (err instanceof TypeError && message.startsWith('createTokenCheck: ')) throw new TypeError(`createTokenGuard: ${message.slice(18)}`, { cause: err })
    throw err
  }
  const headers = { 'www-authenticate': check.challenge }
  return async function tokenGuard (request: FastifyRequest): Promise<void> {
    if (check.allows(request.headers.authorization)) return
    // The challenge travels on the error itself, so it survives any error handler that honours entry headers.
    throw builtinErrors.UNAUTHENTICATED.create(undefined, { headers })
  }
}
