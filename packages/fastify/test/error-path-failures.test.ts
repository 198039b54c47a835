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
