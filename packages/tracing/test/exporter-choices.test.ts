import t, { type Test } from 'tap'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { createTracing, type Tracing } from '../src/create-tracing.js'
import { errors } from './fixtures/errors.js'

async function oneFailedRequest (t: Test, tracing: Tracing): Promise<string | undefined> {
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors, tracing })
  app.get('/fail', async () => { throw errors.DB_DOWN.create({ host: 'h', email: 'e' }) })
  t.teardown(() => app.close())
  const res = await app.inject('/fail')
  t.equal(res.statusCode, 503)
  return res.headers['x-trace-id'] as string | undefined
}

t.test('otlp: the headers option reaches the collector with every export', async t => {
  const seen: IncomingHttpHeaders[] = []
  const collector = createServer((req, res) => {
    seen.push(req.headers)
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'))
  })
  await new Promise<void>(resolve => collector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => collector.close())
  const url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`
  const tracing = createTracing({ serviceName: 'svc', url, headers: { authorization: 'Bearer tok', 'x-scope-orgid': 'team-a' } })
  t.teardown(() => tracing.shutdown())
  const traceId = await oneFailedRequest(t, tracing)
  t.match(traceId, /^[0-9a-f]{32}$/)
  await tracing.forceFlush()
  t.equal(seen.length, 1, 'one export')
  t.equal(seen[0].authorization, 'Bearer tok')
  t.equal(seen[0]['x-scope-orgid'], 'team-a')
})

t.test('exporter "none": trace ids still flow, nothing is exported anywhere', async t => {
  const tracing = createTracing({ serviceName: 'svc', exporter: 'none' })
  t.teardown(() => tracing.shutdown())
  t.match(await oneFailedRequest(t, tracing), /^[0-9a-f]{32}$/)
  await tracing.forceFlush()
  t.pass('flush with no processor returns')
})

t.test('exporter "console": the finished span is printed on stdout', async t => {
  const printed: unknown[] = []
  // ConsoleSpanExporter writes with console.dir; the real console is restored right after.
  const dir = console.dir
  console.dir = (value: unknown) => { printed.push(value) }
  t.teardown(() => { console.dir = dir })
  const tracing = createTracing({ serviceName: 'svc', exporter: 'console', batch: { scheduledDelayMillis: 1 } })
  t.teardown(() => tracing.shutdown())
  const traceId = await oneFailedRequest(t, tracing)
  await tracing.forceFlush()
  console.dir = dir
  t.match(printed, [{ traceId, name: 'GET /fail', attributes: { 'error.type': 'DB_DOWN' } }])
})
