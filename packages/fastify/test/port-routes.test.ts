import t from 'tap'
import { Type, type PortRoute } from '@errcodes/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeRecorder } from './fixtures/ports.js'

function portRoutes (seen: Array<Record<string, unknown>>): PortRoute[] {
  return [
    { path: '/metrics', schema: { summary: 'Prometheus text' }, handle: () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '# HELP errcodes_errors_total x\nerrcodes_errors_total 1\n' }) },
    {
      path: '/api/metrics/summary',
      schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }), tags: ['metrics'] },
      handle: (input) => { seen.push({ ...input.query }); return { contentType: 'application/json; charset=utf-8', body: { total: 1, limit: input.query.limit ?? 10 } } }
    },
    { path: '/api/metrics/by-code/:code', schema: { params: Type.Object({ code: Type.String({ pattern: '^[A-Z_]+$' }) }) }, handle: (input) => ({ status: 200, contentType: 'application/json', body: { code: input.params.code } }) },
    { path: '/api/metrics/broken', handle: () => { throw new Error('port broke S3CRET') } }
  ]
}

t.test('a recorder\'s routes are mounted with their schemas', async t => {
  const seen: Array<Record<string, unknown>> = []
  const { app } = await buildApp({ metrics: fakeRecorder('ok', portRoutes(seen)) })
  t.teardown(() => app.close())
  const text = await app.inject('/metrics')
  t.equal(text.statusCode, 200)
  t.equal(text.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
  t.match(text.body, /^# HELP errcodes_errors_total/)
  const json = await app.inject('/api/metrics/summary?limit=5')
  t.same(json.json(), { total: 1, limit: 5 })
  t.same(seen, [{ limit: 5 }], 'the query was validated and coerced')
  t.same((await app.inject('/api/metrics/by-code/USER_NOT_FOUND')).json(), { code: 'USER_NOT_FOUND' })
  for (const url of ['/api/metrics/summary?limit=500', '/api/metrics/summary?limit=x', '/api/metrics/by-code/lower']) {
    const bad = await app.inject(url)
    t.equal(bad.statusCode, 400, url)
    t.equal(bad.json().error_name, 'VALIDATION_FAILED')
  }
  t.equal(seen.length, 1, 'invalid queries never reached the port')
  const broken = await app.inject('/api/metrics/broken')
  t.equal(broken.statusCode, 500)
  t.equal(broken.json().error_name, 'INTERNAL_ERROR')
  t.notMatch(broken.body, /S3CRET/)
  t.equal((await app.inject({ method: 'HEAD', url: '/metrics' })).statusCode, 404, 'GET only')
})

t.test('prefix and an onRequest guard', async t => {
  const guard = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (request.headers.authorization !== 'Bearer ops') { reply.fail(errors.TOKEN_EXPIRED); return }
    done()
  }
  const { app } = await buildApp({ metrics: fakeRecorder('ok', portRoutes([])), routes: { prefix: '/internal', onRequest: guard } })
  t.teardown(() => app.close())
  app.get('/public', async () => ({ ok: true }))
  const blocked = await app.inject('/internal/metrics')
  t.equal(blocked.statusCode, 401)
  t.equal(blocked.json().error_name, 'TOKEN_EXPIRED')
  t.notMatch(blocked.body, /errcodes_errors_total/)
  const allowed = await app.inject({ url: '/internal/metrics', headers: { authorization: 'Bearer ops' } })
  t.equal(allowed.statusCode, 200)
  t.match(allowed.body, /errcodes_errors_total/)
  t.equal((await app.inject('/metrics')).json().error_name, 'ROUTE_NOT_FOUND', 'nothing at the unprefixed path')
  t.same((await app.inject('/public')).json(), { ok: true }, 'the guard applies to port routes only')

  const asyncGuard = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.headers.authorization === undefined) return reply.code(403).send({ denied: true }) as never
  }
  const { app: own } = await buildApp({ metrics: fakeRecorder('ok', portRoutes([])), routes: { onRequest: asyncGuard } })
  t.teardown(() => own.close())
  t.same((await own.inject('/metrics')).json(), { denied: true }, 'a guard of your own can answer as it likes')
})

t.test('routes: false mounts none', async t => {
  const { app } = await buildApp({ metrics: fakeRecorder('ok', portRoutes([])), routes: false })
  t.teardown(() => app.close())
  t.equal((await app.inject('/metrics')).statusCode, 404)
  t.equal((await app.inject('/metrics')).json().error_name, 'ROUTE_NOT_FOUND')
})

t.test('a port route sees the request headers (content negotiation) and its answer headers are sent', async t => {
  const accepts: unknown[] = []
  const route: PortRoute = {
    path: '/metrics',
    handle: ({ headers }) => {
      accepts.push(headers?.accept)
      const open = headers?.accept === 'application/openmetrics-text'
      return { contentType: open ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4; charset=utf-8', headers: { vary: 'Accept' }, body: open ? '# EOF\n' : '' }
    }
  }
  const { app } = await buildApp({ metrics: fakeRecorder('ok', [route]) })
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/metrics', headers: { accept: 'application/openmetrics-text' } })
  t.match(res.headers['content-type'], /^application\/openmetrics-text/)
  t.equal(res.headers.vary, 'Accept')
  t.equal(res.body, '# EOF\n')
  await app.inject('/metrics')
  t.same(accepts, ['application/openmetrics-text', undefined])
})
