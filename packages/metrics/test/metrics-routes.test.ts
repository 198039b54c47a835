import t from 'tap'
import Fastify from 'fastify'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' }
})

t.test('the routes mount in Fastify: schemas compile, validate and serialize without losing fields', async t => {
  const metrics = createMetrics({ catalog: errors })
  metrics.record({ error: errors.USER_NOT_FOUND.create(undefined, { detail: { userId: '42', nested: { email: 'a.b@example.com' } } }), status: 404, method: 'GET', route: '/users/:id', path: '/users/42', requestId: 'r1', timestamp: Date.now() })
  const app = Fastify()
  t.teardown(() => app.close())
  for (const route of metrics.routes) {
    app.get(route.path, { schema: route.schema as never }, async (req, reply) => {
      const out = await route.handle({ query: req.query as Record<string, unknown>, params: req.params as Record<string, string> })
      return await reply.code(out.status ?? 200).type(out.contentType).send(out.body)
    })
  }
  await app.ready()

  const recent = await app.inject('/api/metrics/recent?limit=5')
  t.equal(recent.statusCode, 200)
  const event = recent.json().events[0]
  t.same(Object.keys(event).sort(), ['detail', 'domain', 'error_code', 'error_name', 'event_id', 'known', 'message', 'method', 'path', 'request_id', 'route', 'status_code', 'timestamp', 'trace_id'])
  t.same(event.detail, { userId: '42', nested: { email: 'a***@example.com' } }, 'detail survives serialization, masked')
  t.equal(event.trace_id, null)

  const summary = await app.inject('/api/metrics/summary')
  t.equal(summary.json().name_counts.USER_NOT_FOUND, 1)
  t.equal(summary.json().buckets.length, 60)

  const detail = await app.inject('/api/metrics/by-code/301')
  t.equal(detail.json().recent.length, 1)
  t.same(detail.json().status_counts, { 404: 1 })

  t.equal((await app.inject('/api/metrics/top-errors?limit=0')).statusCode, 400, 'Fastify rejects an out-of-range limit with the shared schema')
  t.equal((await app.inject('/api/metrics/by-code/not-a-code')).statusCode, 400)
  t.match((await app.inject('/metrics')).headers['content-type'], /text\/plain; version=0\.0\.4/)
  t.match((await app.inject('/api/metrics/dashboard')).body, /<canvas id="chart"/)
})
