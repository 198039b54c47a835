import { context as contextApi } from '@opentelemetry/api'
import type { Context, TextMapSetter } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'

/** Outgoing headers: a plain object or a fetch `Headers`. */
export type HeaderTarget = Record<string, string | string[] | undefined> | { set (name: string, value: string): void }

// Stateless, so one instance serves every caller.
const propagator = new W3CTraceContextPropagator()

const setter: TextMapSetter<HeaderTarget> = {
  set (carrier, key, value) {
    if (typeof (carrier as { set?: unknown }).set === 'function') (carrier as { set (k: string, v: string): void }).set(key, value)
    else (carrier as Record<string, string>)[key] = value
  }
}

/**
 * Writes W3C `traceparent` (and `tracestate`) of `context` (default: the active one) into `headers` for an
 * outgoing call, and returns `headers`. Writes nothing without a valid span in the context.
 */
export function injectTraceContext<T extends HeaderTarget> (headers: T, context: Context = contextApi.active()): T {
  try {
    propagator.inject(context, headers, setter)
  } catch {
    // A frozen or exotic header object must not break the call being made.
  }
  return headers
}
