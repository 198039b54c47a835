import { SpanKind, isSpanContextValid, trace } from '@opentelemetry/api'
import type { Context, Span } from '@opentelemetry/api'
import { RPCType, getRPCMetadata } from '@opentelemetry/core'
import type { RPCMetadata } from '@opentelemetry/core'

/** A server span another instrumentation made for the current request. */
export interface FoundServerSpan {
  readonly span: Span
  /** instrumentation-http's per-request metadata; setting its `route` names its span and sets `http.route`. */
  readonly rpc?: RPCMetadata
}

/**
 * Finds the span that already represents this request, so no second SERVER span is made:
 * 1. instrumentation-http's span, through its RPC metadata (found even below other plugins' hook spans);
 * 2. a span handed in by the caller (`request.opentelemetry().span` of @fastify/otel or Sentry);
 * 3. an active, recording SERVER span.
 */
export function findServerSpan (ctx: Context, hint: unknown): FoundServerSpan | undefined {
  const rpc = getRPCMetadata(ctx)
  if (rpc?.type === RPCType.HTTP && rpc.span !== undefined) return { span: rpc.span, rpc }
  if (isSpan(hint) && isSpanContextValid(hint.spanContext())) return { span: hint }
  const active = trace.getSpan(ctx)
  // An INTERNAL or CLIENT span here belongs to the caller's own code (or a listen-time context), not to this request.
  if (active !== undefined && (active as { kind?: SpanKind }).kind === SpanKind.SERVER && active.isRecording()) return { span: active }
  return undefined
}

function isSpan (value: unknown): value is Span {
  return typeof value === 'object' && value !== null &&
    typeof (value as Span).spanContext === 'function' && typeof (value as Span).setAttribute === 'function'
}
