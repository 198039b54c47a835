import { createRequire } from 'node:module'
import type { ResolvedSentryOptions, SentryClientLike } from './sentry-options.js'

/** The `@sentry/node` module. */
export type SentryModule = typeof import('@sentry/node')
type BeforeSend = (event: any, hint: any) => any

/**
 * Loads `@sentry/node` synchronously, so that a missing optional peer is a TypeError at
 * `createMetrics` (never a silent drop later), and the client exists before the first error.
 */
export function loadSentry (): SentryModule {
  try {
    return createRequire(import.meta.url)('@sentry/node') as SentryModule
  } catch (cause) {
    const missing = (cause as { code?: unknown }).code === 'MODULE_NOT_FOUND'
    throw new TypeError(missing
      ? 'createMetrics: option "sentry.dsn" needs the optional peer dependency @sentry/node, which is not installed (npm install @sentry/node), or pass "sentry.client"'
      : `createMetrics: option "sentry.dsn": @sentry/node could not be loaded (${String((cause as Error)?.message).slice(0, 200)})`, { cause })
  }
}

/**
 * The reporter's own client for `sentry: { dsn }`. It is not made the global client (no `Sentry.init`),
 * so the application's own Sentry setup, if any, is left alone.
 */
export function createOwnClient (Sentry: SentryModule, options: ResolvedSentryOptions, beforeSend: BeforeSend): SentryClientLike {
  const client = new Sentry.NodeClient({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    transport: Sentry.makeNodeTransport,
    stackParser: Sentry.defaultStackParser,
    // The cause chain and AggregateError members become linked exceptions, as in Sentry's default setup.
    integrations: [],
    sendClientReports: false,
    enableRuntimeChannelInjection: false,
    beforeSend
  })
  if (Sentry.isInitialized()) {
    // The application ran Sentry.init: its async-context strategy (scopes that follow OpenTelemetry's
    // context) must stay. `init()` would replace it, so only the integration is set up.
    client.addIntegration(Sentry.linkedErrorsIntegration())
  } else {
    // init() installs an AsyncLocalStorage strategy: `Sentry.withIsolationScope` then follows each
    // request across awaits, which is what gives every event its own request's scope.
    client.getOptions().integrations.push(Sentry.linkedErrorsIntegration())
    client.init()
  }
  return client as unknown as SentryClientLike
}
