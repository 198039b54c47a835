import t from 'tap'
import { buildApp } from '../src/app.js'
// The contract checker of the demo (openapi-backend, one media type at a time).
import { createContract } from '../../fastify-demo/test/openapi-contract.js'

const json = { 'content-type': 'application/json' }
const cases = [
  { method: 'GET', url: '/invoices/1', status: 200 },
  { method: 'GET', url: '/invoices/9', status: 404 },
  { method: 'HEAD', url: '/invoices/9', status: 404 },
  { method: 'POST', url: '/invoices/1/pay', status: 200 },
  { method: 'POST', url: '/invoices/2/pay', status: 409 },
  { method: 'POST', url: '/invoices/3/pay', status: 403 },
  { method: 'POST', url: '/invoices/9/pay', status: 404 },
  { method: 'POST', url: '/invoices/9/pay', status: 400, headers: json, body: '{"a":' },
  { method: 'POST', url: '/invoices/9/pay', status: 415, headers: { 'content-type': 'text/csv' }, body: 'a,b' },
  { method: 'POST', url: '/invoices/9/pay', status: 413, headers: json, body: JSON.stringify({ a: 'x'.repeat(1_100_000) }) },
  { method: 'GET', url: '/nope', status: 404 },
  { method: 'PUT', url: '/invoices/1', status: 404 }
]

for (const accept of ['application/json', 'application/problem+json']) {
  t.test(`every response of the billing example validates against its document (${accept})`, async t => {
    const app = await buildApp()
    t.teardown(() => app.close())
    await app.ready()
    const contract = await createContract(app.swagger())
    for (const c of cases) {
      const res = await app.inject({ method: c.method as 'GET', url: c.url, payload: c.body, headers: { accept, ...c.headers } })
      t.equal(res.statusCode, c.status, `${c.method} ${c.url} answers ${c.status}`)
      await contract.check(t, { method: c.method, url: c.url, status: res.statusCode, headers: res.headers, body: res.body })
    }
  })
}
