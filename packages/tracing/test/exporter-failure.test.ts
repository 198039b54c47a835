import t from 'tap'
import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'
import { diag, DiagLogLevel } from '@opentelemetry/api'
import { createTracing } from '../src/create-tracing.js'
import type { Tracing } from '../src/create-tracing.js'
import type { BatchOptions } from '../src/options.js'
import { errors } from './fixtures/errors.js'
import { startReceiver } from './fixtures/otlp-receiver.js'

async function appWith (t: Test, url: string, batch: BatchOptions): Promise<{ tracing: Tracing, hit: (n: number) => Promise<void> }> {
  const tracing = createTracing({ serviceName: 'flaky', url, batch })
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors, tracing })
  app.get('/fail', async () => { throw errors.DB_DOWN.create({ host: 'h', email: 'e' }) })
  app.get('/ok', async () => ({ ok: true }))
  t.teardown(() => app.close())
  const hit = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const res = await app.inject(i % 2 === 0 ? '/fail' : '/ok')
      if (res.statusCode !== (i % 2 === 0 ? 503 : 200) || res.headers['x-trace-id'] === undefined) {
        t.fail(`response ${i} was affected: ${res.statusCode}`)
        return
      }
    }
    t.pass(`${n} responses unaffected`)
  }
  return { tracing, hit }
}

/** Fails the test unless `work` settles within `ms` (a liveness check, not a speed assertion). */
async function settlesWithin (t: Test, work: Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>(resolve => { timer = setTimeout(() => resolve('late'), ms) })
  const outcome = await Promise.race([work.then(() => 'done' as const), late])
  clearTimeout(timer)
  t.equal(outcome, 'done', what)
}

t.test('collector down: responses unaffected, shutdown returns', async t => {
  const closed = createServer()
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as AddressInfo
  await new Promise<void>(resolve => closed.close(() => resolve()))
  const { tracing, hit } = await appWith(t, `http://127.0.0.1:${port}/v1/traces`, { scheduledDelayMillis: 5, exportTimeoutMillis: 500 })
  await hit(40)
  await settlesWithin(t, tracing.forceFlush(), 5000, 'forceFlush returns')
  await settlesWithin(t, tracing.shutdown(), 5000, 'shutdown returns')
})

t.test('collector answering 500: responses unaffected, exports tried, shutdown returns', async t => {
  const receiver = await startReceiver('fail')
  t.teardown(() => receiver.close())
  const { tracing, hit } = await appWith(t, receiver.url, { scheduledDelayMillis: 5, exportTimeoutMillis: 500 })
  await hit(20)
  await settlesWithin(t, tracing.forceFlush(), 5000, 'forceFlush returns')
  t.ok(receiver.requests >= 1, 'the exporter did call the collector')
  await settlesWithin(t, tracing.shutdown(), 5000, 'shutdown returns')
})

t.test('collector hanging: shutdown still returns', async t => {
  const receiver = await startReceiver('hold')
  t.teardown(() => receiver.close())
  const { tracing, hit } = await appWith(t, receiver.url, { scheduledDelayMillis: 5, exportTimeoutMillis: 300 })
  await hit(6)
  await settlesWithin(t, tracing.shutdown(), 5000, 'shutdown returns although the collector never answers')
})

t.test('slow collector: the queue is bounded, spans beyond it are dropped, not buffered', async t => {
  const receiver = await startReceiver('hold')
  t.teardown(() => receiver.close())
  const batch = { maxQueueSize: 20, maxExportBatchSize: 10, scheduledDelayMillis: 1, exportTimeoutMillis: 10_000 }
  const { tracing, hit } = await appWith(t, receiver.url, batch)
  await hit(1)
  await settlesWithin(t, waitUntil(() => receiver.requests >= 1), 5000, 'the first export is in flight and held')
  await hit(300)
  receiver.mode = 'ok'
  receiver.release()
  await settlesWithin(t, tracing.shutdown(), 15_000, 'shutdown returns')
  t.ok(receiver.spans.length >= 1, 'spans arrived once the collector answered')
  t.ok(receiver.spans.length <= 1 + batch.maxQueueSize + batch.maxExportBatchSize, `at most queue + one batch kept (got ${receiver.spans.length} of 301)`)
})

t.test('collector answering 500: the failure reaches the diag logger the README tells users to set', async t => {
  const seen: string[] = []
  const record = (...args: unknown[]): void => { seen.push(args.map(String).join(' ')) }
  diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN)
  t.teardown(() => diag.disable())
  const receiver = await startReceiver('fail')
  t.teardown(() => receiver.close())
  const { tracing, hit } = await appWith(t, receiver.url, { scheduledDelayMillis: 5, exportTimeoutMillis: 500 })
  await hit(4)
  await settlesWithin(t, waitUntil(() => seen.length > 0), 5000, 'an export failure is reported')
  t.ok(seen.some(line => /500|export|fail/i.test(line)), `reported: ${seen[0]}`)
  await settlesWithin(t, tracing.shutdown(), 5000, 'shutdown returns')
})

async function waitUntil (check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise(resolve => setTimeout(resolve, 10))
}
