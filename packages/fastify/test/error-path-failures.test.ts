import t from 'tap'
import { buildApp } from './fixtures/app.js'
import { listen, send } from './fixtures/http.js'

// Whatever fails inside the error path, the request ends (a hang shows up as this file's timeout).
t.setTimeout(60_000)

t.test('an invalid header on the reply: a coded 500 without it, never a hang', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.get('/sync', (req, reply) => { reply.header('x-echo', 'a\nb'); reply.header('x-fine', 'yes'); reply.send('ok') })
  app.get('/async', async (req, reply) => { reply.header('x-echo', 'a\r\nSet-Cookie: x=1'); return 'ok' })
  app.get('/throws', (req, reply) => { reply.header('x-echo', 'a\nb'); throw new Error('boom') })
  for (const url of ['/sync', '/async', '/throws']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 500, url)
    t.match(res.json(), { error_name: 'INTERNAL_ERROR', status_code: 500 }, url)
    t.notOk('x-echo' in res.headers, `${url}: the invalid header is dropped`)
    t.notOk('set-cookie' in res.headers)
    t.equal(res.json().request_id, res.headers['x-request-id'], `${url}: the request id survives`)
  }
  t.ok(lines.some(l => l.errcodes_fault === 'error handler'), 'one line says why')
  const target = await listen(app)
  const wire = await send(target, { method: 'GET', path: '/sync' })
  t.equal(wire.status, 500, 'on the wire too')
})

t.test('an onSend hook that throws on the error payload: a coded generic 500 of the chosen format', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload === 'string' && payload.includes('error_code')) throw new Error('onSend broke password=hunter2 jane.doe@example.com')
    return payload
  })
  app.get('/x', async () => { throw new Error('db password=hunter2') })
  app.get('/four', async () => { throw Object.assign(new Error('gone'), { statusCode: 404 }) })
  for (const [url, accept, type] of [['/x', 'application/json', 'application/json'], ['/four', 'application/problem+json', 'application/problem+json']] as const) {
    const res = await app.inject({ url, headers: { accept } })
    t.equal(res.statusCode, 500, url)
    t.equal(res.headers['content-type'], `${type}; charset=utf-8`)
    t.equal(res.json().error_name, 'INTERNAL_ERROR')
    t.equal(res.json()[type === 'application/json' ? 'message' : 'detail'], 'Internal server error', 'a generic message')
    t.notMatch(res.body, /hunter2|onSend broke|statusCode|"error":/, 'not Fastify\'s default body, nothing raw')
    t.equal(res.json().request_id, res.headers['x-request-id'])
  }
  const why = lines.filter(l => l.errcodes_fault === 'error response')
  t.equal(why.length, 2, 'one line per failed request says why')
  t.notMatch(JSON.stringify(lines), /hunter2|jane\.doe@/, 'masked')
})

t.test('an onSend hook that writes headers and part of the body, then throws: the response is destroyed', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.addHook('onSend', async (req, reply) => {
    if (!reply.raw.headersSent) {
      reply.raw.writeHead(200, { 'content-type': 'text/plain' })
      reply.raw.write('partial')
    }
    throw new Error('kaboom')
  })
  app.get('/x', async () => 'ok')
  const target = await listen(app)
  await t.rejects(send(target, { path: '/x' }), 'the client sees an aborted response, not a socket left open')
  t.equal(app.server.listening, true, 'the server keeps running')
  const again = await send(target, { path: '/x' }).catch((err: Error) => err)
  t.type(again, Error, 'every time')
})

t.test('writeHead throwing ERR_HTTP_HEADERS_SENT: the response is destroyed, the server lives', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.addHook('onSend', async (req, reply, payload) => {
    reply.raw.writeHead = function () { throw Object.assign(new Error('Cannot write headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' }) }
    return payload
  })
  app.get('/x', async () => 'ok')
  const target = await listen(app)
  await t.rejects(send(target, { path: '/x' }))
  t.equal(app.server.listening, true)
})

t.test('the backstop drops a header Node refuses and destroys a started error response', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' || !payload.includes('error_code')) return payload
    if (req.url === '/bad-header') reply.header('x-echo', 'a\nb')
    if (req.url === '/started' && !reply.raw.headersSent) {
      reply.raw.writeHead(500, { 'content-type': 'text/plain' })
      reply.raw.write('partial')
      throw new Error('kaboom')
    }
    return payload
  })
  app.get('/bad-header', async () => { throw new Error('x') })
  app.get('/started', async () => { throw new Error('x') })
  const bad = await app.inject('/bad-header')
  t.equal(bad.statusCode, 500)
  t.equal(bad.json().error_name, 'INTERNAL_ERROR')
  t.notOk('x-echo' in bad.headers, 'the refused header is dropped')
  const target = await listen(app)
  await t.rejects(send(target, { path: '/started' }), 'a started error response is destroyed, not left open')
  t.equal(app.server.listening, true)
})
