import t from 'tap'
import { buildApp } from '../src/app.js'
import { demoObservability, newOpsToken } from '../src/observability.js'
import { createContract } from './openapi-contract.js'

interface Case { readonly method: string, readonly url: string, readonly status: number, readonly body?: string, readonly headers?: Record<string, string> }

const json = { 'content-type': 'application/json' }
// The ops routes are guarded: the cases below carry the token, one case does not.
const opsToken = newOpsToken()
const ops = { authorization: `Bearer ${opsToken}` }
// Every documented route: happy path, each declared error, validation failure, malformed body, wrong
// content type, too-large body; then unknown route, unsupported method, HEAD, metrics and dashboard.
const cases: Case[] = [
  { method: 'GET', url: '/users/1', status: 200 },
  { method: 'GET', url: '/users/42', status: 404 },
  { method: 'GET', url: '/users/abc', status: 400 },
  { method: 'GET', url: '/users/%E0%A4%A', status: 400 },
  { method: 'HEAD', url: '/users/1', status: 200 },
  { method: 'HEAD', url: '/users/42', status: 404 },
  { method: 'POST', url: '/users', status: 201, headers: json, body: '{"name":"Lee","email":"lee@example.com"}' },
  { method: 'POST', url: '/users', status: 409, headers: json, body: '{"name":"Kim","email":"kim@example.com"}' },
  { method: 'POST', url: '/users', status: 400, headers: json, body: '{"name":"Lee","email":"nope"}' },
  { method: 'POST', url: '/users', status: 400, headers: json, body: '{"name":' },
  { method: 'POST', url: '/users', status: 400, headers: json, body: '' },
  { method: 'POST', url: '/users', status: 415, headers: { 'content-type': 'text/csv' }, body: 'name,email' },
  { method: 'POST', url: '/users', status: 413, headers: json, body: JSON.stringify({ name: 'x'.repeat(1_100_000), email: 'a@b.c' }) },
  { method: 'GET', url: '/orders/100', status: 200 },
  { method: 'GET', url: '/orders/7', status: 404 },
  { method: 'GET', url: '/orders/100', status: 401, headers: { authorization: 'Bearer expired' } },
  { method: 'HEAD', url: '/orders/7', status: 404 },
  { method: 'POST', url: '/orders/100/pay', status: 200, headers: json, body: '{"card":"4242424242424242"}' },
  { method: 'POST', url: '/orders/100/pay', status: 402, headers: json, body: '{"card":"4242000000000000"}' },
  { method: 'POST', url: '/orders/100/pay', status: 503, headers: json, body: '{"card":"4242000000005030"}' },
  { method: 'POST', url: '/orders/100/pay', status: 429, headers: json, body: '{"card":"4242000000004290"}' },
  { method: 'POST', url: '/orders/100/pay', status: 400, headers: json, body: '{"card":"1"}' },
  { method: 'POST', url: '/orders/100/pay', status: 400, headers: json, body: '{"card":' },
  { method: 'POST', url: '/orders/100/pay', status: 415, headers: { 'content-type': 'application/xml' }, body: '<card/>' },
  { method: 'GET', url: '/nope', status: 404 },
  { method: 'DELETE', url: '/users/1', status: 404 },
  { method: 'GET', url: '/crash', status: 500 },
  { method: 'GET', url: '/metrics', status: 200, headers: ops },
  { method: 'GET', url: '/metrics', status: 200, headers: { ...ops, accept: 'application/openmetrics-text; version=1.0.0' } },
  { method: 'GET', url: '/metrics', status: 401 },
  { method: 'GET', url: '/api/metrics/summary', status: 200, headers: ops },
  { method: 'GET', url: '/api/metrics/recent?limit=5', status: 200, headers: ops },
  { method: 'GET', url: '/api/metrics/recent?limit=abc', status: 400, headers: ops },
  { method: 'GET', url: '/api/metrics/top-errors', status: 200, headers: ops },
  { method: 'GET', url: '/api/metrics/by-code/301', status: 200, headers: ops },
  { method: 'GET', url: '/api/metrics/by-code/999', status: 404, headers: ops },
  { method: 'GET', url: '/api/metrics/by-code/not%20a%20code', status: 400, headers: ops },
  { method: 'GET', url: '/api/metrics/dashboard', status: 200, headers: ops },
  { method: 'GET', url: '/api/metrics/dashboard', status: 401, headers: { authorization: 'Bearer wrong' } }
]

for (const [format, accept] of [['json', 'application/json'], ['problem', 'application/problem+json']] as const) {
  t.test(`every response of the demo validates against its OpenAPI document (${format})`, async t => {
    const observability = demoObservability({ opsToken })
    const app = await buildApp({ observability, format })
    t.teardown(async () => { await app.close(); await observability.tracing.shutdown() })
    await app.ready()
    const contract = await createContract(app.swagger())
    const operations: Array<[string, RegExp]> = []
    for (const [path, item] of Object.entries(app.swagger().paths ?? {})) {
      for (const method of Object.keys(item ?? {})) operations.push([`${method.toUpperCase()} ${path}`, new RegExp(`^${method.toUpperCase()} ${path.replace(/\{\w+\}/g, '[^/]+')}$`)])
    }
    const driven = new Set<string>()
    for (const c of cases) {
      const res = await app.inject({ method: c.method as 'GET', url: c.url, payload: c.body, headers: { accept, 'accept-language': 'ko', ...c.headers } })
      t.equal(res.statusCode, c.status, `${c.method} ${c.url} answers ${c.status}`, { body: res.body.slice(0, 300) })
      await contract.check(t, { method: c.method, url: c.url, status: res.statusCode, headers: res.headers, body: res.body })
      if (res.statusCode >= 400 && c.method !== 'HEAD' && res.headers['content-type']?.includes('json') === true) {
        t.match(res.headers['content-type'], format === 'problem' ? /^application\/problem\+json/ : /^application\/json/, 'the error comes in the asked format')
      }
      const request = `${c.method === 'HEAD' ? 'GET' : c.method} ${c.url.split('?')[0]}`
      for (const [name, pattern] of operations) if (pattern.test(request)) driven.add(name)
    }
    t.same(operations.map(([name]) => name).filter(name => !driven.has(name)), [], 'every documented operation is driven')
  })
}

t.test('the contract does fail on an undocumented status, media type or body', async t => {
  const observability = demoObservability()
  const app = await buildApp({ observability })
  t.teardown(async () => { await app.close(); await observability.tracing.shutdown() })
  await app.ready()
  const contract = await createContract(app.swagger())
  const results: boolean[] = []
  const fake = {
    ok: (v: unknown) => { results.push(Boolean(v)); return Boolean(v) },
    equal: (a: unknown, b: unknown) => { results.push(a === b); return a === b }
  } as unknown as Parameters<typeof contract.check>[0]
  const body = JSON.stringify({ error_code: 301, error_name: 'USER_NOT_FOUND', message: 'x', status_code: 404, timestamp: '2026-01-16T10:00:00.000Z', request_id: 'r' })
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r' }
  await contract.check(fake, { method: 'GET', url: '/users/42', status: 404, headers, body })
  t.notOk(results.includes(false), 'a real 404 body passes')
  for (const [what, observed] of [
    ['an undocumented status', { method: 'GET', url: '/users/42', status: 418, headers, body }],
    ['an undocumented media type', { method: 'GET', url: '/users/42', status: 404, headers: { ...headers, 'content-type': 'text/plain' }, body }],
    ['an undeclared detail property', { method: 'POST', url: '/orders/100/pay', status: 402, headers, body: JSON.stringify({ error_code: 601, error_name: 'CARD_DECLINED', message: 'x', detail: { attempts: 1, leak: 'x' }, status_code: 402, timestamp: '2026-01-16T10:00:00.000Z' }) }],
    ['an extra field', { method: 'GET', url: '/users/42', status: 404, headers, body: body.replace('"message"', '"errors":[],"message"') }],
    ['another code', { method: 'GET', url: '/users/42', status: 404, headers, body: body.replace('301', '302') }],
    ['a timestamp that is not a date-time', { method: 'GET', url: '/users/42', status: 404, headers, body: body.replace('2026-01-16T10:00:00.000Z', 'yesterday') }]
  ] as const) {
    results.length = 0
    await contract.check(fake, observed)
    t.ok(results.includes(false), `${what} fails the contract`)
  }
})
