import t from 'tap'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { errorCodes } from '../src/index.js'
import { buildApp, errorLines } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { send, listen } from './fixtures/http.js'
import { LEVEL } from './fixtures/logs.js'

const SECRET = 'S3CRET-hunter2'
// What the redactor masks in a shown 4xx message.
const MASKED = 'login failed password=hunter2 for jane.doe@example.com card 4111 1111 1111 1111'

t.test('own AppErrors, thrown sync and async, keep their entry, status and params', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/sync/:id', (req) => { throw errors.USER_NOT_FOUND.create({ userId: (req.params as { id: string }).id }) })
  app.get('/async/:id', async (req) => {
    await new Promise(resolve => setImmediate(resolve))
    throw errors.USER_NOT_FOUND.create({ userId: (req.params as { id: string }).id })
  })
  app.get('/callback', (req, reply) => { reply.send(errors.CARD_DECLINED.create({ reason: 'expired' }, { detail: { attempts: 2 } })) })
  app.get('/hook', { preHandler: async () => { throw errors.TOKEN_EXPIRED.create() } }, async () => 'unreachable')
  for (const url of ['/sync/42', '/async/42']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.match(res.headers['content-type'], /^application\/json; charset=utf-8$/)
    const body = res.json()
    t.match(body, { error_code: 301, error_name: 'USER_NOT_FOUND', message: 'User 42 not found', status_code: 404 })
    t.match(body.timestamp, /^\d{4}-\d\d-\d\dT/)
    t.equal(body.request_id, res.headers['x-request-id'])
    t.same(Object.keys(body).sort(), ['error_code', 'error_name', 'message', 'request_id', 'status_code', 'timestamp'], 'nothing else in the body')
  }
  const declined = await app.inject('/callback')
  t.equal(declined.statusCode, 402)
  t.same(declined.json().detail, { attempts: 2 }, 'declared detail reaches the body')
  const hook = await app.inject('/hook')
  t.equal(hook.statusCode, 401)
  t.equal(hook.headers['www-authenticate'], 'Bearer error="invalid_token"', 'entry headers are applied')
  t.equal(hook.json().error_name, 'TOKEN_EXPIRED')
})

t.test('reply.fail(entry, params) answers from handlers and hooks', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/fail', async (req, reply) => reply.fail(errors.ORDER_NOT_FOUND, { orderId: 'o-7' }))
  app.get('/guarded', {
    onRequest: (req, reply, done) => {
      if (req.headers.authorization === undefined) { reply.fail(errors.TOKEN_EXPIRED); return }
      done()
    }
  }, async () => ({ ok: true }))
  app.get('/with-detail', (req, reply) => { reply.fail(errors.CARD_DECLINED, { reason: 'stolen' }, { detail: { attempts: 3 } }) })
  const res = await app.inject('/fail')
  t.equal(res.statusCode, 404)
  t.match(res.json(), { error_name: 'ORDER_NOT_FOUND', message: 'Order o-7 not found' })
  const blocked = await app.inject('/guarded')
  t.equal(blocked.statusCode, 401)
  t.equal(blocked.json().error_name, 'TOKEN_EXPIRED')
  const allowed = await app.inject({ url: '/guarded', headers: { authorization: 'Bearer x' } })
  t.same(allowed.json(), { ok: true })
  const detail = await app.inject('/with-detail')
  t.match(detail.json(), { error_name: 'CARD_DECLINED', message: 'Card declined: stolen', detail: { attempts: 3 } })
})

t.test('anything thrown answers in the same shape and nothing of it reaches the body', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  const throwing = new Proxy({}, { get () { throw new Error(SECRET) }, has () { throw new Error(SECRET) }, getPrototypeOf () { throw new Error(SECRET) } })
  const values: Array<[string, () => unknown, number, string]> = [
    ['string', () => SECRET, 500, 'INTERNAL_ERROR'],
    ['null', () => null, 500, 'INTERNAL_ERROR'],
    ['undefined', () => undefined, 500, 'INTERNAL_ERROR'],
    ['number', () => 42, 500, 'INTERNAL_ERROR'],
    ['object with secret', () => ({ secret: SECRET, message: SECRET, password: SECRET }), 500, 'INTERNAL_ERROR'],
    // A foreign 4xx shows its own message, masked: the secrets in it never reach the body.
    ['object with secret and statusCode 403', () => ({ statusCode: 403, secret: SECRET, message: MASKED }), 403, 'FORBIDDEN'],
    ['Error with secret', () => Object.assign(new Error(SECRET), { secret: SECRET, code: SECRET }), 500, 'INTERNAL_ERROR'],
    ['http-errors-like 404', () => Object.assign(new Error(MASKED), { status: 404, expose: true }), 404, 'NOT_FOUND'],
    ['throwing Proxy', () => throwing, 500, 'INTERNAL_ERROR'],
    ['revoked Proxy', () => revoked.proxy, 500, 'INTERNAL_ERROR']
  ]
  for (const [i, [, value]] of values.entries()) {
    app.get(`/v${i}`, () => { throw value() })
    app.get(`/a${i}`, async () => { throw value() })
  }
  for (const [i, [label, , status, name]] of values.entries()) {
    for (const url of [`/v${i}`, `/a${i}`]) {
      const res = await app.inject(url)
      t.equal(res.statusCode, status, `${label} (${url}) status`)
      t.equal(res.json().error_name, name, `${label} entry`)
      t.equal(res.json().status_code, status, 'body status equals the HTTP status')
      t.notMatch(res.body, /S3CRET|hunter2|jane\.doe|4111 1111|secret|stack|cause/i, `${label}: no secret in the body`)
    }
  }
  t.equal(errorLines(lines).length, values.length * 2, 'every failure was logged once')
})

t.test('HEAD of a failing GET route answers the status and headers without a body', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const head = await app.inject({ method: 'HEAD', url: '/users/1' })
  const get = await app.inject({ method: 'GET', url: '/users/1' })
  t.equal(head.statusCode, 404)
  t.equal(head.body, '')
  t.equal(head.headers['content-type'], get.headers['content-type'])
  t.ok(head.headers['x-request-id'])
  // Node drops the body of a HEAD response on the wire (light-my-request does not emulate that).
  const target = await listen(app)
  for (const path of ['/users/1', '/nowhere']) {
    const wire = await send(target, { method: 'HEAD', path })
    t.equal(wire.status, 404, `HEAD ${path} on the wire`)
    t.equal(wire.body, '')
    t.match(wire.headers['content-type'], /^application\/json/)
  }
})

t.test('an error after reply.send is logged, never sent twice', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.get('/late-async', async (req, reply) => {
    reply.send({ ok: true })
    throw errors.DB_CORRUPT.create({ db: 'main' })
  })
  app.get('/late-fail', (req, reply) => {
    reply.send({ ok: true })
    reply.fail(errors.DB_CORRUPT, { db: 'main' })
  })
  for (const url of ['/late-async', '/late-fail']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    t.same(res.json(), { ok: true })
  }
  const late = lines.filter(l => /DB_CORRUPT|Database/.test(JSON.stringify(l)))
  t.ok(late.length >= 2, 'both late errors were logged')
  t.ok(errorLines(lines).some(l => /reply already sent/.test(String(l.msg))), 'our handler notes that the reply was already sent')
})

t.test('errorHandler: false decorates only; handleError composes in a handler of your own', async t => {
  const { app, lines } = await buildApp({ errorHandler: false })
  t.teardown(() => app.close())
  app.get('/default', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  await app.ready()
  const plain = await app.inject('/default')
  t.equal(plain.statusCode, 404)
  t.equal(plain.json().code, 'USER_NOT_FOUND', 'Fastify\'s default handler answered')
  t.notOk('error_name' in plain.json())

  const { app: composed } = await buildApp({ errorHandler: false })
  t.teardown(() => composed.close())
  const seen: string[] = []
  composed.setErrorHandler(function mine (error: unknown, request: FastifyRequest, reply: FastifyReply) {
    seen.push((error as { code?: string }).code ?? typeof error)
    if ((error as { code?: string }).code === 'TEAPOT') return reply.code(418).send({ teapot: true })
    return this.errcodes.handleError(error, request, reply)
  })
  composed.get('/teapot', async () => { throw Object.assign(new Error('t'), { code: 'TEAPOT' }) })
  composed.get('/user', async () => { throw errors.USER_NOT_FOUND.create({ userId: '9' }) })
  t.same((await composed.inject('/teapot')).json(), { teapot: true })
  const user = await composed.inject('/user')
  t.equal(user.statusCode, 404)
  t.equal(user.json().error_name, 'USER_NOT_FOUND')
  t.same(seen, ['TEAPOT', 'USER_NOT_FOUND'])
  t.ok(composed.errcodes.catalog.has('USER_NOT_FOUND'), 'the merged catalog is decorated')
  t.ok(errorLines(lines).length === 0, 'the undecorated app logged nothing through the plugin')
})

t.test('a route response schema does not reshape or strip error fields', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/schema', {
    schema: { response: { '4xx': { type: 'object', properties: { message: { type: 'string' } } }, 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } }
  }, async () => { throw errors.USER_NOT_FOUND.create({ userId: '3' }) })
  const res = await app.inject('/schema')
  t.equal(res.statusCode, 404)
  t.match(res.json(), { error_code: 301, error_name: 'USER_NOT_FOUND', status_code: 404, message: 'User 3 not found' })
})

t.test('5xx: generic message unless exposed; logged at error', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.get('/hidden', async () => { throw errors.DB_CORRUPT.create({ db: 'customers' }) })
  app.get('/exposed', async () => { throw errors.PROVIDER_DOWN.create({ seconds: 30 }) })
  app.get('/plain', async () => { throw new Error('connect ECONNREFUSED 10.0.0.3:5432') })
  const hidden = await app.inject('/hidden')
  t.equal(hidden.statusCode, 500)
  t.equal(hidden.json().message, 'Internal server error')
  t.notMatch(hidden.body, /customers|corrupt/)
  const plain = await app.inject('/plain')
  t.notMatch(plain.body, /ECONNREFUSED|10\.0\.0\.3/)
  const exposed = await app.inject('/exposed')
  t.equal(exposed.statusCode, 503)
  t.equal(exposed.json().message, 'Provider down, retry in 30 s')
  t.ok(errorLines(lines).some(l => l.error_name === 'DB_CORRUPT' && l.level === LEVEL.fatal), 'critical → fatal')
  t.ok(errorLines(lines).some(l => l.error_name === 'INTERNAL_ERROR' && l.level === LEVEL.error && /ECONNREFUSED/.test(JSON.stringify(l))), 'the real cause goes to the log')
})

t.test('the plugin never sends an Error into Fastify\'s handler chain', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  const parentCalls: unknown[] = []
  app.setErrorHandler((err, req, reply) => { parentCalls.push(err); reply.code(599).send('parent') })
  await app.register(async child => {
    await child.register(errorCodes, { catalog: errors })
    // eslint-disable-next-line no-throw-literal -- throwing a non-Error is the case under test
    child.get('/x', async () => { throw null })
  })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 500)
  t.equal(res.json().error_name, 'INTERNAL_ERROR')
  t.same(parentCalls, [], 'the parent handler was never reached')
})
