import t from 'tap'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import { errorCodes, requestIdOptions } from '../src/index.js'
import { buildApp, errorLines } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { LEVEL, logCapture } from './fixtures/logs.js'
import { fakeTracer } from './fixtures/ports.js'

t.test('default levels: 5xx at error, 4xx at info, severity decides', async t => {
  const { app, lines } = await buildApp()
  t.teardown(() => app.close())
  app.get('/low', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  app.get('/medium', async () => { throw errors.CARD_DECLINED.create({ reason: 'r' }) })
  app.get('/high', async () => { throw new Error('boom') })
  app.get('/critical', async () => { throw errors.DB_CORRUPT.create({ db: 'x' }) })
  app.get('/validation', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, async () => 'ok')
  const expected: Array<[string, string, number]> = [
    ['/low', 'USER_NOT_FOUND', LEVEL.info],
    ['/medium', 'CARD_DECLINED', LEVEL.warn],
    ['/high', 'INTERNAL_ERROR', LEVEL.error],
    ['/critical', 'DB_CORRUPT', LEVEL.fatal],
    ['/validation?n=x', 'VALIDATION_FAILED', LEVEL.info],
    ['/missing', 'ROUTE_NOT_FOUND', LEVEL.info]
  ]
  for (const [url, name, level] of expected) {
    const res = await app.inject(url)
    const line = errorLines(lines).at(-1)
    t.equal(line?.error_name, name, url)
    t.equal(line?.level, level, `${name} level`)
    t.equal(line?.status_code, res.statusCode)
    t.equal(line?.request_id, res.headers['x-request-id'])
    t.type(line?.err, 'object', 'logged under the err key')
    t.match(line?.err, { type: name, code: name, status: res.statusCode })
  }
  t.equal(errorLines(lines).length, expected.length, 'one line per failed request')
})

t.test('logLevels policy: object, function, false', async t => {
  const { app: obj, lines: objLines } = await buildApp({ logLevels: { low: 'debug', high: 'warn', critical: false } })
  t.teardown(() => obj.close())
  obj.get('/low', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  obj.get('/high', async () => { throw new Error('x') })
  obj.get('/critical', async () => { throw errors.DB_CORRUPT.create({ db: 'x' }) })
  for (const url of ['/low', '/high', '/critical']) await obj.inject(url)
  t.same(errorLines(objLines).map(l => [l.error_name, l.level]), [['USER_NOT_FOUND', LEVEL.debug], ['INTERNAL_ERROR', LEVEL.warn]])

  const calls: Array<[string, number]> = []
  const { app: fn, lines: fnLines } = await buildApp({ logLevels: (err, status) => { calls.push([err.code, status]); return status >= 500 ? 'error' : false } })
  t.teardown(() => fn.close())
  fn.get('/low', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  fn.get('/high', async () => { throw new Error('x') })
  for (const url of ['/low', '/high']) await fn.inject(url)
  t.same(calls, [['USER_NOT_FOUND', 404], ['INTERNAL_ERROR', 500]])
  t.same(errorLines(fnLines).map(l => [l.error_name, l.level]), [['INTERNAL_ERROR', LEVEL.error]])

  const { app: off, lines: offLines } = await buildApp({ logLevels: false })
  t.teardown(() => off.close())
  off.get('/high', async () => { throw new Error('x') })
  t.equal((await off.inject('/high')).statusCode, 500)
  t.same(errorLines(offLines), [])

  const { app: throwing, lines: throwingLines } = await buildApp({ logLevels: () => { throw new Error('policy broke') } })
  t.teardown(() => throwing.close())
  throwing.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  t.equal((await throwing.inject('/x')).statusCode, 404, 'a throwing policy never breaks the response')
  t.equal((await throwing.inject('/x')).statusCode, 404)
  t.equal(throwingLines.filter(l => l.errcodes_fault === 'logger').length, 1)
})

t.test('secrets are masked in the err key, message and params', async t => {
  const { app, lines, raw } = await buildApp()
  t.teardown(() => app.close())
  app.post('/login', async () => {
    throw errors.LOGIN_FAILED.create({ email: 'alice.liddell@example.com', password: 'hunter2-S3CRET' })
  })
  app.get('/leaky', async () => {
    throw Object.assign(new Error('cannot reach postgres://admin:pa55w0rd@db.internal/main for bob@example.org'), { token: 'tok-S3CRET' })
  })
  const res = await app.inject({ method: 'POST', url: '/login' })
  t.equal(res.statusCode, 401)
  t.match(res.json().message, /^Login failed for /, 'the client still sees its own message')
  await app.inject('/leaky')
  const text = raw.join('')
  t.notMatch(text, /hunter2|S3CRET|pa55w0rd|alice\.liddell@|bob@example/, 'no secret in any log line')
  const login = errorLines(lines).find(l => l.error_name === 'LOGIN_FAILED')
  t.match(login?.err, { params: { password: '[REDACTED]' } })
  t.match(JSON.stringify(login), /example\.com/, 'the domain of a masked email stays readable')
  const leaky = errorLines(lines).find(l => l.error_name === 'INTERNAL_ERROR')
  t.match(JSON.stringify(leaky?.err), /postgres:\/\//, 'the cause is logged, masked')
})

t.test('trace_id and request_id fields; X-Trace-ID header and trace_id in the body', async t => {
  const tracing = fakeTracer()
  const { app, lines, raw } = await buildApp({ tracing })
  t.teardown(() => app.close())
  app.get('/x', async (req) => {
    req.log.info('inside the handler')
    throw errors.USER_NOT_FOUND.create({ userId: '1' })
  })
  const res = await app.inject({ url: '/x', headers: { 'x-request-id': 'rid-1' } })
  const traceId = res.headers['x-trace-id'] as string
  t.match(traceId, /^[0-9a-f]{32}$/)
  t.equal(res.json().trace_id, traceId)
  const line = errorLines(lines).at(-1)
  t.equal(line?.trace_id, traceId)
  t.equal(line?.request_id, 'rid-1')
  t.match(line?.span_id, /^[0-9a-f]{16}$/)
  t.equal(lines.find(l => l.msg === 'inside the handler')?.trace_id, traceId, 'the request logger carries the trace id')
  const errorRaw = raw.find(l => l.includes('"error_name"')) ?? ''
  t.equal(errorRaw.split('"trace_id"').length - 1, 1, 'trace_id appears once in the line')

  const { app: noScope } = await buildApp({ tracing: fakeTracer({ scope: false }) })
  t.teardown(() => noScope.close())
  noScope.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const plain = await noScope.inject('/x')
  t.equal(plain.headers['x-trace-id'], undefined, 'no scope, no trace header')
  t.notOk('trace_id' in plain.json())
})

t.test('the trace ids reach every line of the request after onRequest, Fastify\'s own included, and never the server logger', async t => {
  const { app, lines, raw } = await buildApp({ tracing: fakeTracer() })
  t.teardown(() => app.close())
  app.get('/fail', async (req) => {
    req.log.info('inside the handler')
    throw errors.USER_NOT_FOUND.create({ userId: '1' })
  })
  app.get('/ok', async (req, reply) => {
    reply.log.info('from the reply logger')
    return 'ok'
  })
  const responses = await Promise.all([
    app.inject({ url: '/fail', headers: { 'x-request-id': 'rid-a' } }),
    app.inject({ url: '/ok', headers: { 'x-request-id': 'rid-b' } }),
    app.inject({ url: '/fail', headers: { 'x-request-id': 'rid-c' } })
  ])
  for (const res of responses) {
    const id = res.headers['x-request-id'] as string
    const traceId = res.headers['x-trace-id'] as string
    const own = lines.filter(l => l.reqId === id && l.msg !== 'incoming request')
    t.ok(own.length >= 2, `${id}: the handler's and Fastify's lines`)
    for (const line of own) t.match(line, { trace_id: traceId, span_id: /^[0-9a-f]{16}$/ }, `${id}: ${line.msg}`)
    t.ok(own.some(l => l.msg === 'request completed'), `${id}: Fastify's own completion line carries the ids`)
  }
  for (const line of raw) t.ok(line.split('"trace_id"').length <= 2, `at most one trace_id in ${line.slice(0, 120)}`)
  t.notOk('trace_id' in app.log.bindings(), 'the server logger gained no binding')
  app.log.info('after the requests')
  t.notOk('trace_id' in (lines.at(-1) ?? {}), 'and writes none')
})

// Loggers shared between requests: the ids must go on a child, never on the shared logger.
const sharing: Array<[string, (app: FastifyInstance, shared: (logger: FastifyBaseLogger) => FastifyBaseLogger) => Promise<void>]> = [
  ['a server factory handing out one logger', async (app, shared) => { app.setChildLoggerFactory(shared) }],
  ['a route factory handing out one logger', async (app, shared) => { app.get('/x', { childLoggerFactory: shared }, handler) }],
  ['a route factory handing out the server\'s logger', async (app) => { app.get('/x', { childLoggerFactory: (logger) => logger }, handler) }],
  ['an encapsulated setChildLoggerFactory', async (app, shared) => {
    await app.register(async (scope) => {
      scope.setChildLoggerFactory(shared)
      scope.get('/x', handler)
    })
  }],
  ['an earlier onRequest hook that swaps request.log', async (app, shared) => {
    app.addHook('onRequest', (req, reply, done) => { req.log = shared(req.log); done() })
  }],
  ['an earlier onRequest hook that sets both request.log and reply.log to one logger', async (app, shared) => {
    app.addHook('onRequest', (req, reply, done) => { req.log = reply.log = shared(req.log); done() })
  }]
]
async function handler (req: FastifyRequest): Promise<string> {
  req.log.info('inside the handler')
  return 'ok'
}

for (const [name, setUp] of sharing) {
  t.test(`${name}: each request's ids stay on its own lines`, async t => {
    const cap = logCapture()
    const app = Fastify({ logger: { level: 'info', stream: cap.stream }, ...requestIdOptions() })
    t.teardown(() => app.close())
    let one: FastifyBaseLogger | undefined
    const shared = (logger: FastifyBaseLogger): FastifyBaseLogger => (one ??= logger.child({ shared: true }))
    // Hooks run in registration order: the swapping hook goes before the plugin's.
    if (name.includes('hook')) await setUp(app, shared)
    await app.register(errorCodes, { catalog: errors, tracing: fakeTracer() })
    if (!name.includes('hook')) await setUp(app, shared)
    if (!app.hasRoute({ method: 'GET', url: '/x' })) app.get('/x', handler)
    const responses = []
    for (let i = 0; i < 3; i++) responses.push(await app.inject('/x'))
    const handlerLines = cap.lines.filter(l => l.msg === 'inside the handler')
    t.same(handlerLines.map(l => l.trace_id), responses.map(r => r.headers['x-trace-id']), 'each line carries its own request\'s trace id')
    for (const raw of cap.raw) t.ok(raw.split('"trace_id"').length <= 2, `at most one trace_id in ${raw.slice(0, 120)}`)
    t.notOk('trace_id' in (one?.bindings() ?? {}), 'the shared logger gained no binding')
    t.notOk('trace_id' in app.log.bindings(), 'nor the server logger')
    app.log.info('after the requests')
    t.notOk('trace_id' in (cap.lines.at(-1) ?? {}), 'which writes none')
  })
}

t.test('with its own requestIdLogLabel or numeric ids, the request\'s own logger still takes the ids in place: Fastify\'s completion line carries them', async t => {
  let n = 0
  const setups: Array<[string, Record<string, unknown>, Record<string, string>, unknown]> = [
    ['a LogController with requestIdLogLabel rid', { ...requestIdOptions(), logController: new LogController({ requestIdLogLabel: 'rid' }) }, { 'x-request-id': 'label-1' }, 'label-1'],
    // pino writes the key as JSON: the plugin must look for it escaped the same way.
    ['a LogController with requestIdLogLabel r"id', { ...requestIdOptions(), logController: new LogController({ requestIdLogLabel: 'r"id' }) }, { 'x-request-id': 'label-2' }, 'label-2'],
    ['a genReqId answering numbers', { genReqId: () => ++n }, {}, 1]
  ]
  for (const [name, fastifyOptions, headers, id] of setups) {
    const cap = logCapture()
    const app = Fastify({ logger: { level: 'info', stream: cap.stream }, ...fastifyOptions })
    t.teardown(() => app.close())
    await app.register(errorCodes, { catalog: errors, tracing: fakeTracer() })
    app.get('/x', handler)
    const res = await app.inject({ url: '/x', headers })
    const completed = cap.lines.find(l => l.msg === 'request completed')
    const label = name.includes('r"id') ? 'r"id' : name.includes('rid') ? 'rid' : 'reqId'
    t.match(completed, { [label]: id, trace_id: res.headers['x-trace-id'] }, `${name}: reply.log is the request's logger, with the ids`)
    t.notOk('trace_id' in app.log.bindings(), `${name}: the server logger gained no binding`)
  }
})

// A hook shares a logger whose last binding's value is what a request id can be: a client that sends that
// id (requestIdOptions() takes the caller's x-request-id), or a numeric id equal to it, must not get its
// trace ids onto the shared logger (every later line would carry them).
t.test('a shared logger whose last value equals a request id: no request\'s ids reach it', async t => {
  let n = 0
  const setups: Array<[string, Record<string, unknown>, Record<string, unknown>, Array<Record<string, string>>]> = [
    ['a client-chosen id equal to the last value', requestIdOptions(), { component: 'http' }, [{ 'x-request-id': 'http' }, { 'x-request-id': 'other' }]],
    ['a client-chosen id spanning two bindings', { genReqId: (req: { headers: Record<string, string> }) => req.headers['x-id'] }, { env: 'prod', svc: 'api' }, [{ 'x-id': 'prod","svc":"api' }, { 'x-id': 'next' }]],
    ['numeric ids, the last value a number as a string', { genReqId: () => ++n }, { shard: '2' }, [{}, {}, {}]]
  ]
  for (const [name, fastifyOptions, bindings, requests] of setups) {
    const cap = logCapture()
    const app = Fastify({ logger: { level: 'info', stream: cap.stream }, ...fastifyOptions })
    t.teardown(() => app.close())
    const shared = app.log.child(bindings)
    app.addHook('onRequest', (req, reply, done) => { req.log = reply.log = shared; done() })
    await app.register(errorCodes, { catalog: errors, tracing: fakeTracer() })
    app.get('/x', handler)
    const responses = []
    for (const headers of requests) responses.push(await app.inject({ url: '/x', headers }))
    t.same(shared.bindings(), bindings, `${name}: the shared logger's bindings are unchanged`)
    const handlerLines = cap.lines.filter(l => l.msg === 'inside the handler')
    t.same(handlerLines.map(l => l.trace_id), responses.map(r => r.headers['x-trace-id']), `${name}: each line carries its own request's trace id`)
    for (const raw of cap.raw) t.ok(raw.split('"trace_id"').length <= 2, `${name}: at most one trace_id in ${raw.slice(0, 100)}`)
  }
})

t.test('a logger that is not pino, with a setBindings of its own and a child() that returns itself: its bindings stay untouched', async t => {
  const written: Array<Record<string, unknown>> = []
  const bindings: Record<string, unknown> = {}
  const write = (obj: unknown, msg?: string): void => { written.push({ ...bindings, ...(typeof obj === 'object' ? obj : { msg: obj }), msg }) }
  const methods = Object.fromEntries(['info', 'error', 'warn', 'fatal', 'debug', 'trace', 'silent'].map(name => [name, write]))
  const logger = {
    ...methods,
    level: 'info',
    child (): typeof logger { return logger },
    setBindings (more: Record<string, unknown>): void { Object.assign(bindings, more) }
  }
  const app = Fastify({ loggerInstance: logger as unknown as FastifyBaseLogger })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors, tracing: fakeTracer() })
  app.get('/x', handler)
  const res = await app.inject('/x')
  t.equal(res.statusCode, 200)
  t.notOk('trace_id' in bindings, 'the shared logger gained no binding')
})

t.test('a 4xx without a stack (production policy) still logs its code, route and request id', async t => {
  const { defineErrors, Type } = await import('@errcodes/core')
  const catalog = defineErrors({
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }) },
    DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' }
  }, { stackTraces: 'server' })
  const { app, lines } = await buildApp({ catalog })
  t.teardown(() => app.close())
  app.get('/users/:id', async (request) => { throw catalog.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
  app.get('/db', async () => { throw catalog.DB_DOWN.create() })
  const res = await app.inject({ url: '/users/7', headers: { 'x-request-id': 'req-stackless-1' } })
  t.equal(res.statusCode, 404)
  const line = errorLines(lines).at(-1)
  t.equal(line?.error_name, 'USER_NOT_FOUND')
  t.equal(line?.error_code, 301)
  t.equal(line?.route, '/users/:id', 'the route template stands in for the stack')
  t.equal(line?.request_id, 'req-stackless-1')
  t.equal(line?.request_id, res.headers['x-request-id'])
  const err = line?.err as { stack?: string, message?: string }
  t.notMatch(String(err.stack), /\n\s+at /, 'no frames were captured')
  t.match(String(err.stack), /^USER_NOT_FOUND: /, 'the stack is its header line')
  await app.inject('/db')
  const db = errorLines(lines).at(-1)
  t.equal(db?.error_name, 'DB_DOWN')
  t.equal(db?.route, '/db')
  t.match(String((db?.err as { stack?: string }).stack), /\n\s+at /, 'a 5xx keeps its frames')
})

t.test('Fastify\'s switches for request logging apply to the plugin\'s lines', async t => {
  const { app: off, lines: offLines } = await buildApp({}, { disableRequestLogging: true })
  t.teardown(() => off.close())
  off.get('/x', async () => { throw new Error('boom') })
  await off.inject('/x')
  await off.inject('/missing')
  t.same(errorLines(offLines), [], 'disableRequestLogging: no error or not-found line from the plugin either')
  const { app: partial, lines: partialLines } = await buildApp({}, { disableRequestLogging: (req: { url?: string }) => req.url === '/quiet' })
  t.teardown(() => partial.close())
  partial.get('/quiet', async () => { throw new Error('boom') })
  partial.get('/loud', async () => { throw new Error('boom') })
  await partial.inject('/quiet')
  await partial.inject('/loud')
  t.same(errorLines(partialLines).map(l => (l.req as { url?: string } | undefined)?.url), ['/loud'], 'a function decides per request')
  class Quiet extends LogController {
    isLogDisabled (request: { url?: string }): boolean { return request.url?.startsWith('/health') === true }
  }
  const { app: ctl, lines: ctlLines } = await buildApp({}, { logController: new Quiet() })
  t.teardown(() => ctl.close())
  ctl.get('/health', async () => { throw new Error('down') })
  ctl.get('/api', async () => { throw new Error('down') })
  await ctl.inject('/health')
  await ctl.inject('/api')
  t.same(errorLines(ctlLines).map(l => (l.req as { url?: string } | undefined)?.url), ['/api'], 'logController.isLogDisabled decides')
})
