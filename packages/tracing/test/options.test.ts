import t from 'tap'
import { BasicTracerProvider, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { createTracing } from '../src/create-tracing.js'
import { resolveOptions } from '../src/options.js'

const rejects = (options: unknown, message: RegExp): void => {
  t.throws(() => createTracing(options as never), { name: 'TypeError', message }, `${JSON.stringify(options)} → ${message}`)
}

t.test('defaults', async t => {
  const o = resolveOptions({ serviceName: 'users' })
  t.equal(o.exporter, 'otlp')
  t.equal(o.sampleRate, 1)
  t.equal(o.recordClientErrors, false)
  t.equal(o.contextManager, true)
  t.same(o.batch, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 10000 })
  t.same(resolveOptions({ serviceName: 'u', batch: { maxQueueSize: 100 } }).batch.maxExportBatchSize, 100, 'batch size follows a smaller queue')
})

t.test('options as a whole', async () => {
  rejects(undefined, /options must be an object/)
  rejects('users', /options must be an object/)
  rejects({ serviceName: 'u', servicename: 'x' }, /^createTracing: unknown option "servicename"; did you mean "serviceName"\?/)
})

t.test('serviceName', async () => {
  rejects({}, /serviceName must be a non-empty string.*required unless tracerProvider/)
  for (const bad of ['', '   ', 42, 'a\nb', 'x'.repeat(257)]) rejects({ serviceName: bad }, /serviceName must be a non-empty string/)
})

t.test('enabled', async t => {
  for (const bad of ['false', 0, null]) rejects({ serviceName: 'u', enabled: bad }, /^createTracing: enabled must be a boolean$/)
  t.equal(resolveOptions({ serviceName: 'u' }).enabled, true)
  t.equal(resolveOptions({ enabled: false }).enabled, false, 'no serviceName needed when switched off')
  rejects({ enabled: false, serviceName: '' }, /serviceName must be a non-empty string/)
  rejects({ enabled: false, sampleRate: 2 }, /sampleRate must be a number from 0 to 1/)
})

t.test('serviceVersion and environment', async () => {
  for (const bad of ['', 1, 'a\u0000b']) {
    rejects({ serviceName: 'u', serviceVersion: bad }, /serviceVersion must be a non-empty string/)
    rejects({ serviceName: 'u', environment: bad }, /environment must be a non-empty string/)
  }
})

t.test('exporter, url and headers', async () => {
  for (const bad of ['jaeger', 42, {}, { export () {} }]) rejects({ serviceName: 'u', exporter: bad }, /exporter must be "otlp", "console", "none" or a SpanExporter/)
  for (const bad of ['not a url', 'ftp://x/v1/traces', 42]) rejects({ serviceName: 'u', url: bad }, /url must be an http\(s\) URL/)
  rejects({ serviceName: 'u', exporter: 'console', url: 'http://127.0.0.1:4318/v1/traces' }, /url applies only to exporter "otlp"/)
  rejects({ serviceName: 'u', exporter: 'none', headers: {} }, /headers apply only to exporter "otlp"/)
  for (const bad of [[], 'x', { 'bad header': 'v' }, { ok: 1 }, { ok: 'a\r\nb' }]) rejects({ serviceName: 'u', headers: bad }, /headers must be an object of header names to string values/)
})

t.test('sampleRate', async () => {
  for (const bad of [-0.1, 1.5, Number.NaN, '1', Infinity]) rejects({ serviceName: 'u', sampleRate: bad }, /sampleRate must be a number from 0 to 1/)
})

t.test('batch', async () => {
  rejects({ serviceName: 'u', batch: 5 }, /batch must be an object/)
  rejects({ serviceName: 'u', batch: { size: 5 } }, /unknown option "batch.size"/)
  for (const key of ['maxQueueSize', 'maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis']) {
    for (const bad of [0, -1, 1.5, '10']) rejects({ serviceName: 'u', batch: { [key]: bad } }, new RegExp(`batch\\.${key} must be a positive integer`))
  }
  rejects({ serviceName: 'u', batch: { maxQueueSize: 10, maxExportBatchSize: 20 } }, /maxExportBatchSize must not exceed batch.maxQueueSize/)
})

t.test('tracerProvider', async t => {
  for (const bad of [42, {}, 'global']) rejects({ tracerProvider: bad }, /tracerProvider must be an OpenTelemetry TracerProvider/)
  const provider = new BasicTracerProvider()
  for (const key of ['serviceName', 'exporter', 'sampleRate', 'url']) {
    const value = key === 'sampleRate' ? 0.5 : key === 'exporter' ? new InMemorySpanExporter() : key === 'url' ? 'http://127.0.0.1:1/v1/traces' : 'x'
    rejects({ tracerProvider: provider, [key]: value }, new RegExp(`${key} configures a provider createTracing builds`))
  }
  t.equal(createTracing({ tracerProvider: provider }).provider, provider)
})

t.test('recordClientErrors and contextManager', async () => {
  for (const bad of ['yes', 1, null]) {
    rejects({ serviceName: 'u', recordClientErrors: bad }, /recordClientErrors must be a boolean/)
    rejects({ serviceName: 'u', contextManager: bad }, /contextManager must be a boolean/)
  }
})
