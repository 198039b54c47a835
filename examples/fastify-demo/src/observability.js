import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'

/**
 * The optional ports the demo switches on, each from its own package; the app works with any subset
 * (see examples/a-la-carte). Spans go to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set
 * (Jaeger, Tempo, …); otherwise they are made (trace ids in bodies and logs) but not exported.
 */
export function demoObservability ({ serviceVersion = '1.0.0' } = {}) {
  const otlp = process.env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
  return {
    i18n: createI18n({ dir: new URL('../locales', import.meta.url), defaultLocale: 'en' }),
    metrics: createMetrics({ labels: { method: true, route: true } }),
    tracing: createTracing({ serviceName: 'errcodes-demo', serviceVersion, exporter: otlp ? 'otlp' : 'none' })
  }
}
