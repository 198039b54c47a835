import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { errorCodes } from '../src/index.js'
import { buildApp, errorLines } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { LEVEL, type LogLine } from './fixtures/logs.js'
import { fakeRecorder, fakeTracer, fakeTranslator } from './fixtures/ports.js'

function faultLines (lines: LogLine[], where: string): LogLine[] {
  return lines.filter(l => l.errcodes_fault === where)
}

// Collects unhandled rejections for the duration of one test.
function watchRejections (t: Test): unknown[] {
  const seen: unknown[] = []
  const onRejection = (reason: unknown): void => { seen.push(reason) }
  process.on('unhandledRejection', onRejection)
  t.teardown(() => { process.off('unhandledRejection', onRejection) })
  return seen
}

async function tick (): Promise<void> {
  // Two macrotask turns: enough for a rejected promise to be reported as unhandled.
  await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setImmediate(resolve))
}

t.test('a throwing translator: English answer, logged once, next request unaffected', async t => {
  const i18n = fakeTranslator('throw')
  const { app, lines } = await buildApp({ i18n })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url: '/x', headers: { 'accept-language': 'ko' } })
    t.equal(res.statusCode, 404)
    t.match(res.json(), { error_name: 'USER_NOT_FOUND', message: 'User 1 not found' })
  }
  t.equal(i18n.calls, 3, 'the translator was tried each time')
  t.equal(faultLines(lines, 'translator').length, 1, 'logged once, not per request')
  t.equal(faultLines(lines, 'translator')[0].level, LEVEL.error)
  t.match(faultLines(lines, 'translator')[0].err, { message: /translator exploded/ })
  t.equal(errorLines(lines).length, 3, 'each error is still logged')
})

for (const behaviour of ['throw', 'reject'] as const) {
  t.test(`a recorder that ${behaviour}s: response unaffected, logged once, no unhandled rejection`, async t => {
    const rejections = watchRejections(t)
    const metrics = fakeRecorder(behaviour)
    const { app, lines } = await buildApp({ metrics })
    t.teardown(() => app.close())
    app.get('/x', async () => { throw errors.TOKEN_EXPIRED.create() })
    app.get('/ok', async () => ({ ok: true }))
    for (let i = 0; i < 3; i++) {
      const res = await app.inject('/x')
      t.equal(res.statusCode, 401)
      t.equal(res.json().error_name, 'TOKEN_EXPIRED')
      t.same((await app.inject('/ok')).json(), { ok: true })
    }
    await tick()
    t.equal(metrics.events.length, 3, 'one event per failed request')
    t.equal(faultLines(lines, 'recorder').length, 1)
    t.same(rejections, [])
  })
}

for (const method of ['startRequest', 'withScope', 'recordError', 'finishRequest'] as const) {
  t.test(`a tracer whose ${method} throws`, async t => {
    const tracing = fakeTracer({ throws: method })
    const { app, lines } = await buildApp({ tracing })
    t.teardown(() => app.close())
    let handled = 0
    app.get('/x', async () => { handled++; throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
    app.get('/ok', async () => ({ ok: true }))
    for (let i = 0; i < 2; i++) {
      const res = await app.inject('/x')
      t.equal(res.statusCode, 404)
      t.equal(res.json().error_name, 'USER_NOT_FOUND')
      t.equal((await app.inject('/ok')).statusCode, 200)
    }
    t.equal(handled, 2, 'the route ran exactly once per request')
    t.equal(faultLines(lines, 'tracer').length, 1, 'logged once')
  })
}

t.test('a logger whose destination throws: correct response, the app keeps serving', async t => {
  let writes = 0
  const stream = {
    write (line: string) {
      writes++
      if (line.includes('error_name') || line.includes('errcodes_fault')) throw new Error('disk full')
    }
  }
  const app = Fastify({ logger: { stream } })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors })
  app.get('/x', async () => { throw errors.DB_CORRUPT.create({ db: 'a' }) })
  app.get('/ok', async () => ({ ok: true }))
  for (let i = 0; i < 3; i++) {
    const res = await app.inject('/x')
    t.equal(res.statusCode, 500)
    t.equal(res.json().error_name, 'DB_CORRUPT')
    t.equal((await app.inject('/ok')).statusCode, 200)
  }
  t.ok(writes >= 3, 'the logger was tried')
})

t.test('a logger instance whose methods throw', async t => {
  const broken = (): never => { throw new Error('logger exploded') }
  const logger = { level: 'info', fatal: broken, error: broken, warn: broken, info: broken, debug: broken, trace: broken, silent: () => {}, child: () => logger }
  const app = Fastify({ loggerInstance: logger as never, disableRequestLogging: true })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors })
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '2' }) })
  for (let i = 0; i < 2; i++) {
    const res = await app.inject('/x')
    t.equal(res.statusCode, 404)
    t.equal(res.json().message, 'User 2 not found')
  }
})

t.test('a translator answering garbage (no message, bad locale, CR/LF) falls back to English', async t => {
  const answers: unknown[] = [undefined, { message: 10n, locale: 'en' }, { message: 'ok', locale: 'en\r\nX-Evil: 1' }, { message: 'ok', locale: '' }, { locale: 'ko' }]
  let i = 0
  const i18n = { negotiate: () => 'en', translate: () => answers[i % answers.length] as never }
  const { app, lines } = await buildApp({ i18n })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '5' }) })
  for (; i < answers.length; i++) {
    const res = await app.inject('/x')
    t.equal(res.statusCode, 404, `answer ${i}`)
    t.equal(res.json().message, 'User 5 not found')
    t.equal(res.headers['content-language'], undefined)
    t.equal(res.headers['x-evil'], undefined)
  }
  t.equal(faultLines(lines, 'translator').length, 1)
})

t.test('a fault inside the handler answers a static 500 of the chosen format, logged once', async t => {
  for (const format of ['json', 'problem'] as const) {
    const { app, lines } = await buildApp({ format })
    t.teardown(() => app.close())
    // An AppError tampered with after creation: Fastify refuses status 99 in reply.code().
    const tampered = (): Error => Object.defineProperty(errors.TOKEN_EXPIRED.create(), 'status', { value: 99 })
    app.get('/tampered', async () => { throw tampered() })
    app.get('/ok', async () => ({ ok: true }))
    for (let i = 0; i < 3; i++) {
      const res = await app.inject('/tampered')
      t.equal(res.statusCode, 500, `${format}: status`)
      const body = res.json()
      t.equal(format === 'json' ? body.status_code : body.status, 500, 'body status equals HTTP status')
      t.equal(body.error_name, 'INTERNAL_ERROR')
      t.match(res.headers['content-type'], format === 'json' ? /^application\/json; charset=utf-8$/ : /^application\/problem\+json; charset=utf-8$/)
      t.equal(body.request_id, res.headers['x-request-id'])
      t.match(body.timestamp, /^\d{4}-/)
      t.equal((await app.inject('/ok')).statusCode, 200, 'the next request is unaffected')
    }
    t.equal(lines.filter(l => typeof l.errcodes_fault === 'string').length, 1, `${format}: the fault was logged exactly once`)
  }
})

t.test('preSerialization hooks cannot reshape or break error bodies', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  await app.register(async child => {
    child.addHook('preSerialization', async (req, reply, payload) => ({ data: payload, n: 10n }))
    child.get('/wrapped', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 1 }) })
    child.get('/wrapped-ok', async () => ({ ok: true }))
  })
  await app.register(async child => {
    child.addHook('preSerialization', async () => { throw new Error('hook broke S3CRET') })
    child.get('/broken', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 1 }) })
    child.get('/broken-ok', async () => ({ ok: true }))
  })
  const wrapped = await app.inject('/wrapped')
  t.equal(wrapped.statusCode, 429)
  t.match(wrapped.json(), { error_name: 'QUOTA_EXCEEDED', status_code: 429 })
  const broken = await app.inject('/broken')
  t.equal(broken.statusCode, 429)
  t.equal(broken.json().error_name, 'QUOTA_EXCEEDED')
  const brokenOk = await app.inject('/broken-ok')
  t.equal(brokenOk.statusCode, 500, 'a success body whose hook throws becomes our 500')
  t.equal(brokenOk.json().error_name, 'INTERNAL_ERROR')
  t.notMatch(brokenOk.body, /S3CRET|hook broke/)
})
