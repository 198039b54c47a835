import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Catalog, ErrorEntry, PortRoute } from '@errcodes/core'
import type { ResolvedOptions } from './options.js'

/**
 * Mounts the routes a port contributes (e.g. `/metrics`, `/api/metrics/summary`) with their TypeBox
 * schemas, so bad query values answer VALIDATION_FAILED and the routes appear in OpenAPI with the
 * media types they really send and the errors they can answer.
 */
export function mountPortRoutes (app: FastifyInstance, routes: readonly PortRoute[], options: Exclude<ResolvedOptions['routes'], false>, catalog: Catalog): void {
  for (const route of routes) {
    const s = route.schema ?? {}
    const response: Record<string, unknown> = { ...s.response }
    // A text body (Prometheus exposition, the dashboard page) is documented as text in its real media
    // types. Fastify sends string bodies of non-JSON types as they are, without serializing them.
    if (s.produces !== undefined && s.produces.length > 0 && response[200] === undefined) {
      response[200] = { description: s.summary ?? 'Default Response', content: Object.fromEntries(s.produces.map(type => [type, { schema: { type: 'string' } }])) }
    }
    // The app's catalog may override a built-in entry (same name, other message): document its version.
    const errors = (s.errors ?? []).map(e => catalog.get(e.name) ?? e) as ErrorEntry[]
    // The routes' onRequest hook is a guard (createTokenGuard answers UNAUTHENTICATED with a challenge).
    if (options.onRequest !== undefined) errors.push(catalog.get('UNAUTHENTICATED') as ErrorEntry)
    app.route({
      method: 'GET',
      url: options.prefix + route.path,
      exposeHeadRoute: false,
      schema: {
        ...(s.summary === undefined ? {} : { summary: s.summary }),
        ...(s.description === undefined ? {} : { description: s.description }),
        tags: [...(s.tags ?? ['errcodes'])],
        ...(s.querystring === undefined ? {} : { querystring: s.querystring }),
        ...(s.params === undefined ? {} : { params: s.params }),
        ...(Object.keys(response).length === 0 ? {} : { response }),
        ...(options.hide ? { hide: true } : {})
      },
      ...(errors.length === 0 ? {} : { errors }),
      ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest as never }),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const out = await route.handle({
          query: request.query as Record<string, unknown>,
          params: request.params as Record<string, string>,
          headers: request.headers
        })
        reply.code(out.status ?? 200).type(out.contentType)
        if (out.headers !== undefined) reply.headers(out.headers)
        return out.body
      }
    })
  }
}
