import t from 'tap'
import { Counter, Histogram, Registry } from 'prom-client'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { wantsOpenMetrics } from '../src/open-metrics.js'
import { serve } from './fixtures/serve.js'
import { findTool, run } from './fixtures/tools.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' }
})
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
// What Prometheus 2.42 sends when it scrapes.
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
const EXEMPLAR = /^errcodes_errors_total\{error_code="501",error_name="DB_DOWN",domain="SERVER",status_code="503"\} (\d+) # \{trace_id="([0-9a-f]{32})"\} (\d+) (\d+(?:\.\d+)?)$/m

t.test('content negotiation: OpenMetrics only when the Accept value prefers it', async t => {
  t.equal(wantsOpenMetrics(PROMETHEUS_ACCEPT), true)
  t.equal(wantsOpenMetrics('application/openmetrics-text'), true)
  t.equal(wantsOpenMetrics('text/plain;q=0.9, application/openmetrics-text;q=0.5'), false)
  t.equal(wantsOpenMetrics('application/openmetrics-text;q=0'), false)
  t.equal(wantsOpenMetrics('*/*'), false, 'curl gets the classic text')
  t.equal(wantsOpenMetrics('text/html,application/xhtml+xml,*/*;q=0.8'), false, 'a browser too')
  t.equal(wantsOpenMetrics(undefined), false)
  t.equal(wantsOpenMetrics(['application/openmetrics-text']), false)
  t.equal(wantsOpenMetrics('application/openmetrics-text'.padEnd(2000, ' ')), false, 'an oversized header is not parsed')
})

t.test('a traced error becomes an exemplar of its series in the OpenMetrics text; the classic text stays valid', async t => {
  const metrics = createMetrics({ catalog: errors })
  const { server, base } = await serve(metrics)
  t.teardown(() => server.close())
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, traceId: 'f'.repeat(31), timestamp: Date.now() })
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, traceId: TRACE, timestamp: Date.now() })
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, timestamp: Date.now() })
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, traceId: '0'.repeat(32), timestamp: Date.now() })
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, traceId: 'XYZ' + TRACE.slice(3), timestamp: Date.now() })

  const before = Date.now() / 1000
  const res = await fetch(`${base}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } })
  t.equal(res.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8')
  t.equal(res.headers.get('vary'), 'Accept')
  const text = await res.text()
  const m = EXEMPLAR.exec(text)
  t.ok(m, 'the DB_DOWN series carries an exemplar')
  t.equal(m?.[1], '3')
  t.equal(m?.[2], TRACE, 'the latest valid trace id')
  t.equal(m?.[3], '3', 'the exemplar value is the increment it came with')
  t.ok(Number(m?.[4]) >= Math.floor(before) && Number(m?.[4]) <= Date.now() / 1000 + 1, 'timestamped in seconds')
  t.match(text, /^errcodes_errors_total\{[^}]*error_name="USER_NOT_FOUND"[^}]*\} 2$/m, 'an all-zero or non-hex id is no exemplar')
  t.match(text, /^# TYPE errcodes_errors counter$/m, 'OpenMetrics names the counter family without _total')
  t.match(text, /\n# EOF\n$/)

  // Another scrape without a new traced error keeps the exemplar; a newer one replaces it.
  t.equal(EXEMPLAR.exec(await metrics.metrics('openmetrics'))?.[2], TRACE)
  const next = '0af7651916cd43dd8448eb211c80319c'
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, traceId: next, timestamp: Date.now() })
  t.equal(EXEMPLAR.exec(await metrics.metrics('openmetrics'))?.[2], next)

  const classic = await fetch(`${base}/metrics`)
  t.match(classic.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
  const plain = await classic.text()
  t.notMatch(plain, /trace_id|# EOF/, 'no exemplar syntax in the classic text')
  t.match(plain, /^# TYPE errcodes_errors_total counter$/m, 'serving OpenMetrics did not rename the counter')
  t.match(plain, /^errcodes_errors_total\{error_code="501",error_name="DB_DOWN",domain="SERVER",status_code="503"\} 4$/m)
  const promtool = findTool('promtool')
  if (promtool === undefined) return
  const lint = run(promtool, ['check', 'metrics'], plain)
  t.equal(lint.status, 0, lint.stdout + lint.stderr)
})

t.test('exemplars: false serves OpenMetrics without exemplars', async t => {
  const metrics = createMetrics({ catalog: errors, exemplars: false })
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, traceId: TRACE, timestamp: Date.now() })
  const text = await metrics.metrics('openmetrics')
  t.match(text, /^errcodes_errors_total\{[^}]*error_name="DB_DOWN"[^}]*\} 1$/m)
  t.notMatch(text, /trace_id/)
})

t.test('the other metrics of a shared registry render in OpenMetrics too, with its default labels', async t => {
  const registry = new Registry()
  registry.setDefaultLabels({ service: 'users' })
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests', registers: [registry] })
  const latency = new Histogram({ name: 'http_seconds', help: 'Latency', buckets: [0.1, 1], registers: [registry] })
  requests.inc()
  latency.observe(0.5)
  const metrics = createMetrics({ catalog: errors, registry })
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, traceId: TRACE, timestamp: Date.now() })
  const text = await metrics.metrics('openmetrics')
  t.match(text, /^http_requests_total\{service="users"\} 1$/m)
  t.match(text, /^http_seconds_bucket\{le="1",service="users"\} 1$/m)
  t.match(text, /^errcodes_errors_total\{[^}]*service="users"\} 1 # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\}/m)
  t.match(await registry.metrics(), /^# TYPE http_requests_total counter$/m, 'the registry\'s own output is unchanged')
})

t.test('mounted by the Fastify plugin, /metrics answers the scrape\'s Accept header', async t => {
  const { default: Fastify } = await import('fastify')
  const { default: errorCodes } = await import('@errcodes/fastify')
  const metrics = createMetrics({ catalog: errors })
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, metrics })
  app.get('/db', async () => { throw errors.DB_DOWN.create() })
  await app.ready()
  t.equal((await app.inject('/db')).statusCode, 503)
  const om = await app.inject({ url: '/metrics', headers: { accept: PROMETHEUS_ACCEPT } })
  t.match(om.headers['content-type'], /^application\/openmetrics-text; version=1\.0\.0/)
  t.equal(om.headers.vary, 'Accept')
  t.match(om.body, /^errcodes_errors_total\{[^}]*error_name="DB_DOWN"[^}]*\} 1$/m)
  t.match(om.body, /# EOF\n$/)
  const plain = await app.inject('/metrics')
  t.match(plain.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.match(plain.body, /^# TYPE errcodes_errors_total counter$/m)
})

t.test('through Fastify and @errcodes/tracing, only sampled traces become exemplars', async t => {
  const { default: Fastify } = await import('fastify')
  const { default: errorCodes } = await import('@errcodes/fastify')
  const { createTracing } = await import('@errcodes/tracing')
  const caller = '0af7651916cd43dd8448eb211c80319c'
  // [sampleRate, incoming traceparent, exemplar expected]: the sampler is parent-based, so a caller's flag wins.
  const cases: Array<[number, string | undefined, boolean]> = [
    [1, undefined, true],
    [1, `00-${caller}-b7ad6b7169203331-00`, false],
    [0, undefined, false],
    [0, `00-${caller}-b7ad6b7169203331-01`, true]
  ]
  for (const [sampleRate, traceparent, expected] of cases) {
    const what = `sampleRate ${sampleRate}, traceparent ${traceparent ?? 'none'}`
    const tracing = createTracing({ serviceName: 'exemplar-test', exporter: 'none', sampleRate })
    const metrics = createMetrics({ catalog: errors })
    const app = Fastify()
    await app.register(errorCodes, { catalog: errors, metrics, tracing })
    app.get('/db', async () => { throw errors.DB_DOWN.create() })
    await app.ready()
    const res = await app.inject({ url: '/db', headers: traceparent === undefined ? {} : { traceparent } })
    t.equal(res.statusCode, 503, what)
    const traceId = res.headers['x-trace-id']
    t.match(traceId, /^[0-9a-f]{32}$/, `${what}: the trace id is still sent back for log correlation`)
    const om = await app.inject({ url: '/metrics', headers: { accept: PROMETHEUS_ACCEPT } })
    const m = EXEMPLAR.exec(om.body)
    if (expected) t.equal(m?.[2], traceId, `${what}: the sampled trace is the exemplar`)
    else t.equal(m, null, `${what}: no exemplar for a trace no backend holds`)
    t.match(om.body, /^errcodes_errors_total\{[^}]*error_name="DB_DOWN"[^}]*\} 1/m, `${what}: the error is counted either way`)
    await app.close()
    await tracing.shutdown()
  }
})
