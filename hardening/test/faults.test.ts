import t from 'tap'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import pino from 'pino'
import { Counter, Registry } from 'prom-client'
import type { ErrorRecorder, ErrorTracer, Translator } from '@errcodes/core'
import errorCodes, { frameworkErrors } from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { errors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { faultLines, logCapture, tick, watchRejections, type LogLine } from './fixtures/harness.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Heap used after a full collection, in bytes. */
function heap (): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const demoLocales = new URL('../../examples/fastify-demo/locales/', import.meta.url)
type Tap = Parameters<Parameters<typeof t.test>[1]>[0]
type Behaviour = 'throw' | 'reject' | 'hang'

/** What a broken port method does instead of its job. */
function misbehave (how: Behaviour): unknown {
  if (how === 'throw') throw new Error(`port exploded (${how}) password=hunter2`)
  if (how === 'reject') return Promise.reject(new Error('port rejected password=hunter2'))
  return new Promise(() => {}) // never settles
}

// Fastify's access lines off, its error lines on (disableRequestLogging would switch off the plugin's too).
class NoAccessLines extends LogController {
  incomingRequest (): void {}
  requestCompleted (): void {}
}

async function appWith (t: Tap, options: { i18n?: Translator, metrics?: ErrorRecorder, tracing?: ErrorTracer }, loggerInstance?: unknown): Promise<{ app: FastifyInstance, lines: LogLine[] }> {
  const cap = logCapture(50)
  const app = loggerInstance === undefined
    ? Fastify({ logger: { level: 'info', stream: cap.stream }, logController: new NoAccessLines(), frameworkErrors })
    : Fastify({ loggerInstance: loggerInstance as never, logController: new NoAccessLines(), frameworkErrors })
  await app.register(errorCodes, { catalog: errors, ...options })
  app.get('/users/:id', async (request) => { throw errors.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
  app.get('/crash', async () => { throw new Error('db password=hunter2 refused') })
  app.get('/ok', async () => ({ ok: true }))
  t.teardown(() => app.close())
  return { app, lines: cap.lines }
}

/** Sends `n` rounds of mixed requests (after a warm-up) and checks every answer; returns the heap growth in bytes. */
async function hammer (t: Tap, app: FastifyInstance, n: number, lang = 'ko'): Promise<number> {
  const warmUp = 100
  let start = 0
  let wrong = 0
  for (let i = -warmUp; i < n; i++) {
    if (i === 0) start = heap()
    const [a, b, c] = await Promise.all([
      app.inject({ url: `/users/${i}`, headers: { 'accept-language': lang } }),
      app.inject('/crash'),
      app.inject('/ok')
    ])
    if (a.statusCode !== 404 || a.json().error_name !== 'USER_NOT_FOUND' || !String(a.json().message).includes(String(i))) wrong++
    if (b.statusCode !== 500 || b.json().error_name !== 'INTERNAL_ERROR' || b.body.includes('hunter2')) wrong++
    if (c.statusCode !== 200) wrong++
  }
  t.equal(wrong, 0, `${(n + warmUp) * 3} responses, all correct`)
  await tick()
  return heap() - start
}

// 3000 requests that each kept a request, a promise or a closure alive would grow the heap by well over this.
const HEAP_BOUND = 4 * 1024 * 1024

for (const how of ['throw', 'reject', 'hang'] as const) {
  t.test(`a translator that ${how}s: English answers, logged once, no unhandled rejection, heap flat`, async t => {
    const rejections = watchRejections(t)
    const i18n: Translator = { translate: () => misbehave(how) as never, negotiate: () => misbehave(how) as never }
    const { app, lines } = await appWith(t, { i18n })
    const grown = await hammer(t, app, 1000)
    t.ok(grown < HEAP_BOUND, `heap grew ${(grown / 1024).toFixed(0)} KiB`)
    t.equal(faultLines(lines, 'translator').length, 1)
    t.notMatch(JSON.stringify(faultLines(lines)), /hunter2/, 'the fault line is masked')
    t.same(rejections, [])
  })

  t.test(`a recorder that ${how}s: responses unaffected, logged once, no unhandled rejection, heap flat`, async t => {
    const rejections = watchRejections(t)
    const metrics: ErrorRecorder = { record: () => misbehave(how) as never }
    const { app, lines } = await appWith(t, { metrics })
    const grown = await hammer(t, app, 1000)
    t.ok(grown < HEAP_BOUND, `heap grew ${(grown / 1024).toFixed(0)} KiB`)
    t.equal(faultLines(lines, 'recorder').length, how === 'hang' ? 0 : 1, how === 'hang' ? 'a promise that never settles is not a fault (record must not block)' : 'logged once')
    t.same(rejections, [])
  })

  for (const method of ['startRequest', 'withScope', 'recordError', 'finishRequest'] as const) {
    t.test(`a tracer whose ${method} ${how}s: responses unaffected, no unhandled rejection, heap flat`, async t => {
      const rejections = watchRejections(t)
      const real = createTracing({ serviceName: 'faulty', exporter: 'none' })
      t.teardown(() => real.shutdown())
      const tracing: ErrorTracer = {
        startRequest: (r) => real.startRequest(r),
        withScope: (s, fn) => real.withScope(s, fn),
        recordError: (s, e, st) => real.recordError(s, e, st),
        finishRequest: (s, st, r) => real.finishRequest(s, st, r),
        [method]: () => misbehave(how)
      }
      const { app, lines } = await appWith(t, { tracing })
      const grown = await hammer(t, app, 500)
      t.ok(grown < HEAP_BOUND, `heap grew ${(grown / 1024).toFixed(0)} KiB`)
      t.ok(faultLines(lines, 'tracer').length <= 1, 'logged at most once')
      if (how === 'throw') t.equal(faultLines(lines, 'tracer').length, 1)
      t.same(rejections, [])
    })
  }

  t.test(`a logger whose info ${how}s: responses unaffected, no unhandled rejection`, async t => {
    const rejections = watchRejections(t)
    const cap = logCapture(50)
    const base = pino({ level: 'info' }, cap.stream)
    // Fastify makes a child logger per request: break `info` (4xx lines) on every one of them.
    const broken = (logger: pino.Logger): pino.Logger => new Proxy(logger, {
      get (target, key, receiver) {
        if (key === 'info') return () => misbehave(how)
        if (key === 'child') return (...args: Parameters<pino.Logger['child']>) => broken(target.child(...args))
        return Reflect.get(target, key, receiver)
      }
    })
    const { app } = await appWith(t, {}, broken(base))
    const grown = await hammer(t, app, 500)
    t.ok(grown < HEAP_BOUND, `heap grew ${(grown / 1024).toFixed(0)} KiB`)
    if (how === 'throw') t.equal(faultLines(cap.lines, 'logger').length, 1, 'logged once, through the level that still works')
    t.ok(cap.count() >= 600, 'the 5xx lines still arrive')
    t.same(rejections, [])
  })
}

t.test('a locale file corrupted during reload: the old messages stay live, every time', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'errcodes-locales-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await cp(demoLocales, dir, { recursive: true })
  const i18n = createI18n({ dir, defaultLocale: 'en' })
  t.teardown(() => i18n.close())
  const { app } = await appWith(t, { i18n })
  const korean = async (): Promise<string> => (await app.inject({ url: '/users/7', headers: { 'accept-language': 'ko' } })).json().message
  const good = await korean()
  t.match(good, /사용자 7/)
  const corruptions: Array<[string, () => Promise<void>]> = [
    ['truncated JSON', () => writeFile(join(dir, 'ko.json'), '{"errors": {"user_not_found": "broken')],
    ['__proto__ key', () => writeFile(join(dir, 'ko.json'), '{"__proto__": {"polluted": "yes"}, "errors": {}}')],
    ['non-string message', () => writeFile(join(dir, 'ko.json'), '{"errors": {"user_not_found": 42}}')],
    ['bad ICU syntax', () => writeFile(join(dir, 'ko.json'), '{"errors": {"user_not_found": "사용자 {userId"}}')],
    ['a file over maxFileSize', () => writeFile(join(dir, 'ko.json'), JSON.stringify({ errors: { x: 'y'.repeat(2 << 20) } }))],
    ['NUL bytes', () => writeFile(join(dir, 'ko.json'), Buffer.from([0, 0, 0, 0]))],
    ['invalid UTF-8', () => writeFile(join(dir, 'ko.json'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]))],
    ['a JSON array', () => writeFile(join(dir, 'ko.json'), '["errors"]')]
  ]
  for (const [name, corrupt] of corruptions) {
    await corrupt()
    // Requests in flight while the reload runs.
    const [result, during] = await Promise.all([i18n.reload(), korean()])
    t.equal(result.ok, false, `${name}: the reload is refused`)
    t.ok(result.problems.length > 0, `${name}: with problems listed`)
    t.equal(during, good, `${name}: in-flight requests keep Korean`)
    t.equal(await korean(), good, `${name}: later requests keep Korean`)
    t.equal(({} as Record<string, unknown>).polluted, undefined)
    await cp(demoLocales, dir, { recursive: true })
  }
  t.equal((await i18n.reload()).ok, true, 'a good file is taken again')
})

t.test('a metric name already taken in the registry: a clear TypeError at creation; another prefix works', async t => {
  const registry = new Registry()
  const taken = new Counter({ name: 'errcodes_errors_total', help: 'someone else', registers: [registry] })
  t.throws(() => createMetrics({ registry }), { name: 'TypeError', message: /option "registry": a metric named errcodes_errors_total has already been registered.*another "prefix"/ })
  t.equal(registry.getSingleMetric('errcodes_errors_total'), taken, 'the existing metric is untouched')
  t.equal(registry.getSingleMetric('errcodes_recorder_failures_total'), undefined, 'nothing half-registered')
  const metrics = createMetrics({ registry, prefix: 'app_' })
  metrics.record({ error: errors.USER_NOT_FOUND.create({ userId: '1' }), status: 404, timestamp: Date.now() })
  t.match(await registry.metrics(), /app_errors_total\{[^}]*status_code="404"[^}]*\} 1/)
  const twice = new Registry()
  createMetrics({ registry: twice })
  t.throws(() => createMetrics({ registry: twice }), { name: 'TypeError' }, 'two instances on one registry need two prefixes')
})
