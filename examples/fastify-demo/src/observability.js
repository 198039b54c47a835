import { randomBytes } from 'node:crypto'
import { createTokenGuard } from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'

/**
 * The optional ports the demo switches on, each from its own package; the app works with any subset
 * (see examples/a-la-carte). Spans go to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set
 * (Jaeger, Tempo, …); otherwise they are made (trace ids in bodies and logs) but not exported.
 * The ops routes (`/metrics`, `/api/metrics/*`, the dashboard) answer only requests carrying
 * `opsToken` (Bearer, or HTTP Basic with the token as password); without one a random token nobody
 * knows closes them, so forgetting it never opens them.
 */
export function demoObservability ({ serviceVersion = '1.0.0', opsToken = newOpsToken() } = {}) {
  const otlp = process.env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
  return {
    i18n: createI18n({ dir: new URL('../locales', import.meta.url), defaultLocale: 'en' }),
    metrics: createMetrics({ labels: { method: true, route: true } }),
    tracing: createTracing({ serviceName: 'errcodes-demo', serviceVersion, exporter: otlp ? 'otlp' : 'none' }),
    routes: { onRequest: createTokenGuard({ token: opsToken }) }
  }
}

/** A fresh random token for the ops routes (32 URL-safe characters). */
export function newOpsToken () {
  return randomBytes(24).toString('base64url')
}
