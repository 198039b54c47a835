import t from 'tap'
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
t.test('a request id Node refuses in a header is sent percent-encoded; the body and logs keep it', async t => {
  const ids: Array<[string, string]> = [
    ['заказ-1', '%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1'],
    ['a\r\nset-cookie: x=1', 'a%0D%0Aset-cookie:%20x=1'],
    ['lone \ud800 100%', 'lone%20%EF%BF%BD%20100%25'],
    ['café-1', 'café-1']
  ]
  for (const tracing of [false, true]) {
    for (const [id, header] of ids) {
      const { app, lines } = await buildApp(tracing ? { tracing: fakeTracer() } : {}, { genReqId: () => id })
      t.teardown(() => app.close())
      app.get('/ok', async () => 'ok')
      app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
      const ok = await app.inject('/ok')
      t.equal(ok.statusCode, 200, `${JSON.stringify(id)}: a success still succeeds`)
      t.equal(ok.headers['x-request-id'], Buffer.from(header, 'latin1').toString('latin1'), `${JSON.stringify(id)}: its header`)
      const res = await app.inject('/x')
      t.equal(res.statusCode, 404, `${JSON.stringify(id)}: the declared error is answered`)
      t.equal(res.json().request_id, id, 'the body carries the id itself')
      t.equal(res.headers['x-request-id'], ok.headers['x-request-id'], 'the error response carries the same header')
      t.ok(lines.some(l => l.request_id === id), 'so does the log line')
    }
  }
})
