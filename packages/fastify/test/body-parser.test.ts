import t from 'tap'
import { buildApp } from './fixtures/app.js'
import { listen, send } from './fixtures/http.js'

const cases: Array<[string, { headers: Record<string, string>, body: string }, number, string]> = [
  ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"a":' }, 400, 'MALFORMED_BODY'],
  ['empty JSON body', { headers: { 'content-type': 'application/json' }, body: '' }, 400, 'MALFORMED_BODY'],
  ['prototype poisoning', { headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"admin":true}}' }, 400, 'MALFORMED_BODY'],
  ['body too large', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ s: 'x'.repeat(2048) }) }, 413, 'PAYLOAD_TOO_LARGE'],
  ['unsupported media type', { headers: { 'content-type': 'application/x-unknown' }, body: 'x' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['bad content-type value', { headers: { 'content-type': 'not a type' }, body: 'x' }, 415, 'UNSUPPORTED_MEDIA_TYPE']
]

t.test('body-parser errors map to their entries with their statuses', async t => {
  for (const format of ['json', 'problem'] as const) {
    const { app } = await buildApp({ format }, { bodyLimit: 1024 })
    t.teardown(() => app.close())
    app.post('/items', async (req) => ({ got: req.body }))
    for (const [label, request, status, name] of cases) {
      const res = await app.inject({ method: 'POST', url: '/items', headers: request.headers, payload: request.body })
      t.equal(res.statusCode, status, `${format}: ${label}`)
      const body = res.json()
      t.equal(body.error_name, name, label)
      t.equal(format === 'json' ? body.status_code : body.status, status)
      t.notMatch(res.body, /FST_ERR|Body is not valid|content-type is set/, 'Fastify\'s own text stays out')
    }
  }
})

t.test('on the wire: a body over bodyLimit, a lying Content-Length, a route-level bodyLimit', async t => {
  const { app } = await buildApp({}, { bodyLimit: 1024 })
  t.teardown(() => app.close())
  app.post('/items', async () => ({ ok: true }))
  app.post('/small', { bodyLimit: 10 }, async () => ({ ok: true }))
  const target = await listen(app)
  const large = await send(target, { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ s: 'y'.repeat(4096) }) })
  t.equal(large.status, 413)
  t.equal(JSON.parse(large.body).error_name, 'PAYLOAD_TOO_LARGE')
  const small = await send(target, { method: 'POST', path: '/small', headers: { 'content-type': 'application/json' }, body: '{"abcdefghijk":1}' })
  t.equal(small.status, 413)
  t.equal(JSON.parse(small.body).error_name, 'PAYLOAD_TOO_LARGE')
  const chunked = await send(target, { method: 'POST', path: '/items', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: JSON.stringify({ s: 'z'.repeat(4096) }) })
  t.equal(chunked.status, 413, 'chunked bodies are limited too')
  const ok = await send(target, { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
  t.equal(ok.status, 200)
})
