import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FormatRegistry } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { CodeDetailSchema, MetricsSummarySchema, TopErrorsSchema } from '../src/schemas.js'
import { serve } from './fixtures/serve.js'
import { freePort, until } from './fixtures/processes.js'

// The real Prometheus is in fleet-prometheus.test.ts. What Prometheus never does (HTML from a proxy,
// a body without end, a foreign API, a hang) comes from this stand-in endpoint on 127.0.0.1.

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' }
})

// TypeBox checks formats only when told how; Fastify's Ajv does the same with ajv-formats.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', v => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v))

type Answer = (req: IncomingMessage, res: ServerResponse) => void

async function standIn (t: Test): Promise<{ url: string, answer: (a: Answer) => void, hits: () => number, seen: IncomingMessage[] }> {
  let current: Answer = (_req, res) => res.end()
  let hits = 0
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    hits++
    seen.push(req)
    current(req, res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`, answer: a => { current = a }, hits: () => hits, seen }
}

function json (body: unknown, status = 200): Answer {
  return (_req, res) => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
}

/** What Prometheus answers for the two queries of a reading (instance count, chart by labels). */
function prometheusLike (count: number, instances: string | null = '2'): Answer {
  return prometheusLikeWith({ error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: '404' }, count, instances)
}

function prometheusLikeWith (labels: Record<string, string>, count = 1, instances: string | null = '2', restarted = 0): Answer {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const query = url.searchParams.get('query') ?? ''
    if (url.pathname === '/prom/api/v1/query_range') {
      const end = Number(url.searchParams.get('end'))
      const start = Number(url.searchParams.get('start'))
      // The restarted replica's errors at the window's start, the rest at the reading.
      const values = restarted > 0 ? [[start, String(restarted)], [end, String(count)]] : [[end, String(count)]]
      return json({ status: 'success', data: { resultType: 'matrix', result: [{ metric: labels, values }] } })(req, res)
    }
    if (query.startsWith('count(')) return json({ status: 'success', data: { resultType: 'vector', result: instances === null ? [] : [{ metric: {}, value: [0, instances] }] } })(req, res)
    json({ status: 'success', data: { resultType: 'vector', result: [{ metric: labels, value: [0, String(count)] }] } })(req, res)
  }
}

function clock (start = 1_700_000_000_000): { now: () => number, advance: (ms: number) => void } {
  let current = start
  return { now: () => current, advance: (ms) => { current += ms } }
}

function setup (url: string, extra: Record<string, unknown> = {}): { metrics: ReturnType<typeof createMetrics>, logs: string[], time: ReturnType<typeof clock> } {
  const logs: string[] = []
  const time = clock()
  const metrics = createMetrics({
    catalog: errors,
    now: time.now,
    fleet: { url, selector: 'job="svc"', timeout: 300, maxBytes: 4096, maxSeries: 5, retry: 10_000, logger: { warn: (m: string) => logs.push(`warn ${m}`), info: (m: string) => logs.push(`info ${m}`) }, ...extra }
  })
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, timestamp: time.now() })
  return { metrics, logs, time }
}

/** A good instance count, and `result` as the chart's matrix. */
function chartOf (result: unknown[]): Answer {
  return (req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/prom/api/v1/query_range') return json({ status: 'success', data: { resultType: 'matrix', result } })(req, res)
    json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } })(req, res)
  }
}

const BAD: Array<[string, Answer, RegExp]> = [
  ['a matrix series without values', chartOf([{ metric: {}, values: 'many' }]), /a matrix series without a bounded "values" array/],
  ['a matrix series with more points than the window has (60 buckets)', chartOf([{ metric: {}, values: Array.from({ length: 61 }, (_, i) => [i, '1']) }]), /a matrix series without a bounded "values" array/],
  ['a point that is not a pair', chartOf([{ metric: {}, values: [7] }]), /a sample without a numeric time/],
  ['a point whose time is text', chartOf([{ metric: {}, values: [['noon', '1']] }]), /a sample without a numeric time/],
  ['a series whose labels are a number', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: 5, value: [1, '1'] }] } }), /a series without "metric" labels/],
  ['a success body under an error status', json({ status: 'success', data: { resultType: 'vector', result: [] } }, 500), /\(HTTP 500\)/],
  ['a 204 without a body', (_req, res) => { res.statusCode = 204; res.end() }, /HTTP 204 with a body that is not JSON \(content-type none\)/],
  ['a body broken off by the server', (_req, res) => { res.setHeader('content-type', 'application/json'); res.write('{"status":'); setImmediate(() => res.socket?.destroy()) }, /answer broken off \(/],
  ['an HTML page from a proxy', (_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<html><body>Bad gateway</body></html>') }, /HTTP 200 with a body that is not JSON \(content-type text\/html\)/],
  ['a body larger than maxBytes, without Content-Length', (_req, res) => { res.write('{"status":"success","data":{"result":["'); res.end('x'.repeat(10_000) + '"]}}') }, /answer is larger than fleet\.maxBytes \(4096\)/],
  ['a declared Content-Length larger than maxBytes', (_req, res) => { res.setHeader('content-length', '100000'); res.end('{') }, /answer of 100000 bytes is larger than fleet\.maxBytes/],
  ['JSON of another API', json({ hello: 'world' }), /answer is not a Prometheus API result: no "status"/],
  ['a scalar where a vector is due', json({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } }), /no vector result/],
  ['a sample that is not a number', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'lots'] }] } }), /a sample value "lots" that is not a decimal count/],
  ['a hexadecimal sample', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0x10'] }] } }), /a sample value "0x10" that is not a decimal count/],
  ['an astronomic sample', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1e300'] }] } }), /a sample value "1e300" that is not a decimal count/],
  ['a negative sample', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '-1'] }] } }), /a sample value "-1"/],
  ['a sample without a value', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1] }] } }), /a sample that is not \[time, "number"\]/],
  ['a result of [null]', json({ status: 'success', data: { resultType: 'vector', result: [null] } }), /\(answer is not a Prometheus API result: a series that is not an object \(wrong shape\)\)/],
  ['a status_code "constructor"', prometheusLikeWith({ error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: 'constructor' }), /a series with status_code="constructor", not a value errcodes writes/],
  ['an error_code "toString"', prometheusLikeWith({ error_code: 'toString', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: '404' }), /a series with error_code="toString"/],
  ['an error_name "hasOwnProperty"', prometheusLikeWith({ error_code: '301', error_name: 'hasOwnProperty', domain: 'RESOURCE', status_code: '404' }), /a series with error_name="hasOwnProperty"/],
  ['an overlong domain', prometheusLikeWith({ error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'D'.repeat(200), status_code: '404' }), /a series with domain="D{64}", not/],
  ['an instance count of 2.5', prometheusLike(1, '2.5'), /an instance count that is not one integer from 0 to 100000 \(wrong shape\)/],
  ['an instance count of 200000', prometheusLike(1, '200000'), /an instance count that is not one integer/],
  ['no instance at all (a mistyped selector)', prometheusLike(1, null), /Prometheus has no errcodes series for selector \{job="svc"\} \(no errcodes_recorder_failures_total; is the selector right and the instance scraped\?\)/],
  ['a PromQL error with a line break', json({ status: 'error', errorType: 'bad_data', error: 'parse error\nwarn errcodes metrics: forged line\u2028x' }, 400), /HTTP 400: parse error warn errcodes metrics: forged line x\)/],
  ['labels that are not strings', json({ status: 'success', data: { resultType: 'vector', result: [{ metric: { error_name: 5 }, value: [1, '2'] }] } }), /label "error_name" is not a short string/],
  ['more series than maxSeries', json({ status: 'success', data: { resultType: 'vector', result: Array.from({ length: 6 }, (_, i) => ({ metric: { i: String(i) }, value: [1, '1'] })) } }), /holds 6 series, more than fleet\.maxSeries \(5\)/],
  ['a PromQL error', json({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400), /HTTP 400: parse error/],
  ['a 503 without a body', (_req, res) => { res.statusCode = 503; res.end() }, /HTTP 503 with a body that is not JSON/],
  ['no answer at all (a hang)', () => {}, /no answer within 300 ms/],
  ['headers, then a body that never ends', (_req, res) => { res.setHeader('content-type', 'application/json'); res.write('{"status":') }, /no complete answer within 300 ms/]
]

for (const [what, answer, reason] of BAD) {
  t.test(`refused, never rendered: ${what}`, async t => {
    const endpoint = await standIn(t)
    endpoint.answer(answer)
    // Only the hangs need the short time limit; a loaded machine must not turn the others into time-outs.
    const { metrics, logs } = setup(endpoint.url, reason.source.includes('within 300 ms') ? {} : { timeout: 10_000 })
    const { server, base } = await serve(metrics)
    t.teardown(() => server.close())
    const summary = await metrics.fleet?.summary()
    t.equal(summary?.view.source, 'instance')
    t.equal(summary?.view.label, 'this instance')
    t.match(summary?.view.notice, reason)
    t.same(summary?.name_counts, { USER_NOT_FOUND: 1 }, 'the local counts are shown')
    t.ok(Value.Check(MetricsSummarySchema, summary), 'the fallback answer has the schema')
    t.equal(logs.length, 1, 'one log line')
    t.match(logs[0], reason)
    t.notMatch(logs[0], /[\n\r\u2028]/, 'the log line is one line')
    const res = await fetch(base + '/api/metrics/top-errors')
    t.equal(res.status, 200, 'top-errors answers with the local view')
    t.equal(((await res.json()) as { view: { source: string } }).view.source, 'instance')
  })
}

t.test('unreachable: the notice names the cause; a closed port is refused', async t => {
  const { metrics } = setup(`http://127.0.0.1:${await freePort()}`)
  t.match((await metrics.fleet?.top(10))?.view.notice, /unreachable \(ECONNREFUSED\)/)
})

t.test('one log line per outage, a back-off that doubles, and the fleet again when Prometheus answers', async t => {
  const endpoint = await standIn(t)
  endpoint.answer((_req, res) => { res.statusCode = 502; res.end('bad gateway') })
  const { metrics, logs, time } = setup(endpoint.url, { headers: { Authorization: 'Bearer s3cret' }, selector: 'job="users",env=~"prod|canary"' })
  const fleet = metrics.fleet
  if (fleet === undefined) throw new Error('no fleet view')

  t.match((await fleet.summary()).view.notice, /next try after 2023-11-14T22:13:30\.000Z/, 'retry after 10 s')
  // The reading failed at its first refused query; the other is still arriving.
  const hits = await until('the two queries of a reading', async () => endpoint.hits() === 2 ? 2 : undefined, 5000, 10)
  t.equal(endpoint.seen[0].headers.authorization, 'Bearer s3cret', 'headers are sent')
  const queries = endpoint.seen.map(r => new URL(r.url ?? '', 'http://x').searchParams.get('query') ?? '').sort()
  t.match(queries[0], /^count\(errcodes_recorder_failures_total\{job="users",env=~"prod\|canary"\}\)$/, 'the selector is in every query')
  t.match(queries[1], /^sum by \(error_code, error_name, domain, status_code\) \(\(errcodes_errors_total\{job="users",env=~"prod\|canary"\} - errcodes_errors_total\{job="users",env=~"prod\|canary"\} offset 60s\) >= 0 or errcodes_errors_total\{job="users",env=~"prod\|canary"\}\)$/)

  time.advance(5000)
  await fleet.summary()
  await fleet.top(5)
  t.ok(await fleet.byCode('301'))
  t.equal(endpoint.hits(), hits, 'no query before the retry time')

  time.advance(5000)
  t.match((await fleet.summary()).view.notice, /next try after 2023-11-14T22:13:50\.000Z/, 'the failed retry doubles the wait to 20 s')
  await until('the retry\'s queries', async () => endpoint.hits() === hits + 2 ? true : undefined, 5000, 10)
  t.equal(logs.length, 1, 'still one line for the outage')
  t.notMatch(logs[0], /s3cret/, 'header values are never logged')

  endpoint.answer(prometheusLike(7))
  time.advance(20_000)
  const summary = await fleet.summary()
  t.equal(summary.view.source, 'fleet')
  t.equal(summary.view.label, 'fleet: 2 instances')
  t.equal(summary.view.notice, null)
  t.equal(summary.total_errors, 7)
  t.ok(Value.Check(MetricsSummarySchema, summary), 'the fleet answer has the schema')
  t.same(logs.slice(1), [`info errcodes metrics: Prometheus at ${endpoint.url} answers again; the dashboard shows the fleet`])

  const reads = endpoint.hits()
  const [top, detail] = await Promise.all([fleet.top(10), fleet.byCode('USER_NOT_FOUND')])
  t.equal(endpoint.hits(), reads, 'a reading under a second old is reused')
  t.ok(Value.Check(TopErrorsSchema, top))
  t.same(top.errors.map(e => [e.error_code, e.count, e.status_counts]), [[301, 7, { 404: 7 }]])
  t.ok(Value.Check(CodeDetailSchema, detail))
  t.equal(detail?.count, 7)
  t.equal(detail?.buckets.at(-1)?.count, 7, 'the last bucket holds the chart point at the reading time')
  t.equal(detail?.recent.length, 1, 'recent events are this instance\'s')
  t.equal(detail?.view.label, 'fleet: 2 instances', 'the counts are the fleet\'s')
  t.same({ ...detail?.recent_view, read_at: 'x' }, { source: 'instance', label: 'this instance', instances: 1, read_at: 'x', notice: null }, 'and the recent events say they are this instance\'s')
  t.equal(detail?.first_seen, null, 'Prometheus counters do not know when a code was first seen')
  t.equal(detail?.last_seen, summary.timestamp, 'last_seen is the end of the last bucket with errors (here the one ending at the reading)')
  t.equal(await fleet.byCode('999'), undefined, 'a code neither the fleet nor the catalog knows')
  t.equal((await fleet.byCode('VALIDATION_FAILED'))?.count, 0, 'a catalog code the fleet has not seen counts 0')
})

t.test('totals are the chart\'s errors over its window: a restarted replica\'s errors stay in both', async t => {
  const endpoint = await standIn(t)
  // The counters now sum to 3 (the replica that had 2 restarted); the window saw 2 + 3.
  endpoint.answer(prometheusLikeWith({ error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: '404' }, 3, '2', 2))
  const { metrics } = setup(endpoint.url)
  const summary = await metrics.fleet?.summary()
  t.equal(summary?.view.source, 'fleet')
  t.equal(summary?.total_errors, 5)
  t.same(summary?.name_counts, { USER_NOT_FOUND: 5 })
  t.same(summary?.status_counts, { 404: 5 })
  t.equal(summary?.buckets.reduce((n, b) => n + b.total, 0), 5, 'the chart counts the same errors')
  t.equal(summary?.totals_window_seconds, (summary?.bucket_seconds ?? 0) * (summary?.buckets.length ?? 0), 'the totals say which window they cover')
  t.ok(Value.Check(MetricsSummarySchema, summary))
  t.same((await metrics.fleet?.top(5))?.errors.map(e => e.count), [5])
  t.equal(metrics.summary().totals_window_seconds, null, 'this instance\'s totals are since its start')
})

t.test('through the routes: a bad answer is a 200 with the local view and its notice', async t => {
  const endpoint = await standIn(t)
  endpoint.answer((_req, res) => res.end('not json'))
  const { metrics } = setup(endpoint.url)
  const { server, base } = await serve(metrics)
  t.teardown(() => server.close())
  for (const path of ['/api/metrics/summary', '/api/metrics/top-errors', '/api/metrics/by-code/301']) {
    const res = await fetch(base + path)
    t.equal(res.status, 200, path)
    const body = await res.json() as { view: { source: string, notice: string } }
    t.equal(body.view.source, 'instance', path)
    t.match(body.view.notice, /not JSON/, path)
  }
})

t.test('without a selector, one warning at start says every job is summed; with one, none', async t => {
  const logs: string[] = []
  const logger = { warn: (m: string) => logs.push(m) }
  createMetrics({ catalog: errors, fleet: { url: 'http://127.0.0.1:9', logger } })
  t.same(logs, ['errcodes metrics: option "fleet.selector" is not set, so the fleet view sums every job Prometheus at http://127.0.0.1:9 scrapes with errcodes_* metrics; set it (e.g. job="users") when Prometheus scrapes several services'])
  createMetrics({ catalog: errors, fleet: { url: 'http://127.0.0.1:9', selector: 'job="users"', logger } })
  t.equal(logs.length, 1)
})

t.test('without the fleet option every answer says "this instance" and has no notice', async t => {
  const metrics = createMetrics({ catalog: errors })
  t.equal(metrics.fleet, undefined)
  t.same({ ...metrics.summary().view, read_at: 'x' }, { source: 'instance', label: 'this instance', instances: 1, read_at: 'x', notice: null })
})

t.test('one instance, a series without labels, codes only other services have, zero and out-of-window points', async t => {
  const endpoint = await standIn(t)
  const gateway = { error_code: '777', error_name: 'GATEWAY_DOWN', domain: 'PAYMENT', status_code: '502' }
  endpoint.answer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/prom/api/v1/query_range') return json({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '1'] }] } })(req, res)
    const end = Number(url.searchParams.get('end'))
    const start = Number(url.searchParams.get('start'))
    json({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          // Series summed without their labels (another exporter's relabelling): counted as _OTHER.
          { metric: {}, values: [[end, '2']] },
          // A code of another service behind the same Prometheus; one point before the window, one zero.
          { metric: gateway, values: [[start - 3600, '9'], [end - 60, '0'], [end, '4']] },
          // An overflow series (the label cap) without a numeric code.
          { metric: { error_code: '_OTHER', error_name: '_OTHER', status_code: '_OTHER' }, values: [[end, '1']] },
          // A series that saw no error in the window.
          { metric: { error_code: '301', error_name: 'USER_NOT_FOUND', domain: 'RESOURCE', status_code: '404' }, values: [[end, '0']] }
        ]
      }
    })(req, res)
  })
  const { metrics } = setup(endpoint.url, { timeout: 10_000 })
  const fleet = metrics.fleet
  if (fleet === undefined) throw new Error('no fleet view')
  const summary = await fleet.summary()
  t.equal(summary.view.label, 'fleet: 1 instance')
  t.equal(summary.total_errors, 7, 'the point before the window and the zero points count nothing')
  t.same(summary.error_counts, { _OTHER: 3, 777: 4 })
  t.same(summary.name_counts, { _OTHER: 3, GATEWAY_DOWN: 4 })
  t.same(summary.status_counts, { _OTHER: 3, 502: 4 })
  t.ok(Value.Check(MetricsSummarySchema, summary))
  const top = await fleet.top(10)
  t.same(top.errors.map(e => [e.error_code, e.error_name, e.domain, e.count]), [[777, 'GATEWAY_DOWN', 'PAYMENT', 4], [null, '_OTHER', '_OTHER', 3]])
  t.ok(Value.Check(TopErrorsSchema, top))
  const detail = await fleet.byCode('777')
  t.match(detail, { error_code: 777, error_name: 'GATEWAY_DOWN', count: 4, recent: [] }, 'a code this instance never saw has no recent events here')
  t.equal(detail?.buckets.reduce((n, b) => n + b.count, 0), 4)
  t.ok(Value.Check(CodeDetailSchema, detail))
})

t.test('an instance count split over several series is refused', async t => {
  const endpoint = await standIn(t)
  endpoint.answer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/prom/api/v1/query_range') return json({ status: 'success', data: { resultType: 'matrix', result: [] } })(req, res)
    json({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: [0, '1'] }, { metric: { job: 'b' }, value: [0, '1'] }] } })(req, res)
  })
  const { metrics } = setup(endpoint.url, { timeout: 10_000 })
  t.match((await metrics.fleet?.summary())?.view.notice, /an instance count that is not one integer from 0 to 100000 \(wrong shape\)/)
})
