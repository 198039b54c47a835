import t from 'tap'
import Fastify from 'fastify'
import createError from 'http-errors'
import sensible from '@fastify/sensible'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import fastifyAuth from '@fastify/auth'
import basicAuth from '@fastify/basic-auth'
import { builtinErrors } from '@errcodes/core'
import { errorCodes } from '../src/index.js'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'

// Each case is what the same code answers under Fastify's default handler, in our shape: status,
// headers and, for a 4xx, the message.

t.test('reply.code(4xx|5xx).send(err) keeps the reply status, as Fastify does', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/conflict', (req, reply) => { reply.code(409).send(new Error('conflict here')) })
  app.get('/teapot', async (req, reply) => { reply.code(418); throw new Error('short and stout') })
  app.get('/down', (req, reply) => { reply.code(503).send(new Error('db password=hunter2 down')) })
  app.get('/own-wins', (req, reply) => { reply.code(409).send(createError(404, 'gone')) })
  app.get('/ok-status', (req, reply) => { reply.code(200).send(new Error('boom')) })
  const conflict = await app.inject('/conflict')
  t.equal(conflict.statusCode, 409)
  t.match(conflict.json(), { error_name: 'CONFLICT', status_code: 409, message: 'conflict here' })
  const teapot = await app.inject('/teapot')
  t.equal(teapot.statusCode, 418)
  t.match(teapot.json(), { error_name: 'BAD_REQUEST', status_code: 418, message: 'short and stout' })
  const down = await app.inject('/down')
  t.equal(down.statusCode, 503)
  t.match(down.json(), { error_name: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable' })
  t.notMatch(down.body, 'hunter2', 'a 5xx stays generic')
  t.equal((await app.inject('/own-wins')).statusCode, 404, 'the error\'s own status wins over the reply\'s')
  t.equal((await app.inject('/ok-status')).statusCode, 500, 'a 2xx on the reply is no error status')
})

t.test('a foreign 4xx keeps its message, masked; catalog errors and 5xx do not change', async t => {
  const { app } = await buildApp({}, {})
  t.teardown(() => app.close())
  await app.register(sensible)
  app.get('/sensible', (req, reply) => { reply.notFound('widget 9 is gone') })
  app.get('/thrown', () => { throw app.httpErrors.notFound('widget 9 is gone') })
  app.get('/http-errors', () => { throw createError(404, 'widget 9 is gone') })
  app.get('/masked', () => { throw createError(400, 'bad login jane.doe@example.com password=hunter2 card 4111 1111 1111 1111') })
  app.get('/hidden', () => { throw createError(400, 'internal detail', { expose: false }) })
  app.get('/five', () => { throw createError(502, 'upstream 10.0.0.7 said password=hunter2') })
  app.get('/default-text', () => { throw createError(404) })
  app.get('/catalog', () => { throw errors.USER_NOT_FOUND.create({ userId: '7' }) })
  for (const url of ['/sensible', '/thrown', '/http-errors']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.match(res.json(), { error_name: 'NOT_FOUND', message: 'widget 9 is gone' }, url)
    const problem = await app.inject({ url, headers: { accept: 'application/problem+json' } })
    t.equal(problem.json().detail, 'widget 9 is gone', `${url} problem+json detail`)
  }
  const masked = await app.inject('/masked')
  t.equal(masked.statusCode, 400)
  t.match(masked.json().message, /^bad login /)
  t.notMatch(masked.body, /jane\.doe@|hunter2|4111 1111/, 'the redactor masks the shown message')
  t.equal((await app.inject('/hidden')).json().message, 'Bad request', 'expose: false keeps the entry message')
  const five = await app.inject('/five')
  t.equal(five.statusCode, 502)
  t.equal(five.json().message, 'Bad gateway')
  t.equal((await app.inject('/default-text')).json().message, 'Not Found', 'http-errors\' default text, as Fastify shows it')
  t.equal((await app.inject('/catalog')).json().message, 'User 7 not found')
})

t.test('error headers go out: WWW-Authenticate of a 401, Allow of a 405', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/401', () => { throw createError(401, 'token missing', { headers: { 'WWW-Authenticate': 'Bearer realm="x"' } }) })
  app.get('/405', () => { throw createError(405, 'read only', { headers: { Allow: 'GET, HEAD' } }) })
  app.get('/kept', (req, reply) => {
    reply.header('www-authenticate', 'Basic realm="app"')
    throw createError(401, 'no', { headers: { 'www-authenticate': 'Bearer realm="other"' } })
  })
  app.get('/owned', (req, reply) => {
    reply.header('www-authenticate', 'Basic realm="app"')
    throw errors.TOKEN_EXPIRED.create()
  })
  app.get('/bad-header', () => { throw createError(401, 'no', { headers: { 'www-authenticate': 'Bearer\r\nSet-Cookie: a=b', 'x-ok': 'yes' } }) })
  const r401 = await app.inject('/401')
  t.equal(r401.statusCode, 401)
  t.equal(r401.headers['www-authenticate'], 'Bearer realm="x"')
  t.equal(r401.json().error_name, 'UNAUTHENTICATED')
  const r405 = await app.inject('/405')
  t.equal(r405.statusCode, 405)
  t.equal(r405.headers.allow, 'GET, HEAD')
  t.equal((await app.inject('/kept')).headers['www-authenticate'], 'Basic realm="app"', 'a header already on the reply is not overwritten')
  t.equal((await app.inject('/owned')).headers['www-authenticate'], 'Bearer error="invalid_token"', 'a header the catalog entry declares is the entry\'s')
  const bad = await app.inject('/bad-header')
  t.equal(bad.statusCode, 401)
  t.notOk('www-authenticate' in bad.headers, 'a value with CR/LF is dropped')
  t.notOk('set-cookie' in bad.headers)
  t.equal(bad.headers['x-ok'], 'yes')
})

t.test('@fastify/basic-auth behind @fastify/auth keeps WWW-Authenticate', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(fastifyAuth)
  await app.register(basicAuth, { validate: async (user: string, pass: string) => { if (user !== 'ops' || pass !== 'pw') throw new Error('Unauthorized') }, authenticate: { realm: 'ops' } })
  app.after(() => {
    app.get('/ops', { onRequest: app.auth([app.basicAuth]) }, async () => ({ ok: true }))
  })
  const denied = await app.inject('/ops')
  t.equal(denied.statusCode, 401)
  t.equal(denied.headers['www-authenticate'], 'Basic realm="ops", charset="UTF-8"')
  t.equal(denied.json().error_name, 'UNAUTHENTICATED')
  const wrong = await app.inject({ url: '/ops', headers: { authorization: 'Basic ' + Buffer.from('ops:no').toString('base64') } })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.headers['www-authenticate'], 'Basic realm="ops", charset="UTF-8"')
  const ok = await app.inject({ url: '/ops', headers: { authorization: 'Basic ' + Buffer.from('ops:pw').toString('base64') } })
  t.same(ok.json(), { ok: true })
})

t.test('@fastify/rate-limit: Retry-After and retry_after agree with the limiter', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(rateLimit, { max: 1, timeWindow: 5000 })
  app.get('/limited', async () => ({ ok: true }))
  t.equal((await app.inject('/limited')).statusCode, 200)
  const res = await app.inject('/limited')
  t.equal(res.statusCode, 429)
  t.equal(res.headers['x-ratelimit-reset'], '5')
  t.equal(res.headers['retry-after'], '5', 'the limiter\'s value, not the entry default 60')
  t.match(res.json(), { error_name: 'RATE_LIMITED', retry_after: 5, message: 'Rate limit exceeded, retry in 5 seconds' })
  t.equal(res.headers['x-ratelimit-limit'], '1', 'the limiter\'s other headers stay')
})

t.test('Retry-After precedence: the error\'s own, then the reply\'s, then the entry default', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/own', (req, reply) => { reply.header('retry-after', '5'); throw createError(429, 'slow', { headers: { 'retry-after': '9' } }) })
  app.get('/reply', (req, reply) => { reply.header('retry-after', 5); throw createError(429, 'slow') })
  app.get('/default', () => { throw createError(429, 'slow') })
  app.get('/catalog-own', (req, reply) => { reply.header('retry-after', '5'); throw builtinErrors.RATE_LIMITED.create(undefined, { retryAfter: 12 }) })
  app.get('/garbage', (req, reply) => { reply.header('retry-after', 'soon'); throw createError(429, 'slow') })
  for (const [url, seconds] of [['/own', 9], ['/reply', 5], ['/default', 60], ['/catalog-own', 12], ['/garbage', 60]] as const) {
    const res = await app.inject(url)
    t.equal(res.headers['retry-after'], String(seconds), `${url} header`)
    t.equal(res.json().retry_after, seconds, `${url} body agrees`)
  }
})

t.test('@fastify/under-pressure: its Retry-After, a generic 503 message', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(errorCodes)
  await app.register(underPressure, { exposeStatusRoute: true, healthCheck: async () => false, retryAfter: 7 })
  const res = await app.inject('/status')
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '7')
  t.match(res.json(), { error_name: 'SERVICE_UNAVAILABLE', retry_after: 7 })
})
