import t from 'tap'
import { Registry } from 'prom-client'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { MAX_ROUTES, MAX_SERIES, OTHER } from '../src/error-counter.js'

const errors = defineErrors({ USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' } })
const STATUSES = [400, 401, 403, 404, 405, 409, 410, 422, 429, 500, 502, 503]

async function series (registry: Registry): Promise<Array<{ labels: Record<string, unknown>, value: number }>> {
  const metric = registry.getSingleMetric('errcodes_errors_total')
  return metric === undefined ? [] : (await metric.get()).values.map(v => ({ labels: v.labels, value: v.value }))
}

t.test('every label set keeps its own series, and the ones past MAX_SERIES share one, however often they come back', async t => {
  const metrics = createMetrics({ catalog: errors, labels: { method: true, route: true } })
  const error = errors.USER_NOT_FOUND.create()
  // MAX_ROUTES routes × 12 statuses: more label sets than MAX_SERIES.
  const sets: Array<[number, string]> = []
  for (let r = 0; r < MAX_ROUTES; r++) for (const status of STATUSES) sets.push([status, `/r${r}/:id`])
  t.ok(sets.length > MAX_SERIES)
  for (let pass = 1; pass <= 3; pass++) {
    for (const [status, route] of sets) metrics.record({ error, status, method: pass === 2 ? 'get' : 'GET', route, timestamp: 0 })
    const values = await series(metrics.registry)
    t.equal(values.length, MAX_SERIES + 1, `pass ${pass}: ${MAX_SERIES} series and the shared overflow`)
    t.equal(values.reduce((n, v) => n + v.value, 0), sets.length * pass, `pass ${pass}: every record counted once`)
    const overflow = values.filter(v => v.labels.error_name === OTHER && v.labels.route === OTHER)
    t.equal(overflow.length, 1)
    t.equal(overflow[0].value, (sets.length - MAX_SERIES) * pass, `pass ${pass}: the label sets past the cap all land in the overflow`)
    const first = values.find(v => v.labels.route === '/r0/:id' && v.labels.status_code === '400')
    t.match(first, { labels: { method: 'GET', error_name: 'USER_NOT_FOUND' }, value: pass }, `pass ${pass}: a lower-case method is the same series`)
  }
})

t.test('label sets differ by each label, and labels switched off do not split series', async t => {
  const error = errors.USER_NOT_FOUND.create()
  const both = createMetrics({ catalog: errors, labels: { method: true, route: true } })
  const none = createMetrics({ catalog: errors, labels: { method: false, route: false } })
  for (const m of [both, none]) {
    for (const [method, route] of [['GET', '/a'], ['POST', '/a'], ['GET', '/b'], ['GET', '/a']]) m.record({ error, status: 404, method, route, timestamp: 0 })
  }
  t.same((await series(both.registry)).map(v => [v.labels.method, v.labels.route, v.value]).sort(), [['GET', '/a', 2], ['GET', '/b', 1], ['POST', '/a', 1]])
  t.same((await series(none.registry)).map(v => v.value), [4])
})
