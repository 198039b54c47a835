import t from 'tap'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { errors } from './fixtures/errors.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

// What a client sends as Host and User-Agent is text from anywhere: the span keeps only what parses
// as a host and port, and bounded strings.
t.test('server.address and server.port from unusual Host headers; a long User-Agent is cut', async t => {
  const { tracing, spans } = memoryTracing()
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors, tracing })
  app.get('/x', async () => ({ ok: true }))
  t.teardown(() => app.close())
  const hosts = ['a:b:c', 'api.example.com:99999', '[::1]:3000', 'h'.repeat(300) + ':8080', 'plain.example.com']
  for (const host of hosts) {
    const res = await app.inject({ url: '/x', headers: { host, 'user-agent': 'u'.repeat(600) } })
    t.equal(res.statusCode, 200, host.slice(0, 40))
  }
  const attrs = (await spans()).map(s => s.attributes)
  t.equal(attrs.length, hosts.length)
  t.notOk('server.address' in attrs[0], 'two colons outside brackets: no address')
  t.notOk('server.port' in attrs[0])
  t.equal(attrs[1]['server.address'], 'api.example.com')
  t.notOk('server.port' in attrs[1], 'a port over 65535 is dropped')
  t.equal(attrs[2]['server.address'], '::1')
  t.equal(attrs[2]['server.port'], 3000)
  t.equal(attrs[3]['server.address'], 'h'.repeat(256), 'a Host is cut at 256 characters')
  t.notOk('server.port' in attrs[3], 'so its port is gone')
  t.equal(attrs[4]['server.address'], 'plain.example.com')
  t.notOk('server.port' in attrs[4])
  for (const a of attrs) t.equal(a['user_agent.original'], 'u'.repeat(512))
})
