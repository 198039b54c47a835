// pnpm soak [--duration s] [--connections n] [--short] [--json]
// Runs the demo app (i18n, metrics + Sentry, tracing over OTLP, logging) in a child process on
// 127.0.0.1 under autocannon, mixing error and happy routes, and reports unexpected statuses,
// latency percentiles and the child's heap/RSS (after a full GC) at start and end.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'

/** Heap growth allowed between the post-warm-up and the final measurement (both after full GC). */
export const HEAP_GROWTH_BOUND = 16 * 1024 * 1024

const json = { 'content-type': 'application/json' }
/**
 * The traffic mix: every request with the only status it may get. A malformed JSON body is left out:
 * Fastify closes the connection after it (the body may be unread), which breaks autocannon's
 * request/response pairing; hardening/test/http-hostile.test.ts covers it.
 */
export const MIX = [
  { method: 'GET', path: '/users/1', expect: 200 },
  { method: 'GET', path: '/users/42', headers: { 'accept-language': 'ko-KR,ko;q=0.9' }, expect: 404 },
  { method: 'GET', path: '/orders/100', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, expect: 200 },
  { method: 'GET', path: '/orders/7', headers: { accept: 'application/problem+json' }, expect: 404 },
  { method: 'GET', path: '/orders/1', headers: { authorization: 'Bearer expired' }, expect: 401 },
  { method: 'POST', path: '/users', headers: json, body: '{"name":"Lee","email":"nope"}', expect: 400 },
  { method: 'POST', path: '/users', headers: json, body: '{"name":"Kim","email":"kim@example.com"}', expect: 409 },
  { method: 'POST', path: '/orders/100/pay', headers: json, body: '{"card":"4242424242424242"}', expect: 200 },
  { method: 'POST', path: '/orders/100/pay', headers: json, body: '{"card":"4111000000000000"}', expect: 402 },
  { method: 'POST', path: '/orders/100/pay', headers: json, body: '{"card":"4242000000005030"}', expect: 503 },
  { method: 'POST', path: '/orders/100/pay', headers: { ...json, 'accept-language': 'ko' }, body: '{"card":"4242000000004290"}', expect: 429 },
  { method: 'GET', path: '/crash', expect: 500 },
  { method: 'GET', path: '/nope?token=abc', expect: 404 },
  { method: 'GET', path: '/users/abc', expect: 400 },
  { method: 'GET', path: '/users/%E0%A4%A', expect: 400 },
  { method: 'GET', path: '/api/metrics/summary', expect: 200 }
]

/** A local endpoint standing in for Sentry and the OTLP collector: reads every body and answers 200. */
async function startSink () {
  const counts = { spans: 0, sentry: 0 }
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url?.startsWith('/v1/traces')) counts.spans++
      else counts.sentry++
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${server.address().port}`, counts, close: () => { server.closeAllConnections(); server.close() } }
}

function ask (child, message, type) {
  const reply = new Promise((resolve) => {
    const on = (m) => { if (m?.type === type) { child.off('message', on); resolve(m) } }
    child.on('message', on)
  })
  child.send(message)
  return reply
}

function load (port, seconds, connections, unexpected) {
  const requests = MIX.map(r => ({
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
    onResponse: (status) => {
      if (status !== r.expect) {
        const key = `${r.method} ${r.path} → ${status} (expected ${r.expect})`
        unexpected.set(key, (unexpected.get(key) ?? 0) + 1)
      }
    }
  }))
  return autocannon({ url: `http://127.0.0.1:${port}`, connections, duration: seconds, requests })
}

/** Runs one soak and returns its numbers; `ok` is false on any unexpected status or heap growth past the bound. */
export async function runSoak ({ duration = 60, connections = 20, warmup = 3 } = {}) {
  const sink = await startSink()
  const child = fork(fileURLToPath(new URL('./soak-server.js', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ERRCODES_SOAK_SINK: sink.url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  try {
    const [ready] = await once(child, 'message')
    const port = ready.port
    const ignored = new Map()
    await load(port, warmup, connections, ignored)
    await ask(child, 'flush', 'flushed')
    const start = await ask(child, 'mem', 'mem')
    const unexpected = new Map()
    const result = await load(port, duration, connections, unexpected)
    const flushed = await ask(child, 'flush', 'flushed')
    const end = await ask(child, 'mem', 'mem')
    const total = result.requests.total
    const wrong = [...unexpected.values()].reduce((a, b) => a + b, 0) + result.errors + result.timeouts
    const growth = end.heapUsed - start.heapUsed
    const report = {
      duration,
      connections,
      routes: MIX.length,
      requests: total,
      requestsPerSecond: Math.round(result.requests.average),
      unexpected: wrong,
      errorRate: total === 0 ? 1 : wrong / total,
      unexpectedByRoute: Object.fromEntries(unexpected),
      socketErrors: result.errors,
      timeouts: result.timeouts,
      latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
      heap: { start: start.heapUsed, end: end.heapUsed, growth, bound: HEAP_GROWTH_BOUND },
      rss: { start: start.rss, end: end.rss },
      exported: { otlpRequests: sink.counts.spans, sentryEnvelopes: sink.counts.sentry, sentryDropped: flushed.sentryDropped }
    }
    return { ...report, ok: total > 0 && wrong === 0 && growth < HEAP_GROWTH_BOUND }
  } finally {
    child.send('close')
    await Promise.race([once(child, 'exit'), new Promise(resolve => setTimeout(resolve, 5000).unref())])
    if (child.exitCode === null) child.kill('SIGKILL')
    sink.close()
  }
}

const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`

/** The report as a few readable lines. */
export function formatReport (r) {
  return [
    `soak: ${r.duration} s, ${r.connections} connections, ${r.routes} routes mixed (errors and happy paths)`,
    `requests      ${r.requests} (${r.requestsPerSecond}/s)`,
    `unexpected    ${r.unexpected} (error rate ${(r.errorRate * 100).toFixed(3)} %)${r.unexpected > 0 ? ' ' + JSON.stringify(r.unexpectedByRoute) : ''}`,
    `latency       p50 ${r.latencyMs.p50} ms · p97.5 ${r.latencyMs.p97_5} ms · p99 ${r.latencyMs.p99} ms · max ${r.latencyMs.max} ms`,
    `heap          ${mib(r.heap.start)} → ${mib(r.heap.end)} (growth ${mib(r.heap.growth)}, bound ${mib(r.heap.bound)})`,
    `rss           ${mib(r.rss.start)} → ${mib(r.rss.end)}`,
    `exported      ${r.exported.otlpRequests} OTLP requests, ${r.exported.sentryEnvelopes} Sentry envelopes (${r.exported.sentryDropped} dropped)`,
    r.ok ? 'PASS' : 'FAIL'
  ].join('\n')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, connections: { type: 'string' }, short: { type: 'boolean' }, json: { type: 'boolean' } } })
  const duration = Number(values.duration ?? (values.short ? 5 : 60))
  const connections = Number(values.connections ?? (values.short ? 10 : 20))
  if (!Number.isInteger(duration) || duration < 1 || duration > 86_400) throw new TypeError('soak: --duration must be whole seconds, 1–86400')
  if (!Number.isInteger(connections) || connections < 1 || connections > 1000) throw new TypeError('soak: --connections must be 1–1000')
  const report = await runSoak({ duration, connections, warmup: values.short ? 2 : 5 })
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report))
  process.exitCode = report.ok ? 0 : 1
}
