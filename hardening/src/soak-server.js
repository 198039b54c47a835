// The soak's system under test: the demo app with every port on, in its own process so that its
// heap and RSS are measured alone. Talks to its parent over IPC: sends { port }, answers 'mem'.
import { createWriteStream } from 'node:fs'
import { buildApp } from '@errcodes-examples/fastify-demo/src/app.js'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'

const sink = process.env.ERRCODES_SOAK_SINK
if (sink === undefined || typeof process.send !== 'function') {
  console.error('soak-server runs as a child of hardening/src/soak.js')
  process.exit(2)
}

const sinkUrl = new URL(sink)
const observability = {
  i18n: createI18n({ dir: new URL('../../examples/fastify-demo/locales', import.meta.url), defaultLocale: 'en' }),
  metrics: createMetrics({ labels: { method: true, route: true }, sentry: { dsn: `http://public@${sinkUrl.host}/1`, environment: 'soak' } }),
  tracing: createTracing({ serviceName: 'errcodes-soak', exporter: 'otlp', url: `${sink}/v1/traces` })
}
// Logging on at info, as in production, written where it costs a real write.
const app = await buildApp({ logger: { level: 'info', stream: createWriteStream('/dev/null') }, observability })
await app.listen({ host: '127.0.0.1', port: 0 })

function memory () {
  globalThis.gc?.()
  globalThis.gc?.()
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, rss: m.rss }
}

process.on('message', async (message) => {
  if (message === 'mem') process.send({ type: 'mem', ...memory() })
  if (message === 'flush') {
    await observability.tracing.forceFlush()
    await observability.metrics.flush(2000)
    process.send({ type: 'flushed', sentryDropped: observability.metrics.sentryDropped })
  }
  if (message === 'close') {
    await app.close()
    await observability.tracing.shutdown()
    await observability.metrics.close(1000)
    process.exit(0)
  }
})
process.send({ type: 'ready', port: app.server.address().port })
