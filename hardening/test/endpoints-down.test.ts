import t from 'tap'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { errors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { deadPort, faultLines, logCapture, startEndpoint, tick, watchRejections, type Endpoint } from './fixtures/harness.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed }

/** Resolves to true if `promise` settles within `ms`. */
async function within (promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), ms) })
  const done = promise.then(() => true, () => true)
  const result = await Promise.race([done, late])
  clearTimeout(timer)
  return result
}

for (const mode of ['down', 'hold', 'fail'] as const) {
  const what = mode === 'down' ? 'down (nothing listens)' : mode === 'hold' ? 'slow (never answers)' : 'answering 500'
  t.test(`Sentry and the OTLP collector ${what}: responses correct, no unhandled rejection, heap bounded, shutdown bounded`, async t => {
    const rejections = watchRejections(t)
    let endpoint: Endpoint | undefined
    let base: string
    if (mode === 'down') {
      base = `http://127.0.0.1:${await deadPort()}`
    } else {
      endpoint = await startEndpoint(mode)
      base = endpoint.url
    }
    const cap = logCapture(50)
    const metrics = createMetrics({ sentry: { dsn: `http://public@${new URL(base).host}/1` } })
    const tracing = createTracing({ serviceName: 'down', url: `${base}/v1/traces`, batch: { scheduledDelayMillis: 50, exportTimeoutMillis: 500, maxQueueSize: 256 } })
    const app = Fastify({ logger: { level: 'info', stream: cap.stream }, disableRequestLogging: true })
    await app.register(errorCodes, { catalog: errors, metrics, tracing })
    app.get('/crash', async () => { throw new Error('database down') })
    app.get('/users/:id', async (request) => { throw errors.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
    t.teardown(async () => { await app.close(); await endpoint?.close() })

    let wrong = 0
    let start = 0
    const rounds = Number(process.env.ROUNDS ?? 600)
    for (let i = -50; i < rounds; i++) {
      if (i === 0) {
        // @sentry/node is imported lazily on first use: a one-time cost, not growth. Measure after it.
        t.ok(await within(metrics.flush(100), 30_000), 'the Sentry SDK is loaded')
        start = heap()
      }
      const [a, b] = await Promise.all([app.inject('/crash'), app.inject(`/users/${i}`)])
      if (a.statusCode !== 500 || a.json().error_name !== 'INTERNAL_ERROR') wrong++
      if (b.statusCode !== 404 || b.json().error_name !== 'USER_NOT_FOUND') wrong++
      // Give the SDKs' timers and sockets a turn now and then, as a real server's idle moments would.
      if (i % 50 === 0) await new Promise(resolve => setTimeout(resolve, 60))
    }
    t.equal(wrong, 0, `${(rounds + 50) * 2} responses, all correct`)
    await tick()
    const grown = heap() - start
    // Sentry's queue (100) and the span queue (256) are bounded. The SDKs' own transports keep some
    // state while an endpoint hangs or fails (a few MiB over 600 rounds, measured); the bound catches
    // anything proportional to the traffic, which would be tens of MiB here.
    t.ok(grown < 16 * 1024 * 1024, `heap grew ${(grown / 1024).toFixed(0)} KiB`)
    t.same(faultLines(cap.lines), [], 'exporter trouble is not a port fault: the ports answered at once')
    t.ok(metrics.sentryDropped >= 0)
    t.ok(await within(tracing.shutdown(), 5000), 'tracing.shutdown() returns although the collector is ' + what)
    t.ok(await within(metrics.close(1000), 5000), 'metrics.close() returns although Sentry is ' + what)
    if (endpoint !== undefined) t.ok(endpoint.bodies.length > 0, `${endpoint.bodies.length} requests reached the endpoint`)
    await tick()
    t.same(rejections, [])
  })
}
