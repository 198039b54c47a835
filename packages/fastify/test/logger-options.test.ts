import t from 'tap'
import { Readable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import { createRedactor } from '@errcodes/core'
import { errorCodes, loggerOptions, requestIdOptions } from '../src/index.js'
import { errors } from './fixtures/catalog.js'
import { logCapture, LEVEL, type LogLine } from './fixtures/logs.js'

const SECRETS = 'login failed password=hunter2 for jane.doe@example.com card 4111 1111 1111 1111'
const LEAKS = /hunter2|jane\.doe@|4111 1111 1111 1111/

/** An app whose routes make Fastify itself log errors, on a real pino logger writing to a stream we read. */
async function appWith (logger: Record<string, unknown>, errorHandler = true): Promise<{ app: FastifyInstance, lines: LogLine[], raw: string[] }> {
  const cap = logCapture()
  const app = Fastify({ logger: { level: 'info', stream: cap.stream, ...logger }, ...requestIdOptions() })
  await app.register(errorCodes, { catalog: errors, errorHandler })
  app.get('/after-send', async (req, reply) => {
    reply.send({ ok: true })
    throw new Error(SECRETS)
  })
  app.register(async (scope) => {
    scope.addHook('onResponse', async () => { throw new Error(SECRETS) })
    scope.get('/on-response', async () => ({ ok: true }))
  })
  app.get('/stream', (req, reply) => {
    let sent = false
    reply.type('text/plain').send(new Readable({
      read () {
        if (sent) return
        sent = true
        this.push('part of the body ')
        setImmediate(() => this.destroy(new Error(SECRETS)))
      }
    }))
  })
  app.get('/crash', async () => { throw new Error(SECRETS) })
  app.get('/client', async () => { throw Object.assign(new Error(SECRETS), { statusCode: 400 }) })
  app.get('/direct', async (req) => {
    req.log.error(new Error(SECRETS))
    req.log.warn(`upstream said ${SECRETS}`)
    return { ok: true }
  })
  return { app, lines: cap.lines, raw: cap.raw }
}

const LATE = ['Promise errored, but reply.sent = true was set', 'request errored', 'response terminated with an error with headers already sent']

async function hitAll (app: FastifyInstance, lines: LogLine[]): Promise<void> {
  for (const url of ['/after-send', '/on-response', '/stream', '/crash', '/client', '/direct?token=abc123secret']) {
    await app.inject(url).catch(() => undefined)
  }
  // Fastify writes some lines after the response ended (onResponse, stream end): wait for them.
  for (let i = 0; i < 10_000 && !LATE.every(m => lines.some(l => l.msg === m)); i++) await new Promise(resolve => setImmediate(resolve))
}

t.test('without loggerOptions, Fastify\'s own error lines carry the secrets (the control)', async t => {
  const { app, lines, raw } = await appWith({})
  t.teardown(() => app.close())
  await hitAll(app, lines)
  t.match(raw.join(''), LEAKS, 'Fastify writes the raw message and stack')
})

t.test('with loggerOptions, no line Fastify or the plugin writes carries a secret', async t => {
  const { app, lines, raw } = await appWith({ ...loggerOptions() })
  t.teardown(() => app.close())
  await hitAll(app, lines)
  const messages = lines.map(l => l.msg)
  for (const expected of LATE) {
    t.ok(messages.includes(expected), `Fastify wrote "${expected}"`)
  }
  t.ok(lines.some(l => l.error_name === 'INTERNAL_ERROR'), 'the plugin\'s own 5xx line')
  t.ok(lines.some(l => l.error_name === 'BAD_REQUEST'), 'the plugin\'s own 4xx line')
  t.ok(lines.some(l => l.level === LEVEL.error && typeof l.msg === 'string' && l.msg.startsWith('login failed')), 'log.error(err) keeps a (masked) message')
  t.ok(lines.some(l => typeof l.msg === 'string' && l.msg.startsWith('upstream said')), 'a warn line keeps a (masked) message')
  for (const line of raw) t.notMatch(line, LEAKS, `no secret: ${line.slice(0, 120)}`)
  t.notMatch(raw.join(''), /abc123secret/, 'the URL of a request is masked')
  const errored = lines.find(l => l.msg === 'request errored')
  t.match(errored, { res: { statusCode: 200 }, err: { type: 'Error' } }, 'Fastify\'s fields stay')
})

t.test('Fastify\'s default handler (errorHandler: false): its message and err are masked', async t => {
  const { app, lines, raw } = await appWith({ ...loggerOptions() }, false)
  t.teardown(() => app.close())
  const res = await app.inject('/crash')
  t.equal(res.statusCode, 500)
  const line = lines.find(l => l.level === LEVEL.error && l.err !== undefined)
  t.ok(line, 'Fastify logged the 500')
  t.match(line, { req: { method: 'GET', url: '/crash' }, res: { statusCode: 500 } })
  for (const l of raw) t.notMatch(l, LEAKS)
})

t.test('the plugin\'s error lines keep req (5xx) and res, as Fastify\'s do', async t => {
  const { app, lines } = await appWith({ ...loggerOptions() })
  t.teardown(() => app.close())
  const crash = await app.inject('/crash')
  const five = lines.find(l => l.error_name === 'INTERNAL_ERROR')
  t.match(five, { req: { method: 'GET', url: '/crash' }, res: { statusCode: 500 }, reqId: crash.headers['x-request-id'], request_id: crash.headers['x-request-id'] })
  await app.inject('/client')
  const four = lines.find(l => l.error_name === 'BAD_REQUEST')
  t.match(four, { res: { statusCode: 400 } })
  t.notOk('req' in (four ?? {}), 'a 4xx line has no req, as Fastify\'s')
  t.match(five?.err, { type: 'INTERNAL_ERROR', code: 'INTERNAL_ERROR' }, 'the plugin\'s masked view passes the serializer unchanged')
  t.match(five?.msg, /^login failed password=/, 'the message is the thrown error\'s own, as in Fastify\'s line')
  t.notMatch(JSON.stringify(five), LEAKS, 'masked')
})

t.test('a custom redactor is used, and bad options are rejected', async t => {
  const strict = createRedactor({ extraKeys: ['tenant'] })
  const options = loggerOptions({ redactor: (v) => typeof v === 'string' ? String(strict(v)).replaceAll('widget', '[W]') : strict(v) })
  t.same(options.serializers.err(new Error('widget 9')).message, '[W] 9')
  t.throws(() => loggerOptions({ redactor: 'x' as never }), { name: 'TypeError', message: /option "redactor" must be a function/ })
  t.throws(() => loggerOptions(null as never), TypeError)
  t.throws(() => loggerOptions({ redacter: () => '' } as never), { name: 'TypeError', message: /unknown option "redacter"; did you mean "redactor"/ })
  t.same(Object.keys(loggerOptions()), ['serializers', 'hooks'])
})
