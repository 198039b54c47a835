import type { FastifyReply, FastifyRequest } from 'fastify'
import { createErrorHandler, type ErrorHandler } from './error-handler.js'
import { resolveOptions } from './options.js'

/**
 * For Fastify's constructor option `frameworkErrors` (bad URL, too-long params, async constraint
 * errors happen before any route or plugin runs): answers in the same shape, using the registered
 * plugin's handler when there is one. `Fastify({ frameworkErrors })`.
 */
export function frameworkErrors (error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const registered = (request.server as unknown as { errcodes?: { handleError?: ErrorHandler } } | undefined)?.errcodes?.handleError
  if (typeof registered === 'function') {
    registered(error, request, reply)
    return
  }
  // No plugin registered on this instance (rare): answer with built-in defaults.
  createErrorHandler(resolveOptions({}))(error, request, reply)
}
