import { ProxyTracerProvider } from '@opentelemetry/api'
import type { Tracing } from './create-tracing.js'

/**
 * What `createTracing({ enabled: false })` returns: the Tracing API doing nothing. No provider is built
 * and no global is touched; `startRequest` answers no scope, so the plugin adds no trace id, header or
 * span. A proxy provider with no delegate hands out OpenTelemetry's no-op tracer (never the global one,
 * which may be a real SDK's).
 */
export function disabledTracing (): Tracing {
  const provider = new ProxyTracerProvider()
  return {
    tracer: provider.getTracer('@errcodes/tracing'),
    provider,
    contextPropagation: false,
    startRequest: () => undefined,
    withScope: (_scope, fn) => { fn() },
    recordError: () => {},
    finishRequest: () => {},
    forceFlush: async () => {},
    shutdown: async () => {}
  }
}
