import type { TracerProvider } from '@opentelemetry/api'
import type { SpanExporter } from '@opentelemetry/sdk-trace-base'
import { rejectUnknownKeys } from '@errcodes/core/internal'

/** Which exporter a built provider sends spans to. */
export type ExporterChoice = 'otlp' | 'console' | 'none' | SpanExporter

/** BatchSpanProcessor limits; every one keeps memory and shutdown time bounded when the collector is away. */
export interface BatchOptions {
  /** Spans kept while the exporter is busy; more are dropped. Default 2048. */
  readonly maxQueueSize?: number
  /** Spans per export request. Default 512 (at most maxQueueSize). */
  readonly maxExportBatchSize?: number
  /** Delay between two exports. Default 5000 ms. */
  readonly scheduledDelayMillis?: number
  /** How long one export (and the OTLP request) may take. Default 10000 ms. */
  readonly exportTimeoutMillis?: number
}

/** Options of createTracing. */
export interface TracingOptions {
  /** `false`: no spans, no provider, no context manager, no trace ids (the `disabled` preset). Default true. */
  readonly enabled?: boolean
  /** `service.name` of the built provider's resource. Required unless `tracerProvider` is given. */
  readonly serviceName?: string
  /** `service.version` of the resource. */
  readonly serviceVersion?: string
  /** `deployment.environment.name` (and the older `deployment.environment`) of the resource. */
  readonly environment?: string
  /** Where spans go. Default 'otlp'. */
  readonly exporter?: ExporterChoice
  /** OTLP/HTTP traces URL (`http://collector:4318/v1/traces`); default from the OTEL_EXPORTER_OTLP_* variables. */
  readonly url?: string
  /** Extra headers of the OTLP requests (an API key of a hosted backend). */
  readonly headers?: Readonly<Record<string, string>>
  /** Share of new traces kept, 0 to 1; a caller's sampled flag wins (parent-based). Default 1. */
  readonly sampleRate?: number
  /** BatchSpanProcessor and export limits. */
  readonly batch?: BatchOptions
  /** A provider to use instead of building one; then no exporter, resource or sampler option applies. */
  readonly tracerProvider?: TracerProvider
  /** Record 4xx errors like 5xx ones (error.type and an exception event); the status stays unset. Default false. */
  readonly recordClientErrors?: boolean
  /** Register an AsyncLocalStorage context manager when none is registered. Default true. */
  readonly contextManager?: boolean
}

/** Options after validation, with defaults applied. */
export interface ResolvedTracingOptions {
  readonly enabled: boolean
  readonly serviceName: string
  readonly serviceVersion: string | undefined
  readonly environment: string | undefined
  readonly exporter: ExporterChoice
  readonly url: string | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  readonly sampleRate: number
  readonly batch: Required<BatchOptions>
  readonly tracerProvider: TracerProvider | undefined
  readonly recordClientErrors: boolean
  readonly contextManager: boolean
}

/** Every option `createTracing` takes (the README's options table is checked against it). */
export const OPTION_KEYS: ReadonlyArray<keyof TracingOptions> = ['enabled', 'serviceName', 'serviceVersion', 'environment', 'exporter', 'url', 'headers', 'sampleRate', 'batch', 'tracerProvider', 'recordClientErrors', 'contextManager']
// Options that configure a provider we build; meaningless (so rejected) next to a given provider.
const BUILD_ONLY = ['serviceName', 'serviceVersion', 'environment', 'exporter', 'url', 'headers', 'sampleRate', 'batch'] as const
const BATCH_KEYS = ['maxQueueSize', 'maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis'] as const
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** Validates createTracing's options once; a bad option throws a TypeError naming it. */
export function resolveOptions (options: TracingOptions | undefined): ResolvedTracingOptions {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new TypeError('createTracing: options must be an object such as { serviceName: "users" }')
  }
  rejectUnknownKeys('createTracing', options, OPTION_KEYS)
  const o = options as Record<string, unknown>
  const tracerProvider = o.tracerProvider
  if (tracerProvider !== undefined) {
    if (typeof tracerProvider !== 'object' || tracerProvider === null || typeof (tracerProvider as TracerProvider).getTracer !== 'function') {
      throw new TypeError('createTracing: tracerProvider must be an OpenTelemetry TracerProvider (an object with getTracer())')
    }
    for (const key of BUILD_ONLY) {
      if (o[key] !== undefined) throw new TypeError(`createTracing: ${key} configures a provider createTracing builds; it cannot be combined with tracerProvider (configure your provider instead)`)
    }
  }
  const enabled = flag(o.enabled, 'enabled', true)
  // Switched off, nothing is built, so no name is needed; one given is still checked.
  const serviceName = tracerProvider === undefined ? text(o.serviceName, 'serviceName', enabled) : ''
  const exporter = exporterOf(o.exporter)
  if (exporter !== 'otlp' && o.url !== undefined) throw new TypeError('createTracing: url applies only to exporter "otlp"')
  if (exporter !== 'otlp' && o.headers !== undefined) throw new TypeError('createTracing: headers apply only to exporter "otlp"')
  return {
    enabled,
    serviceName: serviceName ?? '',
    serviceVersion: text(o.serviceVersion, 'serviceVersion', false),
    environment: text(o.environment, 'environment', false),
    exporter,
    url: urlOf(o.url),
    headers: headersOf(o.headers),
    sampleRate: rateOf(o.sampleRate),
    batch: batchOf(o.batch),
    tracerProvider: tracerProvider as TracerProvider | undefined,
    recordClientErrors: flag(o.recordClientErrors, 'recordClientErrors', false),
    contextManager: flag(o.contextManager, 'contextManager', true)
  }
}

function text (value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string' || value.trim() === '' || value.length > 256 || CONTROL.test(value)) {
    throw new TypeError(`createTracing: ${name} must be a non-empty string of at most 256 printable characters${required ? ' (required unless tracerProvider is given)' : ''}`)
  }
  return value
}

function flag (value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new TypeError(`createTracing: ${name} must be a boolean`)
  return value
}

function exporterOf (value: unknown): ExporterChoice {
  if (value === undefined) return 'otlp'
  if (value === 'otlp' || value === 'console' || value === 'none') return value
  if (typeof value === 'object' && value !== null && typeof (value as SpanExporter).export === 'function' && typeof (value as SpanExporter).shutdown === 'function') {
    return value as SpanExporter
  }
  throw new TypeError('createTracing: exporter must be "otlp", "console", "none" or a SpanExporter (an object with export() and shutdown())')
}

function urlOf (value: unknown): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = typeof value === 'string' ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError('createTracing: url must be an http(s) URL such as "http://localhost:4318/v1/traces"')
  }
  return value as string
}

function headersOf (value: unknown): Readonly<Record<string, string>> | undefined {
  if (value === undefined) return undefined
  const bad = new TypeError('createTracing: headers must be an object of header names to string values')
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || CONTROL.test(v)) throw bad
    out[k] = v
  }
  return out
}

function rateOf (value: unknown): number {
  if (value === undefined) return 1
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new TypeError('createTracing: sampleRate must be a number from 0 to 1')
  }
  return value
}

function batchOf (value: unknown): Required<BatchOptions> {
  const out = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 10000 }
  if (value === undefined) return out
  if (typeof value !== 'object' || value === null) throw new TypeError('createTracing: batch must be an object')
  rejectUnknownKeys('createTracing', value, BATCH_KEYS, 'batch')
  for (const key of Object.keys(value)) {
    const n = (value as Record<string, unknown>)[key]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 3_600_000) {
      throw new TypeError(`createTracing: batch.${key} must be a positive integer`)
    }
    out[key as keyof typeof out] = n
  }
  if ((value as BatchOptions).maxExportBatchSize === undefined) out.maxExportBatchSize = Math.min(out.maxExportBatchSize, out.maxQueueSize)
  if (out.maxExportBatchSize > out.maxQueueSize) throw new TypeError('createTracing: batch.maxExportBatchSize must not exceed batch.maxQueueSize')
  return out
}
