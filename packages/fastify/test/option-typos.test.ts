import t from 'tap'
import Fastify from 'fastify'
import type { PortRoute } from '@errcodes/core'
import { createTokenGuard, errorCodes, type ErrorCodesOptions } from '../src/index.js'
import { fakeRecorder } from './fixtures/ports.js'

// The port routes (`/metrics`) carry operational data: a typo in `routes` must never mount them at
// the root without their guard. Each case goes through `app.register`, the path a user takes.
const metricsRoute: PortRoute = { path: '/metrics', handle: () => ({ contentType: 'text/plain', body: 'x 1\n' }) }

async function registerFails (t: Parameters<Parameters<typeof t.test>[1]>[0], options: unknown, message: RegExp): Promise<void> {
  const app = Fastify()
  app.register(errorCodes, options as ErrorCodesOptions)
  await t.rejects(async () => { await app.ready() }, { name: 'TypeError', message })
  await app.close()
}

t.test('a typo in a nested routes key is refused at registration, naming the closest valid key', async t => {
  const metrics = fakeRecorder('ok', [metricsRoute])
  const guard = createTokenGuard({ token: 'a-long-ops-token-123456' })
  await registerFails(t, { metrics, routes: { prefx: '/internal', onRequest: guard } }, /^@errcodes\/fastify: unknown option "routes\.prefx"; did you mean "routes\.prefix"\?/)
  await registerFails(t, { metrics, routes: { prefix: '/internal', onReqest: guard } }, /^@errcodes\/fastify: unknown option "routes\.onReqest"; did you mean "routes\.onRequest"\?/)
  await registerFails(t, { metrics, routes: { hid: true } }, /^@errcodes\/fastify: unknown option "routes\.hid"; did you mean "routes\.hide"\?/)
  await registerFails(t, { metrics, routes: [] }, /^@errcodes\/fastify: option "routes" must be false or an object/)
})

t.test('the guarded routes still answer 401 without the token, 200 with it', async t => {
  const app = Fastify()
  app.register(errorCodes, { metrics: fakeRecorder('ok', [metricsRoute]), routes: { prefix: '/internal', onRequest: createTokenGuard({ token: 'a-long-ops-token-123456' }) } })
  t.teardown(() => app.close())
  t.equal((await app.inject('/internal/metrics')).statusCode, 401)
  t.equal((await app.inject({ url: '/internal/metrics', headers: { authorization: 'Bearer a-long-ops-token-123456' } })).statusCode, 200)
})

t.test('malformed port routes of a recorder are a clear TypeError at registration', async t => {
  const record = (): void => {}
  await registerFails(t, { metrics: { record, routes: 'nope' } }, /^@errcodes\/fastify: option "metrics" has "routes" that is not an array/)
  await registerFails(t, { metrics: { record, routes: [null] } }, /^@errcodes\/fastify: option "metrics" has routes\[0\] that is not a port route/)
  await registerFails(t, { metrics: { record, routes: [{ path: '/y' }] } }, /^@errcodes\/fastify: option "metrics" has routes\[0\] \("\/y"\) without a "handle" function/)
  await registerFails(t, { metrics: { record, routes: [metricsRoute, { path: 'y', handle: record }] } }, /^@errcodes\/fastify: option "metrics" has routes\[1\] whose "path" is not a string starting with "\/"/)
  await registerFails(t, { metrics: { record, routes: [{ path: '/y', handle: record, schema: 'x' }] } }, /routes\[0\] \("\/y"\) whose "schema" is not an object/)
  await registerFails(t, { metrics: { record, routes: [{ path: '/y', handle: record, schema: null }] } }, /whose "schema" is not an object/)
})

t.test('an unknown severity in logLevels suggests the closest one', async t => {
  await registerFails(t, { logLevels: { lo: 'info' } }, /^@errcodes\/fastify: option "logLevels" has an unknown severity "lo"; did you mean "logLevels\.low"\?/)
})

t.test('a port that throws while the plugin registers is named, prefixed and masked', async t => {
  const useCatalog = (): void => { throw new Error('port exploded password=hunter2') }
  const app = Fastify()
  app.register(errorCodes, { metrics: { record () {}, useCatalog } })
  const err = await app.ready().then(() => undefined, (e: Error) => e)
  t.match(err, { message: /^@errcodes\/fastify: option "metrics": useCatalog failed: port exploded password=\[REDACTED\]/ })
  t.notMatch(String(err?.message), /hunter2/)
  await app.close()

  const i18n = { negotiate: () => 'en', get translate (): never { throw new Error('translator exploded password=hunter2') } }
  await registerFails(t, { i18n }, /^@errcodes\/fastify: the options cannot be read: translator exploded password=\[REDACTED\]$/)
})

t.test('a fault log line carries the thrown type, not "Object"', async t => {
  const lines: Array<Record<string, any>> = []
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } } })
  app.register(errorCodes, { metrics: { record () { throw new RangeError('recorder broke') } } })
  app.get('/boom', async () => { throw new Error('x') })
  t.teardown(() => app.close())
  t.equal((await app.inject('/boom')).statusCode, 500)
  const fault = lines.find(l => l.errcodes_fault !== undefined)
  t.ok(fault, 'a fault line was written')
  t.equal(fault?.err?.type, 'RangeError')
  t.match(fault?.err?.message, /recorder broke/)
})
