import t, { type Test } from 'tap'
import { connect } from 'node:net'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { listen, send } from './fixtures/http.js'
import { fakeTracer, fakeTranslator } from './fixtures/ports.js'

async function server (t: Test) {
  const { app } = await buildApp({ i18n: fakeTranslator(), tracing: fakeTracer() })
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '42' }) })
  app.get('/quota', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 3 }) })
  app.get('/token', async () => { throw errors.TOKEN_EXPIRED.create() })
  app.get('/late', async (req, reply) => { reply.send({ ok: true }); throw new Error('late') })
  app.post('/echo', async (req) => req.body)
  return listen(app)
}

t.test('headers and bodies as a client reads them off the socket', async t => {
  const target = await server(t)
  const res = await send(target, { path: '/users/42', headers: { 'accept-language': 'ko', 'x-request-id': 'wire-1', accept: 'application/problem+json' } })
  t.equal(res.status, 404)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(res.headers['content-language'], 'ko')
  t.equal(res.headers.vary, 'Accept, Accept-Language')
  t.equal(res.headers['x-request-id'], 'wire-1')
  t.match(res.headers['x-trace-id'], /^[0-9a-f]{32}$/)
  t.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body), 'Content-Length counts UTF-8 bytes')
  const body = JSON.parse(res.body)
  t.match(body, { status: 404, detail: '사용자 42을(를) 찾을 수 없습니다', request_id: 'wire-1', trace_id: res.headers['x-trace-id'] })
  const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map(h => h.toLowerCase())
  t.equal(names.length, new Set(names).size, 'no header sent twice')
  const quota = await send(target, { path: '/quota' })
  t.equal(quota.headers['retry-after'], '3600')
  const token = await send(target, { path: '/token' })
  t.equal(token.headers['www-authenticate'], 'Bearer error="invalid_token"')
})

t.test('an error after reply.send: one response, connection reusable', async t => {
  const target = await server(t)
  // Two requests pipelined on one keep-alive socket: the late error must not corrupt the stream.
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(target.port, target.host, () => {
      socket.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\nGET /token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', d => { data += d })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')))
  })
  const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map(m => m[1])
  t.same(statuses, ['200', '401'], 'exactly one response per request')
  t.match(raw, /\{"ok":true\}/)
  t.match(raw, /"error_name":"TOKEN_EXPIRED"/)
})

t.test('malformed and oversized requests over the wire', async t => {
  const target = await server(t)
  const bad = await send(target, { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"a":' })
  t.equal(bad.status, 400)
  t.equal(JSON.parse(bad.body).error_name, 'MALFORMED_BODY')
  const media = await send(target, { method: 'POST', path: '/echo', headers: { 'content-type': 'text/csv' }, body: 'a,b' })
  t.equal(media.status, 415)
  const hugeAccept = await send(target, { path: '/users/1', headers: { accept: 'application/problem+json,' + 'x/y;q=0.1,'.repeat(1000), 'accept-language': 'ko,'.repeat(1000) } })
  t.equal(hugeAccept.status, 404, 'hostile Accept and Accept-Language headers are survived')
  t.ok(JSON.parse(hugeAccept.body).error_name)
})
