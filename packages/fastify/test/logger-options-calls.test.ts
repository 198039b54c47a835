import t from 'tap'
import Fastify from 'fastify'
import { errorCodes, loggerOptions } from '../src/index.js'
import { errors } from './fixtures/catalog.js'
import { logCapture, LEVEL } from './fixtures/logs.js'

const SECRET = 'password=hunter2 card 4111 1111 1111 1111'
const LEAKS = /hunter2|4111 1111 1111 1111/

// The ways application code calls the request logger with an error, through a real pino logger.
t.test('log.error(err, msg), log.error({ err }) and log.error({ err, msg }) are all masked', async t => {
  const cap = logCapture()
  const app = Fastify({ logger: { level: 'info', stream: cap.stream, ...loggerOptions() } })
  await app.register(errorCodes, { catalog: errors })
  app.get('/calls', async (req) => {
    req.log.error(new Error('first'), `while charging ${SECRET}`)
    req.log.error({ err: new Error(`declined ${SECRET}`) })
    req.log.error({ err: new Error('kept'), msg: `the caller's own msg field ${SECRET}` })
    req.log.info({ note: 'no error' }, `an info line keeps its text ${SECRET.slice(0, 8)}`)
    return { ok: true }
  })
  t.teardown(() => app.close())
  t.equal((await app.inject('/calls')).statusCode, 200)
  const errorsLogged = cap.lines.filter(l => l.level === LEVEL.error)
  t.equal(errorsLogged.length, 3)
  t.match(errorsLogged[0].msg, /^while charging password=/, 'the given message, masked')
  t.match(errorsLogged[1].msg, /^declined password=/, '{ err } alone: the error\'s message, masked')
  t.match(errorsLogged[2].msg, /^the caller's own msg field password=/, 'a msg field is the message: masked too')
  for (const line of errorsLogged) t.notMatch(JSON.stringify(line), LEAKS)
  t.ok(cap.lines.some(l => l.msg === 'an info line keeps its text password'), 'info lines without an error pass through')
})

t.test('a warning\'s msg field is masked; { err } of a value without a message gets an empty message', async t => {
  const cap = logCapture()
  const app = Fastify({ logger: { level: 'info', stream: cap.stream, ...loggerOptions() } })
  app.get('/w', async (req) => {
    req.log.warn({ msg: `upstream said ${SECRET}` })
    req.log.error({ err: { reason: 'a plain object, not an Error' } })
    return 'ok'
  })
  t.teardown(() => app.close())
  await app.inject('/w')
  const warn = cap.lines.find(l => l.level === LEVEL.warn)
  t.match(warn?.msg, /^upstream said password=/)
  t.notMatch(JSON.stringify(warn), LEAKS)
  const error = cap.lines.find(l => l.level === LEVEL.error)
  t.equal(error?.msg, '')
})

t.test('a redactor that answers something other than a string masks to an empty message', async t => {
  const cap = logCapture()
  const app = Fastify({ logger: { level: 'info', stream: cap.stream, ...loggerOptions({ redactor: () => 42 }) } })
  app.get('/warn', async (req) => { req.log.warn(`upstream said ${SECRET}`); return 'ok' })
  t.teardown(() => app.close())
  await app.inject('/warn')
  const warn = cap.lines.find(l => l.level === LEVEL.warn)
  t.equal(warn?.msg, '')
})

t.test('the req serializer passes a url that is not a string through', async t => {
  const view = loggerOptions().serializers.req({ method: 'GET', headers: {} } as never)
  t.same(view, { method: 'GET', url: undefined, version: undefined, host: undefined, remoteAddress: undefined, remotePort: undefined })
})
