import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'

const PROBE = createContextKey('errcodes.tracing.probe')

/** True when the global OpenTelemetry context API carries values across `context.with` (a real manager is registered). */
export function hasContextManager (): boolean {
  // The API's no-op manager ignores the context given to `with`, so a value set here only comes back
  // when someone (NodeSDK, NodeTracerProvider.register(), Sentry, us) registered a working manager.
  return context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true)
}

/**
 * Registers an AsyncLocalStorage context manager when none works yet, and answers whether one works now.
 * This is the only global createTracing ever touches, and only when nothing else did.
 */
export function ensureContextManager (): boolean {
  if (hasContextManager()) return true
  const manager = new AsyncLocalStorageContextManager().enable()
  if (!context.setGlobalContextManager(manager)) manager.disable()
  return hasContextManager()
}
