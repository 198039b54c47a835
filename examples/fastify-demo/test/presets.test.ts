import t, { type Tap } from 'tap'
import { createHook } from 'node:async_hooks'
import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { Type, defineErrors, development, disabled, fromEnv, production, testing, type ErrcodesConfig } from '@errcodes/core'

// One preset configures all five packages, driven the way a user wires them: core's catalog from the top
// level, then createI18n, createMetrics, createTracing and the plugin from their sections, on a real
// Fastify. It lives in the demo because core may not depend on the other packages, and this example
// installs all five.

const LOCALES = fileURLToPath(new URL('../locales', import.meta.url))
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0'
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

/** Everything a user builds from one configuration, plus the log lines and a way to close it all. */
async function wire (p: ErrcodesConfig, serviceName = 'users') {
  const errors = defineErrors({
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }) }
  }, { stackTraces: p.stackTraces, check: p.check })
  const i18n = createI18n(p.i18n)
  const metrics = createMetrics({ ...p.metrics, catalog: errors })
  const tracing = createTracing({ serviceName, ...p.tracing })
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done() } })
  const app = Fastify({ logger: { level: 'info', stream } })
  await app.register(errorCodes, { ...p.fastify, catalog: errors, i18n, metrics, tracing })
  app.get('/users/:id', async (request) => { throw errors.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
  return { errors, i18n, metrics, tracing, app, lines }
}

/** A local OTLP/HTTP receiver: what production's exporter sends arrives here. */
async function otlpReceiver (t: Tap.Test): Promise<{ url: string, bodies: string[] }> {
  const bodies: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (c: string) => { body += c }).on('end', () => { bodies.push(body); res.writeHead(200, { 'content-type': 'application/json' }).end('{}') })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.close() })
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/v1/traces`, bodies }
}

t.test('each preset configures all five packages on a real Fastify', async t => {
  const receiver = await otlpReceiver(t)
  const expected = {
    development: { debugBody: true, stack4xx: true, checkThrows: true, traced: true, metricsRoute: true, exemplar: true, logs: true },
    production: { debugBody: false, stack4xx: false, checkThrows: false, traced: true, metricsRoute: true, exemplar: true, logs: true },
    testing: { debugBody: false, stack4xx: true, checkThrows: true, traced: true, metricsRoute: true, exemplar: false, logs: false },
    disabled: { debugBody: false, stack4xx: false, checkThrows: false, traced: false, metricsRoute: false, exemplar: false, logs: true }
  }
  const presets = { development, production, testing, disabled }
  for (const [name, want] of Object.entries(expected)) {
    const p = presets[name as keyof typeof presets]({ i18n: { dir: LOCALES }, ...(name === 'production' ? { tracing: { url: receiver.url } } : {}) })
    const { errors, i18n, metrics, tracing, app, lines } = await wire(p)

    // Core: the catalog's stack policy and run-time check come from the top level.
    t.equal(/\n\s+at /.test(errors.USER_NOT_FOUND.create({ userId: '1' }).stack ?? ''), want.stack4xx, `${name}: a 4xx captures a stack`)
    const bad = (): unknown => errors.USER_NOT_FOUND.create({ userId: 1 } as never)
    if (want.checkThrows) t.throws(bad, TypeError, `${name}: check throws`)
    else t.doesNotThrow(bad, `${name}: check cleans`)

    // The plugin, i18n and tracing on one failing request.
    const res = await app.inject({ url: '/users/42', headers: { 'accept-language': 'ko', traceparent: TRACEPARENT } })
    t.equal(res.statusCode, 404, name)
    const body = res.json()
    t.equal(body.message, '사용자 42을(를) 찾을 수 없습니다', `${name}: i18n reads the locales folder`)
    t.equal('stack' in body, want.debugBody, `${name}: debug body`)
    t.equal(body.trace_id, want.traced ? '0af7651916cd43dd8448eb211c80319c' : undefined, `${name}: trace id`)
    t.equal(res.headers['x-trace-id'], want.traced ? '0af7651916cd43dd8448eb211c80319c' : undefined, `${name}: X-Trace-ID`)
    t.equal(lines.some(l => l.error_name === 'USER_NOT_FOUND'), want.logs, `${name}: the plugin's log line`)

    // Metrics: the route, the count, the exemplar.
    const scrape = await app.inject({ url: '/metrics', headers: { accept: OPENMETRICS } })
    t.equal(scrape.statusCode, want.metricsRoute ? 200 : 404, `${name}: /metrics`)
    if (want.metricsRoute) {
      t.match(scrape.body, /errcodes_errors_total\{error_code="301",error_name="USER_NOT_FOUND",domain="RESOURCE",status_code="404"\} 1/, `${name}: counted`)
      t.equal(scrape.body.includes('# {trace_id="0af7651916cd43dd8448eb211c80319c"}'), want.exemplar, `${name}: exemplar`)
    } else {
      t.equal(scrape.json().error_name, 'ROUTE_NOT_FOUND', 'disabled: a coded 404, the plugin is still on')
      t.equal(metrics.summary().total_errors, 0, 'disabled: nothing counted')
    }
    await app.close()
    i18n.close()
    await tracing.shutdown()
  }
  t.equal(receiver.bodies.length, 1, 'production\'s span went to the URL of its section')
})

t.test('tracing: production sends to the standard OTLP endpoint; development and testing, set up the same way, send nothing', async t => {
  const receiver = await otlpReceiver(t)
  const before = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url
  t.teardown(() => { if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; else process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = before })
  for (const preset of [testing, development, production]) {
    const { app, tracing, i18n } = await wire(preset())
    await app.inject('/users/7')
    await app.close()
    await tracing.shutdown()
    i18n.close()
    t.equal(receiver.bodies.length, preset === production ? 1 : 0, `${preset.name}: exports`)
  }
  t.match(receiver.bodies[0], /USER_NOT_FOUND/, 'the span carries the error code')
})

// Node's own Date-header cache timer (one per process, made by the first response) is not ours.
const OURS = (stack: string): boolean => !stack.includes('node:internal/http')

/** The timers, file watchers and sockets `fn` creates and leaves open. */
async function leftOpen (fn: () => Promise<void>): Promise<string[]> {
  const live = new Map<number, string>()
  const hook = createHook({
    init (id, type) { if (type === 'Timeout' || type === 'FSEVENTWRAP' || type === 'TCPWRAP') live.set(id, `${type} ${new Error().stack ?? ''}`) },
    destroy (id) { live.delete(id) }
  }).enable()
  try {
    await fn()
    await new Promise(resolve => setImmediate(resolve))
  } finally {
    hook.disable()
  }
  return [...live.values()].filter(OURS).map(s => s.split(' ')[0])
}

t.test('testing leaves no timer, watcher or socket open, even when a suite forgets close() and shutdown()', async t => {
  const receiver = await otlpReceiver(t)
  const closers: Array<() => Promise<void>> = []
  t.teardown(async () => { for (const close of closers) await close() })
  const run = (p: ErrcodesConfig) => leftOpen(async () => {
    const { app, i18n, tracing } = await wire(p)
    closers.push(async () => { i18n.close(); await tracing.shutdown() })
    await app.inject({ url: '/users/1', headers: { traceparent: TRACEPARENT } })
    await app.inject('/metrics')
    await app.close()
  })
  t.same(await run(testing({ i18n: { dir: LOCALES } })), [], 'testing: nothing left')
  t.same(await run(disabled({ i18n: { dir: LOCALES } })), [], 'disabled: nothing left')
  // The same check sees what the other presets keep until closed: it can fail.
  t.same(await run(development({ i18n: { dir: LOCALES } })), ['FSEVENTWRAP'], 'development: the locales watcher, until i18n.close()')
  t.same(await run(production({ tracing: { url: receiver.url } })), ['Timeout'], 'production: the span batch timer, until tracing.shutdown()')
})

t.test('fromEnv switches packages off one by one', async t => {
  const p = fromEnv({ ERRCODES_PRESET: 'testing', ERRCODES_METRICS_ENABLED: 'false', ERRCODES_TRACING_ENABLED: 'false', ERRCODES_FORMAT: 'problem', ERRCODES_DEFAULT_LOCALE: 'ko' }, { i18n: { dir: LOCALES } })
  const { app, tracing, i18n } = await wire(p)
  t.teardown(async () => { await app.close(); i18n.close(); await tracing.shutdown() })
  const res = await app.inject({ url: '/users/42', headers: { traceparent: TRACEPARENT } })
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'ERRCODES_FORMAT reached the plugin')
  t.equal(res.json().detail, '사용자 42을(를) 찾을 수 없습니다', 'ERRCODES_DEFAULT_LOCALE reached createI18n')
  t.equal(res.headers['x-trace-id'], undefined, 'ERRCODES_TRACING_ENABLED=false reached createTracing')
  t.equal((await app.inject('/metrics')).statusCode, 404, 'ERRCODES_METRICS_ENABLED=false reached createMetrics')
})
