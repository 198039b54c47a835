import { randomBytes } from 'node:crypto'
import { createTokenGuard } from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { config as startConfig } from './config.js'

/**
 * The optional ports, each from its own package, built from one configuration; the app works with any
 * subset (see examples/a-la-carte). The ops routes (`/metrics`, `/api/metrics/*`, the dashboard) answer
 * only requests carrying `opsToken` (Bearer, or HTTP Basic with the token as password); without one a
 * random token nobody knows closes them, so forgetting it never opens them.
 */
export function demoObservability ({ serviceVersion = '1.0.0', opsToken = newOpsToken(), config = startConfig } = {}) {
  const routes = config.fastify.routes
  return {
    i18n: createI18n(config.i18n),
    metrics: createMetrics(config.metrics),
    tracing: createTracing({ serviceVersion, ...config.tracing }),
    routes: routes === false ? false : { ...routes, onRequest: createTokenGuard({ token: opsToken }) }
  }
}

/** A fresh random token for the ops routes (32 URL-safe characters). */
export function newOpsToken () {
  return randomBytes(24).toString('base64url')
}
