import t from 'tap'
import Fastify from 'fastify'
import { errorCodes } from '../src/index.js'
import { errors } from './fixtures/catalog.js'

const HINT = /@errcodes\/fastify installed the error handler of this scope.*\{ errorHandler: false \}/

t.test('allowErrorHandlerOverride: false fails at start naming the plugin option, in both orders', async t => {
  const later = Fastify({ allowErrorHandlerOverride: false })
  t.teardown(() => later.close())
  await later.register(errorCodes, { catalog: errors })
  t.throws(() => later.setErrorHandler(() => 'mine'), { message: HINT, code: 'FST_ERR_ERROR_HANDLER_ALREADY_SET' })

  const earlier = Fastify({ allowErrorHandlerOverride: false })
  t.teardown(() => earlier.close())
  earlier.setErrorHandler(() => 'mine')
  await t.rejects(async () => { await earlier.register(errorCodes, { catalog: errors }) }, { message: HINT })
})

t.test('allowErrorHandlerOverride: false with errorHandler: false: the user composes', async t => {
  const app = Fastify({ allowErrorHandlerOverride: false })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, errorHandler: false })
  app.setErrorHandler((error, request, reply) => {
    reply.header('x-mine', '1')
    return app.errcodes.handleError(error, request, reply)
  })
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '3' }) })
  app.register(async (child) => {
    // Child scopes may still set their own handler (Fastify's rule is per scope).
    child.setErrorHandler((_error, request, reply) => { reply.code(418).send({ child: true }) })
    child.get('/child', async () => { throw new Error('x') })
  })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 404)
  t.equal(res.headers['x-mine'], '1')
  t.equal(res.json().error_name, 'USER_NOT_FOUND')
  t.same((await app.inject('/child')).json(), { child: true })
})

t.test('with Fastify\'s default (override allowed) a later user handler takes over; ours is its parent', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors })
  app.setErrorHandler((error, request, reply) => {
    if ((error as { statusCode?: number }).statusCode === 418) return reply.code(418).send({ mine: true })
    throw error // re-thrown: the next handler up, the plugin's, answers
  })
  app.get('/teapot', async () => { throw Object.assign(new Error('t'), { statusCode: 418 }) })
  app.get('/other', async () => { throw errors.USER_NOT_FOUND.create({ userId: '4' }) })
  t.same((await app.inject('/teapot')).json(), { mine: true })
  const other = await app.inject('/other')
  t.equal(other.statusCode, 404)
  t.equal(other.json().error_name, 'USER_NOT_FOUND')
})
