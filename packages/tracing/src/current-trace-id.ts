import { context, isSpanContextValid, trace } from '@opentelemetry/api'

/** The trace id (32 lowercase hex) of the active span, or undefined outside any valid span. */
export function currentTraceId (): string | undefined {
  const span = trace.getSpan(context.active())
  if (span === undefined) return undefined
  const spanContext = span.spanContext()
  return isSpanContextValid(spanContext) ? spanContext.traceId : undefined
}
