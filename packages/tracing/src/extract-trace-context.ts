import { ROOT_CONTEXT } from '@opentelemetry/api'
import type { Context, TextMapGetter } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'

/** Incoming headers: Node's `req.headers`, a plain object, or a fetch `Headers`. */
export type HeaderSource = Readonly<Record<string, string | string[] | undefined>> | { get (name: string): string | null }

// Stateless, so one instance serves every caller; it validates traceparent as W3C Trace Context asks.
const propagator = new W3CTraceContextPropagator()

const getter: TextMapGetter<HeaderSource> = {
  keys: carrier => isHeaders(carrier) ? [] : Object.keys(carrier),
  get (carrier, key) {
    if (isHeaders(carrier)) return carrier.get(key) ?? undefined
    const value = (carrier as Record<string, string | string[] | undefined>)[key]
    return typeof value === 'string' || Array.isArray(value) ? value : undefined
  }
}

/**
 * The context of an incoming call's W3C `traceparent`/`tracestate`, based on `base` (default: the root
 * context). An invalid traceparent is ignored, with its tracestate, so the caller starts a new trace.
 */
export function extractTraceContext (headers: HeaderSource, base: Context = ROOT_CONTEXT): Context {
  try {
    return propagator.extract(base, headers, getter)
  } catch {
    return base
  }
}

function isHeaders (carrier: HeaderSource): carrier is { get (name: string): string | null } {
  return typeof (carrier as { get?: unknown }).get === 'function'
}
