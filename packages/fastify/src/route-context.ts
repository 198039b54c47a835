import type { FastifyRequest } from 'fastify'
import { privateSymbol } from './private-symbol.js'

/** The parts of Fastify's route context the plugin reads. */
interface RouteContext {
  readonly config?: { readonly url?: string }
  readonly childLoggerFactory?: { readonly name?: unknown }
}

const routeContextKey = privateSymbol('fastify.context')

/** The request's route context, or undefined when this Fastify keeps none where expected. */
export function routeContextOf (request: FastifyRequest): RouteContext | undefined {
  const key = routeContextKey(request)
  return key === undefined ? undefined : (request as unknown as Record<symbol, RouteContext | undefined>)[key]
}

/**
 * The matched route's template, as `request.routeOptions.url`, which builds a new twelve-field object
 * and asks the router about version constraints on every read (0.1–0.2 µs; once per traced request).
 */
export function routeOf (request: FastifyRequest): string | undefined {
  const context = routeContextOf(request)
  return context === undefined ? request.routeOptions.url : context.config?.url
}
