import { fileURLToPath } from 'node:url'
import { fromEnv } from '@errcodes/core'

const LOCALES = fileURLToPath(new URL('../locales', import.meta.url))

/**
 * The demo's configuration for every package: the development preset (production under
 * NODE_ENV=production) unless `ERRCODES_PRESET` names another, the demo's own defaults (its locales, the method and route labels, its service name), then
 * any other `ERRCODES_*` variable (the table in packages/core/README.md). Under the development preset
 * spans are made (trace ids in bodies and logs) but not exported; under production (or with
 * ERRCODES_TRACING_EXPORTER=otlp) they go over OTLP to ERRCODES_TRACING_URL, else
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318.
 */
export function demoConfig (env = process.env) {
  return fromEnv(env, {
    // Like core's own defaults (stack traces, the run-time check), NODE_ENV=production means production.
    preset: env.NODE_ENV === 'production' ? 'production' : 'development',
    i18n: { dir: LOCALES },
    metrics: { labels: { method: true, route: true } },
    tracing: { serviceName: 'errcodes-demo' }
  })
}

/** The configuration from the environment at start, read once (a typo warns once). */
export const config = demoConfig()
