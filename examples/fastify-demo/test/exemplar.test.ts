import t from 'tap'
import { buildApp } from '../src/app.js'
import { demoObservability } from '../src/observability.js'

// The path from an error count to a trace: a traced request fails, and the scrape Prometheus makes
// (OpenMetrics) finds that request's trace id as the exemplar of the error's series.
t.test('a failed traced request\'s trace id is the exemplar of its errcodes_errors_total series', async t => {
  const opsToken = 'exemplar-test-ops-token-0123'
  const authorization = `Bearer ${opsToken}`
  const observability = demoObservability({ opsToken })
  const app = await buildApp({ observability })
  t.teardown(async () => { await app.close(); await observability.tracing.shutdown() })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
  const res = await fetch(`${base}/users/999`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
  t.equal(res.status, 404)
  t.equal(res.headers.get('x-trace-id'), traceId, 'the request continued the caller\'s trace')
  await res.arrayBuffer()

  const scrape = await fetch(`${base}/metrics`, { headers: { authorization, accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } })
  t.match(scrape.headers.get('content-type'), /^application\/openmetrics-text/)
  const text = await scrape.text()
  const line = text.split('\n').find(l => l.startsWith('errcodes_errors_total{') && l.includes('error_name="USER_NOT_FOUND"'))
  t.match(line, new RegExp(`\\} 1 # \\{trace_id="${traceId}"\\} 1 \\d+(?:\\.\\d+)?$`), line)

  const classic = await (await fetch(`${base}/metrics`, { headers: { authorization } })).text()
  t.notMatch(classic, /trace_id/, 'curl and the classic text see no exemplar')
})
