import t from 'tap'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { errorCodes } from '../src/index.js'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'

t.test('registered at the root, it handles errors of child plugins and nested encapsulated contexts', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(async child => {
    child.get('/child', async () => { throw errors.USER_NOT_FOUND.create({ userId: 'c' }) })
    await child.register(async grandchild => {
      grandchild.get('/grandchild', (req, reply) => { reply.fail(errors.ORDER_NOT_FOUND, { orderId: 'g' }) })
      grandchild.get('/sync', () => { throw new Error('deep') })
    }, { prefix: '/deep' })
  }, { prefix: '/v1' })
  await app.register(fp(async sibling => {
    sibling.get('/fp', async () => { throw errors.TOKEN_EXPIRED.create() })
  }))
  const cases: Array<[string, number, string]> = [
    ['/v1/child', 404, 'USER_NOT_FOUND'],
    ['/v1/deep/grandchild', 404, 'ORDER_NOT_FOUND'],
    ['/v1/deep/sync', 500, 'INTERNAL_ERROR'],
    ['/fp', 401, 'TOKEN_EXPIRED'],
    ['/v1/deep/missing', 404, 'ROUTE_NOT_FOUND']
  ]
  for (const [url, status, name] of cases) {
    const res = await app.inject(url)
    t.equal(res.statusCode, status, url)
    t.equal(res.json().error_name, name)
    t.ok(res.headers['x-request-id'], 'the onRequest hook reached the child')
  }
})

t.test('registered inside one context, it applies there and to its children, not to siblings or the root', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(async api => {
    await api.register(errorCodes, { catalog: errors })
    api.get('/inside', async () => { throw errors.USER_NOT_FOUND.create({ userId: 'i' }) })
    await api.register(async nested => {
      // eslint-disable-next-line no-throw-literal -- a thrown string is the case under test
      nested.get('/nested', async () => { throw 'a string' })
    })
  }, { prefix: '/api' })
  await app.register(async other => {
    other.get('/outside', async () => { throw errors.USER_NOT_FOUND.create({ userId: 'o' }) })
  })
  app.get('/root', async () => { throw errors.USER_NOT_FOUND.create({ userId: 'r' }) })
  t.equal((await app.inject('/api/inside')).json().error_name, 'USER_NOT_FOUND')
  t.equal((await app.inject('/api/nested')).json().error_name, 'INTERNAL_ERROR')
  for (const url of ['/outside', '/root']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.equal(res.json().code, 'USER_NOT_FOUND', `${url}: Fastify's default handler`)
    t.notOk('error_name' in res.json())
    t.equal(res.headers['x-request-id'], undefined, 'no hooks outside the scope')
  }
  t.equal((await app.inject('/api/missing')).json().error_name, 'ROUTE_NOT_FOUND', 'its not-found handler covers its prefix')
  t.equal((await app.inject('/missing')).json().error_name, undefined, 'but not the root')
  t.equal(app.hasDecorator('errcodes'), false, 'decorations stay in the scope')
})

t.test('a child error handler takes over in its scope and can delegate back by rethrowing', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(async child => {
    child.setErrorHandler(async (error: unknown, request, reply) => {
      if ((error as { code?: string }).code === 'TEAPOT') return reply.code(418).send({ teapot: true })
      throw error
    })
    child.get('/teapot', async () => { throw Object.assign(new Error('t'), { code: 'TEAPOT' }) })
    child.get('/user', async () => { throw errors.USER_NOT_FOUND.create({ userId: 'd' }) })
    child.get('/sent-error', async (req, reply) => reply.send(new Error('sent')))
  })
  t.same((await app.inject('/teapot')).json(), { teapot: true })
  const delegated = await app.inject('/user')
  t.equal(delegated.statusCode, 404)
  t.equal(delegated.json().error_name, 'USER_NOT_FOUND', 'rethrown errors reach the plugin\'s handler')
  const sent = await app.inject('/sent-error')
  t.equal(sent.statusCode, 500)
  t.equal(sent.json().error_name, 'INTERNAL_ERROR')
  t.notMatch(sent.body, /sent/)
})

t.test('a route-level errorHandler is respected', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/own', { errorHandler: (_error, request, reply) => { reply.code(409).send({ own: true }) } }, async () => { throw new Error('x') })
  t.same((await app.inject('/own')).json(), { own: true })
})
