import type { Context } from '@opentelemetry/api'
import { SpanStatusCode } from '@opentelemetry/api'
import { REDACTED, maskPath, maskString } from '@errcodes/core'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base'

/** Options of the masking span processor. */
export interface MaskingSpanProcessorOptions {
  /** More attribute names whose string values are masked (e.g. `db.statement`). Default none. */
  readonly attributes?: readonly string[]
}

// A stack of 32 KiB is far beyond any real one; the cut keeps masking one span bounded.
const MAX_TEXT = 32768
// Attributes that hold a path (maybe with its query): decoded, stripped of the query and masked.
const PATH_ATTRIBUTES = new Set(['url.path', 'http.target'])
// Attributes that hold a whole URL: credentials masked, path as above, query and fragment dropped.
const URL_ATTRIBUTES = new Set(['url.full', 'http.url', 'url.original'])
// Attributes that are only the query or fragment: never shown (the query string is never reflected).
const DROPPED_ATTRIBUTES = new Set(['url.query', 'url.fragment'])

/**
 * A span processor that masks what other instrumentations put on spans (`@fastify/otel`,
 * `@opentelemetry/instrumentation-http`, your own code): the span name, the status description, the
 * events (`exception` and any other: names and string attributes) and every `url.*` attribute (plus the older `http.target` / `http.url`), with the same
 * masks as `@errcodes/core` (`maskString`, `maskPath`). It works in `onEnding`, the SDK 2.x hook that
 * runs while a span can still be changed and before any exporting processor sees it, so its place in
 * the `spanProcessors` list does not matter. It exports nothing itself.
 */
export class MaskingSpanProcessor implements SpanProcessor {
  private readonly extra: ReadonlySet<string>

  constructor (options: MaskingSpanProcessorOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('MaskingSpanProcessor: options must be an object')
    rejectUnknownKeys('MaskingSpanProcessor', options, ['attributes'])
    const extra = options.attributes ?? []
    if (!Array.isArray(extra) || !extra.every(name => typeof name === 'string' && name !== '')) {
      throw new TypeError('MaskingSpanProcessor: option "attributes" must be an array of attribute names')
    }
    this.extra = new Set(extra)
  }

  onStart (_span: Span, _parentContext: Context): void {}

  onEnding (span: Span): void {
    try {
      maskName(span)
      maskStatus(span)
      maskEvents(span)
      this.maskAttributes(span)
    } catch {
      // Masking must never break the application; an unmaskable span still ends.
    }
  }

  onEnd (_span: ReadableSpan): void {}

  forceFlush (): Promise<void> {
    return Promise.resolve()
  }

  shutdown (): Promise<void> {
    return Promise.resolve()
  }

  private maskAttributes (span: Span): void {
    const attributes = span.attributes
    for (const key in attributes) {
      const value = attributes[key]
      if (typeof value !== 'string') continue
      let masked: string
      if (PATH_ATTRIBUTES.has(key)) masked = maskPath(value)
      else if (URL_ATTRIBUTES.has(key)) masked = maskUrl(value)
      else if (DROPPED_ATTRIBUTES.has(key)) masked = value === '' ? value : REDACTED
      else if (key.startsWith('url.') || this.extra.has(key)) masked = text(value)
      else continue
      if (masked !== value) span.setAttribute(key, masked)
    }
  }
}

/** Span names are templates (`GET /orders/:id`), but instrumentations of raw paths or user code may put values in them. */
function maskName (span: Span): void {
  const masked = text(span.name)
  if (masked !== span.name) span.updateName(masked)
}

function maskStatus (span: Span): void {
  const { code, message } = span.status
  // setStatus keeps a message only with ERROR, and an OK status is final: only ERROR can carry one.
  if (code === SpanStatusCode.ERROR && typeof message === 'string' && message !== '') {
    const masked = text(message)
    if (masked !== message) span.setStatus({ code, message: masked })
  }
}

function maskEvents (span: Span): void {
  // The SDK exposes its own array; events are plain objects, replaced here rather than changed in place.
  const events = span.events as TimedEvent[]
  for (let i = 0; i < events.length; i++) {
    const event = events[i]
    const name = text(event.name)
    let attributes: typeof event.attributes | undefined
    // Every string attribute of every event: `exception.*`, and whatever `span.addEvent` was given.
    for (const key in event.attributes) {
      const value = event.attributes[key]
      if (typeof value !== 'string') continue
      const masked = text(value)
      if (masked === value) continue
      attributes ??= { ...event.attributes }
      attributes[key] = masked
    }
    if (attributes !== undefined || name !== event.name) events[i] = { ...event, name, attributes: attributes ?? event.attributes }
  }
}

/** A full URL: scheme and authority with credentials masked, then the path as maskPath shows it. */
function maskUrl (url: string): string {
  const scheme = url.indexOf('://')
  const from = scheme === -1 ? 0 : scheme + 3
  let pathStart = url.length
  for (const mark of ['/', '?', '#']) {
    const at = url.indexOf(mark, from)
    if (at !== -1 && at < pathStart) pathStart = at
  }
  return text(url.slice(0, pathStart)) + maskPath(url.slice(pathStart))
}

function text (value: string): string {
  return maskString(value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) + '…' : value)
}
