import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources'
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base'
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
import type { ResolvedTracingOptions } from './options.js'

/** A provider createTracing built and owns (it flushes and shuts it down). */
export interface OwnedProvider {
  readonly provider: BasicTracerProvider
  /** Exports what is queued; resolves (never rejects) within the export timeout. */
  forceFlush (): Promise<void>
  /** Flushes and stops; resolves (never rejects) within the export timeout, even with the collector down. */
  shutdown (): Promise<void>
}

/**
 * Builds the provider createTracing uses when none is given: resource, parent-based ratio sampler and a
 * bounded BatchSpanProcessor. It is never registered globally, so other instrumentations are unaffected.
 */
export function buildTracerProvider (options: ResolvedTracingOptions): OwnedProvider {
  const attributes: Record<string, string> = { [ATTR_SERVICE_NAME]: options.serviceName }
  if (options.serviceVersion !== undefined) attributes[ATTR_SERVICE_VERSION] = options.serviceVersion
  if (options.environment !== undefined) {
    // The current name and the pre-1.27 one, which Jaeger, Tempo and most dashboards still read.
    attributes['deployment.environment.name'] = options.environment
    attributes['deployment.environment'] = options.environment
  }
  const exporter = exporterOf(options)
  const spanProcessors: SpanProcessor[] = exporter === undefined
    ? []
    : [new BatchSpanProcessor(exporter, options.batch)]
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(attributes)),
    sampler: new ParentBasedSampler({ root: rootSampler(options.sampleRate) }),
    spanProcessors
  })
  // The processor already bounds each export; this cap also covers an exporter that never calls back.
  const limit = options.batch.exportTimeoutMillis + 1000
  let stopped: Promise<void> | undefined
  return {
    provider,
    forceFlush: () => bounded(provider.forceFlush(), limit),
    shutdown: () => (stopped ??= bounded(provider.shutdown(), limit))
  }
}

/**
 * The sampler of new traces. 1 and 0 get the constant samplers: they decide like a ratio sampler at
 * those rates without parsing the trace id on every request.
 */
function rootSampler (rate: number): Sampler {
  if (rate >= 1) return new AlwaysOnSampler()
  if (rate <= 0) return new AlwaysOffSampler()
  return new TraceIdRatioBasedSampler(rate)
}

function exporterOf (options: ResolvedTracingOptions): SpanExporter | undefined {
  switch (options.exporter) {
    case 'none': return undefined
    case 'console': return new ConsoleSpanExporter()
    case 'otlp': return new OTLPTraceExporter({
      // Without a url the exporter reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, then OTEL_EXPORTER_OTLP_ENDPOINT.
      ...(options.url === undefined ? {} : { url: options.url }),
      ...(options.headers === undefined ? {} : { headers: { ...options.headers } }),
      timeoutMillis: options.batch.exportTimeoutMillis
    })
    default: return options.exporter
  }
}

function bounded (work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms)
    timer.unref()
    const done = (): void => { clearTimeout(timer); resolve() }
    work.then(done, done)
  })
}
