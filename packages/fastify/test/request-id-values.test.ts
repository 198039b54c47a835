import t from 'tap'
import { frameworkErrors } from '../src/index.js'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeTracer } from './fixtures/ports.js'

// Fastify types request ids as strings, but a genReqId written in JavaScript may answer a number.
t.test('a numeric request id from genReqId is sent as its text', async t => {
  let n = 41
  const { app } = await buildApp({}, { genReqId: () => ++n as unknown as string })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 404)
  t.equal(res.json().request_id, '42')
  t.equal(res.headers['x-request-id'], '42')
})

// A custom genReqId may answer what Node refuses in a header (it throws when the response is written):
// every response would fail. The header carries the id percent-encoded; the body keeps it as it is.
const encoded: Array<[string, string]> = [
  ['заказ-1', '%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1'],
  ['a\r\nset-cookie: x=1', 'a%0D%0Aset-cookie:%20x=1'],
  ['café-ß', 'caf%C3%A9-%C3%9F'],
  ['100%', '100%25'],
  ['%D0%B7', '%25D0%25B7'],
  ['  sp  ', '%20%20sp%20%20'],
  ['lone \ud800', 'lone%20%EF%BF%BD'],
  ['order-1:a/b+c=d@e', 'order-1:a/b+c=d@e']
]

t.test('the request id header is the id percent-encoded: decodeURIComponent gives the body\'s request_id back', async t => {
  for (const tracing of [false, true]) {
    for (const [id, header] of encoded) {
      const { app, lines } = await buildApp(tracing ? { tracing: fakeTracer() } : {}, { genReqId: () => id })
      t.teardown(() => app.close())
      app.get('/ok', async () => 'ok')
      app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
      const ok = await app.inject('/ok')
      t.equal(ok.statusCode, 200, `${JSON.stringify(id)}: a success still succeeds`)
      t.equal(ok.headers['x-request-id'], header, `${JSON.stringify(id)}: its header`)
      const res = await app.inject('/x')
      t.equal(res.statusCode, 404, `${JSON.stringify(id)}: the declared error is answered`)
      t.equal(res.json().request_id, id, 'the body carries the id itself')
      t.equal(res.headers['x-request-id'], header, 'the error response carries the same header')
      if (!id.includes('\ud800')) t.equal(decodeURIComponent(header), id, 'which decodes to the id')
      t.ok(lines.some(l => l.request_id === id), 'the log line carries the id itself')
    }
  }
})

t.test('an id longer than 1,024 characters encoded is not sent in a header (clients\' header limits); the response still succeeds', async t => {
  // ж is six characters encoded, a space three: 170 × 6 + 3 + 1 = 1,024 and 1,025.
  for (const [id, sent] of [['a'.repeat(1024), true], ['a'.repeat(1025), false], ['ж'.repeat(170) + ' a', true], ['ж'.repeat(170) + 'a b', false]] as const) {
    const { app } = await buildApp({}, { genReqId: () => id })
    t.teardown(() => app.close())
    app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
    const res = await app.inject('/x')
    t.equal(res.statusCode, 404, `${id.length} × ${id[0]}`)
    t.equal(res.json().request_id, id)
    t.equal(res.headers['x-request-id'] !== undefined, sent, sent ? 'sent' : 'not sent')
  }
})

// A bigint from a snowflake-id library: pino writes it as digits, JSON.stringify throws on it.
t.test('a bigint request id with tracing: the request succeeds and its own logger takes the ids in place', async t => {
  let n = 10n ** 18n
  const { app, lines } = await buildApp({ tracing: fakeTracer() }, { genReqId: () => ++n as unknown as string })
  t.teardown(() => app.close())
  app.get('/ok', async (req) => { req.log.info('inside'); return 'ok' })
  const res = await app.inject('/ok')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-request-id'], '1000000000000000001')
  t.match(lines.find(l => l.msg === 'request completed'), { trace_id: res.headers['x-trace-id'] }, 'Fastify\'s completion line carries the ids: the fast path')
})

// The backstop writes its static 500 past Fastify's reply: it encodes the id the same way.
t.test('the error backstop\'s static 500 carries the encoded id when the reply lost its header', async t => {
  const { app } = await buildApp({}, { genReqId: () => 'заказ-1' })
  t.teardown(() => app.close())
  app.get('/x', {
    onSend: async (req, reply) => {
      reply.removeHeader('x-request-id')
      if (reply.statusCode >= 400) throw new Error('onSend broke')
    }
  }, async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 500)
  t.equal(res.headers['x-request-id'], '%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1')
  t.equal(res.json().request_id, 'заказ-1')
})

// A malformed URL skips onRequest: the error handler sets the header, encoded the same way.
t.test('a framework error (a malformed URL) carries the encoded id too', async t => {
  const { app } = await buildApp({}, { frameworkErrors, genReqId: () => 'заказ-1' })
  t.teardown(() => app.close())
  app.get('/x/:id', async () => 'ok')
  const res = await app.inject('/x/%E0%A4%A')
  t.equal(res.statusCode, 400)
  t.equal(res.headers['x-request-id'], '%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1')
  t.equal(res.json().request_id, 'заказ-1')
})
