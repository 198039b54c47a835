import t from 'tap'
import type { ErrorTracer } from '@errcodes/core'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeRecorder, fakeTracer } from './fixtures/ports.js'

t.test('an error whose response fails on its way out: the span gets the 500 that was sent instead', async t => {
  const tracing = fakeTracer()
  const { app } = await buildApp({ tracing })
  t.teardown(() => app.close())
  app.get('/x', (req, reply) => { reply.header('x-echo', 'a\nb'); throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 500)
  t.equal(res.json().error_name, 'INTERNAL_ERROR')
  const recorded = tracing.calls.filter(c => c.fn === 'recordError')
  t.same(recorded.map(c => c.fn === 'recordError' ? [c.error.name, c.status] : []), [['USER_NOT_FOUND', 404], ['USER_NOT_FOUND', 500]])
  t.match(tracing.calls.at(-1), { fn: 'finishRequest', status: 500 })
})

t.test('a scope with ids that are not W3C hex: no trace header, logged once as a tracer fault', async t => {
  const tracing: ErrorTracer = {
    startRequest: () => ({ traceId: 'not-a-trace-id', spanId: 'x' }),
    withScope: (_s, fn) => fn(),
    recordError () {},
    finishRequest () {}
  }
  const metrics = fakeRecorder()
  const { app, lines } = await buildApp({ tracing, metrics })
  t.teardown(() => app.close())
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  for (let i = 0; i < 2; i++) {
    const res = await app.inject('/x')
    t.equal(res.statusCode, 404)
    t.notOk('x-trace-id' in res.headers)
  }
  t.equal(lines.filter(l => l.errcodes_fault === 'tracer').length, 1)
  t.equal(metrics.events[0].traceId, undefined)
})

t.test('with a tracer scope, the recorder event carries the trace id of the response', async t => {
  const tracing = fakeTracer()
  const metrics = fakeRecorder()
  const { app } = await buildApp({ tracing, metrics })
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/users/1')
  t.equal(metrics.events.length, 1)
  t.equal(metrics.events[0].traceId, res.headers['x-trace-id'])
  t.match(tracing.calls.at(-1), { fn: 'finishRequest', status: 404, route: '/users/:id' })
})

t.test('another setErrorHandler mistake in the plugin\'s scope is Fastify\'s own error', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  t.throws(() => app.setErrorHandler(42 as never), { code: 'FST_ERR_ERROR_HANDLER_NOT_FN' })
})
