import t from 'tap'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { createMetricsHandler } from '../src/metrics-handler.js'
import { serve } from './fixtures/serve.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' }
})

t.test('serves every route from node:http and validates query and params', async t => {
  const metrics = createMetrics({ catalog: errors })
  for (let i = 0; i < 3; i++) metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, path: `/users/${i}`, timestamp: Date.now() })
  const { server, base } = await serve(metrics)
  t.teardown(() => server.close())

  let res = await fetch(`${base}/metrics`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /text\/plain/)
  t.match(await res.text(), /errcodes_errors_total\{error_code="301"/)

  res = await fetch(`${base}/api/metrics/summary`)
  t.equal(res.status, 200)
  t.equal((await res.json()).total_errors, 3)

  res = await fetch(`${base}/api/metrics/recent?limit=2`)
  t.equal((await res.json()).events.length, 2)

  res = await fetch(`${base}/api/metrics/top-errors?limit=1&utm=x`)
  t.same((await res.json()).errors.map((e: { error_name: string }) => e.error_name), ['USER_NOT_FOUND'])

  for (const code of ['301', 'USER_NOT_FOUND']) {
    res = await fetch(`${base}/api/metrics/by-code/${code}`)
    t.equal((await res.json()).count, 3, code)
  }

  res = await fetch(`${base}/api/metrics/by-code/777`)
  t.equal(res.status, 404)
  t.match(await res.json(), { error_name: 'NOT_FOUND', status_code: 404 })

  for (const bad of ['limit=0', 'limit=1001', 'limit=abc', 'limit=1.5', 'limit=1&limit=2']) {
    res = await fetch(`${base}/api/metrics/recent?${bad}`)
    t.equal(res.status, 400, bad)
    const body = await res.json()
    t.equal(body.error_name, 'VALIDATION_FAILED', bad)
    t.equal(body.errors[0].location, 'querystring', bad)
  }
  for (const bad of ['lower', '%E0%A4%A', '12345', `${'A'.repeat(80)}`]) {
    res = await fetch(`${base}/api/metrics/by-code/${bad}`)
    t.equal(res.status, 400, bad)
    t.equal((await res.json()).errors[0].location, 'params')
  }

  res = await fetch(`${base}/api/metrics/dashboard`)
  t.match(res.headers.get('content-type'), /text\/html/)
  res = await fetch(`${base}/api/metrics/summary`, { method: 'HEAD' })
  t.equal(res.status, 200)
  t.equal(await res.text(), '')
  res = await fetch(`${base}/api/metrics/summary`, { method: 'POST' })
  t.equal(res.status, 404, 'other methods are not answered')
  res = await fetch(`${base}/api/metrics/summary/extra`)
  t.equal(res.status, 404)
})

t.test('prefix and onRequest guard', async t => {
  const metrics = createMetrics()
  const { server, base } = await serve(metrics, {
    prefix: '/ops',
    onRequest: (req, res) => {
      if (req.headers.authorization === 'Bearer let-me-in') return true
      res.statusCode = 401
      res.end()
      return false
    }
  })
  t.teardown(() => server.close())
  t.equal((await fetch(`${base}/metrics`)).status, 404, 'not served outside the prefix')
  t.equal((await fetch(`${base}/ops/metrics`)).status, 401)
  t.equal((await fetch(`${base}/ops/metrics`, { headers: { authorization: 'Bearer let-me-in' } })).status, 200)
})

t.test('handler options are validated', async t => {
  const metrics = createMetrics()
  t.throws(() => createMetricsHandler({} as never), { name: 'TypeError', message: /recorder/ })
  t.throws(() => createMetricsHandler(metrics, { prefix: 'ops' }), { name: 'TypeError', message: /option "prefix"/ })
  t.throws(() => createMetricsHandler(metrics, { prefix: '/ops/' }), { name: 'TypeError', message: /option "prefix"/ })
  t.throws(() => createMetricsHandler(metrics, { onRequest: 'x' as never }), { name: 'TypeError', message: /option "onRequest"/ })
})
