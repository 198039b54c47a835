import t from 'tap'
import Fastify from 'fastify'
import { errorCodes } from '../src/index.js'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeTranslator } from './fixtures/ports.js'

t.test('unknown routes answer ROUTE_NOT_FOUND in the same shape as thrown errors', async t => {
  const { app } = await buildApp({ i18n: fakeTranslator() })
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const missing = await app.inject({ url: '/nope?x=1', headers: { 'accept-language': 'ko', 'x-request-id': 'nf-1' } })
  const thrown = await app.inject('/users/1')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { error_code: 391, error_name: 'ROUTE_NOT_FOUND', status_code: 404, message: '경로를 찾을 수 없습니다', request_id: 'nf-1' })
  t.same(Object.keys(missing.json()).sort(), Object.keys(thrown.json()).sort(), 'same fields as a thrown error')
  t.equal(missing.headers['content-type'], thrown.headers['content-type'])
  t.equal(missing.headers['content-language'], 'ko')
  t.notMatch(missing.body, /Route GET:\/nope not found/, 'not Fastify\'s default text')
  const method = await app.inject({ method: 'DELETE', url: '/users/1' })
  t.equal(method.statusCode, 404, 'Fastify answers an unsupported method with its 404 handler')
  t.equal(method.json().error_name, 'ROUTE_NOT_FOUND')
  const problem = await app.inject({ url: '/nope', headers: { accept: 'application/problem+json' } })
  t.match(problem.json(), { type: 'urn:errcodes:ROUTE_NOT_FOUND', status: 404, instance: '/nope' })
})

t.test('a very long or odd unknown URL stays bounded in the body', async t => {
  const { app } = await buildApp({ format: 'problem' })
  t.teardown(() => app.close())
  const res = await app.inject(`/${'a'.repeat(5000)}?token=S3CRET`)
  t.equal(res.statusCode, 404)
  t.ok(res.json().instance.length <= 2048)
  t.notMatch(res.body, /S3CRET/)
})

t.test('a user catalog may override the built-in message', async t => {
  const { defineErrors } = await import('@errcodes/core')
  const own = defineErrors({ ROUTE_NOT_FOUND: { code: 391, domain: 'RESOURCE', status: 404, message: 'Nothing here' } })
  const { app } = await buildApp({ catalog: [errors, own] })
  t.teardown(() => app.close())
  t.equal((await app.inject('/x')).json().message, 'Nothing here')
})

t.test('notFound: false leaves unknown routes to Fastify (or to the user)', async t => {
  const { app } = await buildApp({ notFound: false })
  t.teardown(() => app.close())
  const res = await app.inject('/nope')
  t.equal(res.statusCode, 404)
  t.match(res.json(), { message: 'Route GET:/nope not found', statusCode: 404 })

  const { app: own } = await buildApp({ notFound: false })
  t.teardown(() => own.close())
  own.setNotFoundHandler((req, reply) => reply.fail(errors.USER_NOT_FOUND, { userId: 'custom' }))
  const custom = await own.inject('/nope')
  t.equal(custom.statusCode, 404)
  t.equal(custom.json().message, 'User custom not found', 'a user handler can still answer through the plugin')
})

t.test('a user\'s root setNotFoundHandler works with the plugin, set after or before it', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  t.doesNotThrow(() => app.setNotFoundHandler(async (req, reply) => reply.code(404).send({ mine: true })), 'no "already set"')
  const after = await app.inject('/nope')
  t.equal(after.statusCode, 404)
  t.same(after.json(), { mine: true }, 'the user\'s handler answers')

  const first = Fastify()
  t.teardown(() => first.close())
  first.setNotFoundHandler((req, reply) => { throw Object.assign(new Error('nothing at ' + req.url), { statusCode: 404 }) })
  await first.register(errorCodes, { catalog: errors })
  const before = await first.inject('/gone')
  t.equal(before.statusCode, 404)
  t.match(before.json(), { error_name: 'NOT_FOUND', message: 'nothing at /gone' }, 'theirs answers, its errors in our shape')
})

t.test('reply.callNotFound() and the 404 route\'s hooks', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  const seen: string[] = []
  app.addHook('preHandler', async (req) => { seen.push(req.url) })
  app.get('/maybe', (req, reply) => { reply.callNotFound() })
  const res = await app.inject('/maybe')
  t.equal(res.statusCode, 404)
  t.equal(res.json().error_name, 'ROUTE_NOT_FOUND')
  await app.inject('/nope')
  t.same(seen, ['/maybe', '/maybe', '/nope'], 'root preHandler hooks run before the not-found answer, as for Fastify\'s own 404')
})

t.test('prefixed not-found handlers of child plugins still win in their prefix', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(async child => {
    child.setNotFoundHandler(async (req, reply) => reply.code(404).send({ api: true }))
  }, { prefix: '/api' })
  t.same((await app.inject('/api/nope')).json(), { api: true })
  t.equal((await app.inject('/nope')).json().error_name, 'ROUTE_NOT_FOUND')
})
