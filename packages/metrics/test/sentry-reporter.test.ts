import t from 'tap'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { Type } from '@sinclair/typebox'
import { defineErrors, normalizeError } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { scrubEvent } from '../src/sentry-reporter.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down for {user}', params: Type.Object({ user: Type.String() }) }
})

interface Captured { tags: Record<string, string>, fingerprint: string[], exception: { values: Array<{ type: string, value: string }> }, environment: string, level: string, extra?: unknown, request?: unknown }

/** A local Sentry endpoint that records the events of every envelope it receives. */
async function sentryEndpoint (respond = true): Promise<{ server: Server, dsn: string, events: Captured[], paths: string[] }> {
  const events: Captured[] = []
  const paths: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      paths.push(req.url ?? '')
      let raw = Buffer.concat(chunks)
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw)
      const lines = raw.toString('utf8').split('\n').filter(Boolean)
      for (let i = 1; i + 1 < lines.length; i += 2) {
        if (JSON.parse(lines[i]).type === 'event') events.push(JSON.parse(lines[i + 1]))
      }
      if (respond) res.end('{}')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { server, dsn: `http://public@127.0.0.1:${port}/1`, events, paths }
}

t.test('server faults reach Sentry once, tagged, fingerprinted and scrubbed; 4xx do not', async t => {
  const endpoint = await sentryEndpoint()
  t.teardown(() => { endpoint.server.closeAllConnections(); endpoint.server.close() })
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, environment: 'test', release: '1.2.3' } })
  t.teardown(() => metrics.close(500))

  const fault = errors.DB_DOWN.create({ user: 'jane.doe@example.com' }, { detail: { password: 'hunter2' } })
  metrics.record({ error: fault, status: 503, timestamp: Date.now() })
  metrics.record({ error: fault, status: 503, timestamp: Date.now() })
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, timestamp: Date.now() })
  const foreign = { ...normalizeError(new Error('x')), name: 'NOT_IN_CATALOG' }
  metrics.record({ error: foreign as never, status: 418, timestamp: Date.now() })
  // What Sentry's own Fastify integration leaves on the thrown value after reporting it.
  const thrown = new Error('already reported by the Fastify integration')
  Object.defineProperty(thrown, '__sentry_captured__', { value: true })
  metrics.record({ error: normalizeError(thrown), status: 500, timestamp: Date.now() })

  t.equal(await metrics.flush(5000), true)
  t.equal(endpoint.events.length, 2, 'the 5xx once and the unknown error; not the 4xx nor the one Sentry already has')
  const db = endpoint.events.find(e => e.tags?.error_name === 'DB_DOWN')
  t.ok(db)
  t.match(db?.tags, { error_code: '501', error_name: 'DB_DOWN', domain: 'SERVER' })
  t.same(db?.fingerprint, ['DB_DOWN'])
  t.equal(db?.environment, 'test')
  t.equal(db?.level, 'error')
  const text = JSON.stringify(endpoint.events)
  t.notMatch(text, /jane\.doe@example\.com|hunter2/, 'PII scrubbed before send')
  t.match(db?.exception.values.at(-1)?.value, /j\*\*\*@example\.com/)
  t.match(endpoint.paths[0], /^\/api\/1\/envelope\//)
  t.ok(endpoint.events.some(e => e.tags?.error_name === '_OTHER' || e.tags?.error_name === 'NOT_IN_CATALOG'))
  t.equal(metrics.sentryDropped, 0)
})

t.test('report4xx sends client errors too, at warning level', async t => {
  const endpoint = await sentryEndpoint()
  t.teardown(() => { endpoint.server.closeAllConnections(); endpoint.server.close() })
  const metrics = createMetrics({ catalog: errors, sentry: { dsn: endpoint.dsn, report4xx: true } })
  t.teardown(() => metrics.close(500))
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, timestamp: Date.now() })
  await metrics.flush(5000)
  t.equal(endpoint.events.length, 1)
  t.equal(endpoint.events[0].level, 'warning')
})

t.test('a given client is used and only our events are scrubbed by the processor we add', async t => {
  const captured: Array<[unknown, Record<string, unknown>]> = []
  const processors: Array<(e: never, h: never) => unknown> = []
  const client = {
    captureException (e: unknown, hint?: Record<string, unknown>) { captured.push([e, hint ?? {}]) },
    addEventProcessor (p: (e: never, h: never) => unknown) { processors.push(p) }
  }
  const metrics = createMetrics({ catalog: errors, sentry: { client } })
  createMetrics({ catalog: errors, sentry: { client } })
  const fault = errors.DB_DOWN.create({ user: 'x' })
  metrics.record({ error: fault, status: 503, timestamp: Date.now() })
  await metrics.flush()
  t.equal(captured.length, 1)
  t.match(captured[0][1], { captureContext: { tags: { error_name: 'DB_DOWN' }, fingerprint: ['DB_DOWN'] } })
  t.equal(processors.length, 1, 'one processor per client, however many recorders')
  const theirs = { message: 'their jane@example.com' }
  t.equal((processors[0](theirs as never, { originalException: new Error('theirs') } as never) as { message: string }).message, 'their jane@example.com')
  t.match((processors[0]({ message: 'ours jane@example.com' } as never, { originalException: fault } as never) as { message: string }).message, /j\*\*\*@/)
})

t.test('Sentry down or slow: record() stays synchronous, never throws, and the queue is bounded', async t => {
  const slow = await sentryEndpoint(false)
  t.teardown(() => { slow.server.closeAllConnections(); slow.server.close() })
  const closed = await sentryEndpoint()
  const closedDsn = closed.dsn
  await new Promise(resolve => closed.server.close(resolve))
  for (const dsn of [slow.dsn, closedDsn]) {
    const metrics = createMetrics({ catalog: errors, sentry: { dsn } })
    for (let i = 0; i < 1000; i++) {
      const result = metrics.record({ error: errors.DB_DOWN.create({ user: String(i) }), status: 503, timestamp: Date.now() }) as unknown
      t.equal(result, undefined)
    }
    t.ok(metrics.sentryDropped >= 900, `queue bounded: ${metrics.sentryDropped} dropped`)
    t.equal(metrics.byCode('DB_DOWN')?.count, 1000, 'every error is still counted')
    await t.resolves(metrics.close(200))
  }
})

t.test('scrubEvent masks message, exception values, extra, contexts, breadcrumbs, request and user', async t => {
  const event = scrubEvent({
    message: 'mail jane@example.com',
    exception: { values: [{ value: 'card 4111 1111 1111 1111' }] },
    extra: { token: 'abc', note: 'call 010-1234-5678' },
    contexts: { app: { password: 'p' } },
    breadcrumbs: [{ message: 'jane@example.com', data: { secret: 's' } }],
    user: { email: 'jane@example.com', ip_address: '1.2.3.4' },
    request: { method: 'POST', url: 'https://api/x?token=abc', data: { password: 'p' }, cookies: { sid: '1' }, query_string: 'a=b', headers: { cookie: 'sid=1', 'user-agent': 'ua', 'x-forwarded-for': '1.2.3.4' } }
  })
  const text = JSON.stringify(event)
  t.notMatch(text, /jane@|4111 1111 1111 1111|"abc"|010-1234|1\.2\.3\.4|sid=1|"p"/)
  t.same(event.request, { method: 'POST', url: 'https://api/x', headers: { 'user-agent': 'ua' } })
  t.notOk('user' in event)
})
