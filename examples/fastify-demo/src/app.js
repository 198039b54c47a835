import Fastify from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { Type } from '@errcodes/core'
import errorCodes, { errcodesRefResolver, errcodesTransformObject, frameworkErrors, loggerOptions, requestIdOptions } from '@errcodes/fastify'
import { errors } from './errors.js'

const User = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String({ format: 'email' }) })
const Order = Type.Object({ id: Type.String(), userId: Type.String(), total: Type.Number() })

/**
 * Builds the demo API. `observability` holds the optional ports (i18n, metrics, tracing); the demo
 * passes all of them, and the app works with any subset. `fastify` is the plugin's part of a preset
 * (`demoConfig().fastify`); `format` and `debug` override it.
 */
export async function buildApp ({ logger = false, observability = {}, fastify = {}, format = fastify.format ?? 'json', debug = fastify.debug ?? false } = {}) {
  // requestIdOptions(): a sane incoming x-request-id is kept, otherwise a UUID; Fastify's reqId in
  // its own log lines, the x-request-id header and the body's request_id are then one value.
  // loggerOptions(): every error Fastify itself logs goes through the same masked err view.
  const app = Fastify({ logger: logger === false ? false : { ...loggerOptions(), ...logger }, frameworkErrors, ...requestIdOptions() })
  await app.register(swagger, {
    openapi: {
      info: { title: '@errcodes demo: users and orders', version: '1.0.0', description: 'Every error response below is generated from the catalog.' },
      servers: [{ url: '/' }]
    },
    refResolver: errcodesRefResolver,
    transformObject: errcodesTransformObject
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(errorCodes, { ...fastify, catalog: errors, format, debug, ...observability })

  const users = new Map([['1', { id: '1', name: 'Kim', email: 'kim@example.com' }]])
  const orders = new Map([['100', { id: '100', userId: '1', total: 42 }]])

  app.get('/users/:id', {
    schema: { params: Type.Object({ id: Type.String({ pattern: '^[0-9]+$' }) }), response: { 200: User } },
    errors: [errors.USER_NOT_FOUND]
  }, async (request) => {
    const user = users.get(request.params.id)
    if (user === undefined) throw errors.USER_NOT_FOUND.create({ userId: request.params.id })
    return user
  })

  app.post('/users', {
    schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), email: Type.String({ format: 'email' }) }), response: { 201: User } },
    errors: [errors.EMAIL_TAKEN]
  }, async (request, reply) => {
    const { name, email } = request.body
    for (const u of users.values()) if (u.email === email) throw errors.EMAIL_TAKEN.create({ email })
    const user = { id: String(users.size + 1), name, email }
    users.set(user.id, user)
    return reply.code(201).send(user)
  })

  app.get('/orders/:id', {
    schema: { params: Type.Object({ id: Type.String() }), response: { 200: Order } },
    errors: [errors.ORDER_NOT_FOUND, errors.TOKEN_EXPIRED]
  }, async (request) => {
    if (request.headers.authorization === 'Bearer expired') throw errors.TOKEN_EXPIRED.create()
    const order = orders.get(request.params.id)
    if (order === undefined) throw errors.ORDER_NOT_FOUND.create({ orderId: request.params.id })
    return order
  })

  app.post('/orders/:id/pay', {
    schema: { params: Type.Object({ id: Type.String() }), body: Type.Object({ card: Type.String({ minLength: 4 }) }), response: { 200: Type.Object({ paid: Type.Boolean() }) } },
    errors: [errors.CARD_DECLINED, errors.PAYMENT_PROVIDER_DOWN, errors.QUOTA_EXCEEDED]
  }, async (request) => {
    const { card } = request.body
    if (card.endsWith('0000')) throw errors.CARD_DECLINED.create({ reason: 'insufficient funds' }, { detail: { attempts: 1 } })
    if (card.endsWith('5030')) throw errors.PAYMENT_PROVIDER_DOWN.create({ seconds: 30 })
    if (card.endsWith('4290')) throw errors.QUOTA_EXCEEDED.create({ count: 3 })
    return { paid: true }
  })

  app.get('/crash', { schema: { hide: true } }, async () => {
    throw new Error('connection to postgres://app:hunter2@db/users refused')
  })

  return app
}
