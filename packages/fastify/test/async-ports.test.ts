import t from 'tap'
import type { AppError, ErrorTracer, TraceScope, Translation } from '@errcodes/core'
import { buildApp, errorLines } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeRecorder } from './fixtures/ports.js'

// Ports are synchronous contracts, but an implementation may well be written `async`: what it
// returns is settled once (a rejection logged as the port's fault), never an unhandled rejection.

async function turns (): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise(resolve => setImmediate(resolve))
}

t.test('an async tracer: responses unaffected, its rejections logged once as tracer faults', async t => {
  const seen: unknown[] = []
  const onRejection = (reason: unknown): void => { seen.push(reason) }
  process.on('unhandledRejection', onRejection)
  t.teardown(() => { process.off('unhandledRejection', onRejection) })
  let n = 0
  const finished: number[] = []
  const tracing: ErrorTracer = {
    startRequest: () => ({ traceId: (++n).toString(16).padStart(32, 'c'), spanId: 'd'.repeat(16) }),
    // Runs the request, then answers a promise (an async function would).
    withScope: (_scope: TraceScope, fn: () => void) => { fn(); return Promise.resolve() as unknown as undefined },
    recordError: async (_scope: TraceScope, _error: AppError, _status: number) => { throw new Error('span store down') },
    finishRequest: async (_scope: TraceScope, status: number) => { finished.push(status) }
  }
  const { app, lines } = await buildApp({ tracing })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  for (let i = 0; i < 3; i++) {
    const res = await app.inject('/x')
    t.equal(res.statusCode, 404)
    t.match(res.headers['x-trace-id'], /^c+\d$/)
  }
  await turns()
  t.same(finished, [404, 404, 404], 'every request was finished')
  const faults = lines.filter(l => l.errcodes_fault === 'tracer')
  t.equal(faults.length, 1, 'the rejections of recordError are logged once')
  t.match(faults[0].err, { message: /span store down/ })
  t.same(seen, [], 'no unhandled rejection')
})

t.test('a tracer that opens no scope: the recorder still gets every event, without trace ids', async t => {
  const metrics = fakeRecorder()
  const tracing: ErrorTracer = { startRequest: () => undefined, withScope: (_s, fn) => fn(), recordError () {}, finishRequest () {} }
  const { app } = await buildApp({ tracing, metrics })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 404)
  t.notOk('x-trace-id' in res.headers)
  t.equal(metrics.events.length, 1)
  t.equal(metrics.events[0].traceId, undefined)
  t.equal(metrics.events[0].traceSampled, undefined)
})

t.test('a translator answering nothing for validation keys: the issues keep their own messages', async t => {
  const i18n = {
    negotiate: () => 'de',
    translate (key: string, _params: unknown, _al: unknown, fallback?: string): Translation {
      return key.startsWith('validation.') ? undefined as unknown as Translation : { message: fallback === undefined ? key : `DE: ${fallback}`, locale: 'de' }
    }
  }
  const { app } = await buildApp({ i18n })
  t.teardown(() => app.close())
  app.post('/v', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, async () => 'ok')
  const res = await app.inject({ method: 'POST', url: '/v', payload: {} })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-language'], 'de')
  const body = res.json()
  t.match(body.message, /^DE: /)
  t.match(body.errors, [{ keyword: 'required', message: "must have required property 'name'" }])
})

t.test('a thrown Error without a message: the log line takes the catalog\'s message', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.get('/empty', async () => { throw new Error('') })
  const res = await app.inject('/empty')
  t.equal(res.statusCode, 500)
  const [line] = errorLines(lines)
  t.equal(line.msg, 'Internal server error')
})
