import t from 'tap'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'

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
