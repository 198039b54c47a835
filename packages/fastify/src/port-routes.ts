import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PortRoute } from '@errcodes/core'
import type { ResolvedOptions } from './options.js'

/**
 * Mounts the routes a port contributes (e.g. `/metrics`, `/api/metrics/summary`) with their TypeBox
 * schemas, so bad query values answer VALIDATION_FAILED and the routes appear in OpenAPI.
 */
export function mountPortRoutes (app: FastifyInstance, routes: readonly PortRoute[], options: Exclude<ResolvedOptions['routes'], false>): void {
  for (const route of routes) {
    const s = route.schema ?? {}
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
        ...(s.response === undefined ? {} : { response: { ...s.response } }),
        ...(options.hide ? { hide: true } : {})
      },
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
