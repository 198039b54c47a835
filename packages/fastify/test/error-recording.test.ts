import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { errorCodes, frameworkErrors, requestIdOptions } from '../src/index.js'
import { errors } from './fixtures/catalog.js'
import { fakeRecorder } from './fixtures/ports.js'

/** Listens on loopback with Fastify's logger off (a logger makes Fastify set response listeners anyway). */
async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}`
}

/** Routes that report how many 'finish' listeners the raw response had when the reply was sent. */
function addRoutes (app: FastifyInstance, seen: number[]): void {
  app.addHook('onSend', async (request, reply) => { seen.push(reply.raw.listenerCount('finish')) })
  app.get('/ok', async () => ({ ok: true }))
  app.get('/users/:id', async (request) => { throw errors.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
}

t.test('over HTTP, a failed request is counted once its response finished, and a success costs no response listener', async t => {
  const metrics = fakeRecorder()
  const app = Fastify({ logger: false, ...requestIdOptions() })
  const plain = Fastify({ logger: false })
  t.teardown(async () => { await app.close(); await plain.close() })
  await app.register(errorCodes, { catalog: errors, metrics })
  const withPlugin: number[] = []
  const without: number[] = []
  addRoutes(app, withPlugin)
  addRoutes(plain, without)
  const url = await listen(app)
  const plainUrl = await listen(plain)

  const ok = await fetch(`${url}/ok`)
  t.equal(ok.status, 200)
  await fetch(`${plainUrl}/ok`)
  t.equal(withPlugin[0], without[0], 'a success has the same finish listeners as in an app without the plugin: no onResponse hook')

  const res = await fetch(`${url}/users/7?token=x`)
  t.equal(res.status, 404)
  await res.text()
  // 'finish' comes from the write's callback, normally on the next tick; later when the write is held up.
  for (let i = 0; i < 50 && metrics.events.length === 0; i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(metrics.events.length, 1, 'one event for the failed request, none for the success')
  t.match(metrics.events[0], { status: 404, method: 'GET', route: '/users/:id', path: '/users/7', message: 'User 7 not found' })
  t.equal(metrics.events[0].requestId, res.headers.get('x-request-id'))
})

t.test('an onSend hook that throws on the error response: one event, naming the failure, with the 500 the backstop sent', async t => {
  const metrics = fakeRecorder()
  const app = Fastify({ logger: false, ...requestIdOptions() })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, metrics })
  let thrown = false
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 404 && !thrown) {
      thrown = true
      throw new Error('onSend exploded')
    }
    return payload
  })
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/users/1')
  t.equal(res.statusCode, 500)
  t.equal(metrics.events.length, 1)
  t.equal(metrics.events[0].status, 500)
  t.equal(metrics.events[0].error.code, 'USER_NOT_FOUND')
})

t.test('a request whose URL a handler broke is answered, and the recording fault is reported, not thrown', async t => {
  const metrics = fakeRecorder()
  const lines: Array<Record<string, unknown>> = []
  const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } }, ...requestIdOptions() })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, metrics })
  app.get('/broken', async (request) => {
    // The event's path is read from the URL when the response finishes: a throw there must not escape a listener.
    (request.raw as { url?: unknown }).url = undefined
    throw errors.USER_NOT_FOUND.create({ userId: '1' })
  })
  const url = await listen(app)
  const res = await fetch(`${url}/broken`)
  t.equal(res.status, 404)
  for (let i = 0; i < 50 && !lines.some(l => l.errcodes_fault === 'error event'); i++) await new Promise(resolve => setTimeout(resolve, 10))
  t.equal(metrics.events.length, 0, 'no event from a request whose event could not be built')
  t.equal(lines.filter(l => l.errcodes_fault === 'error event').length, 1, 'the fault is logged as building the event failed')
  t.notOk(lines.some(l => l.errcodes_fault === 'recorder'), 'not as the recorder\'s: a later recorder fault still gets its line')
  const again = await fetch(`${url}/broken`)
  t.equal(again.status, 404, 'the server still answers')
})

t.test('two errors answered on one request (the second while the first is in an async onSend hook): one event', async t => {
  const metrics = fakeRecorder()
  const app = Fastify({ logger: false, ...requestIdOptions() })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, metrics })
  app.addHook('onSend', async (request, reply, payload) => {
    await new Promise(resolve => setTimeout(resolve, 20))
    return payload
  })
  app.get('/twice', (request, reply) => {
    reply.fail(errors.USER_NOT_FOUND, { userId: '1' })
    throw errors.TOKEN_EXPIRED.create()
  })
  const res = await app.inject('/twice')
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(metrics.events.length, 1, `one event (status ${res.statusCode})`)
  t.equal(metrics.events[0]?.status, res.statusCode)
})

t.test('framework errors (a bad URL, a too-long parameter) are counted: they skip the routes and their onResponse hooks', async t => {
  const metrics = fakeRecorder()
  const app = Fastify({ logger: false, frameworkErrors, maxParamLength: 10, ...requestIdOptions() })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, metrics })
  app.get('/users/:id', async () => ({ ok: true }))
  const bad = await app.inject('/users/%c0')
  const long = await app.inject(`/users/${'x'.repeat(20)}`)
  t.equal(bad.statusCode, 400)
  t.equal(long.statusCode, 414)
  t.same(metrics.events.map(e => [e.status, e.error.code, e.route, e.path]), [
    [400, 'BAD_REQUEST', undefined, '/users/%c0'],
    [414, 'BAD_REQUEST', undefined, `/users/${'x'.repeat(20)}`]
  ])
})
