import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Type } from '@sinclair/typebox'
import type { ErrorRecorder } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { createMetricsHandler, handleMetricsRequest } from '../src/metrics-handler.js'

// createMetricsHandler serves any ErrorRecorder's routes, not only createMetrics': a recorder of one's
// own, with its own schemas, through a real node:http server.
const recorder: ErrorRecorder = {
  record () {},
  routes: [
    { path: '/boom', handle () { throw new Error('the store is down') } },
    { path: '/plain', handle: () => ({ body: 'plain text' }) },
    {
      path: '/search',
      schema: {
        querystring: Type.Object({
          mode: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('exact')])),
          ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, Type.String()]))
        })
      },
      handle: ({ query }) => ({ body: query })
    }
  ]
}

async function listen (t: Test, handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): Promise<string> {
  const server = createServer((req, res) => {
    handle(req, res).then(answered => { if (!answered) { res.statusCode = 404; res.end('not mine') } }, () => { res.statusCode = 599; res.end() })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('a route that throws answers a 500 in the core JSON format; HEAD gets no body', async t => {
  const base = await listen(t, (req, res) => handleMetricsRequest(recorder, req, res))
  let res = await fetch(`${base}/boom`)
  t.equal(res.status, 500)
  t.match(res.headers.get('content-type'), /application\/json/)
  const body = await res.json()
  t.match(body, { error_name: 'INTERNAL_ERROR', status_code: 500 })
  t.notMatch(JSON.stringify(body), /the store is down/, 'the cause is not shown to clients')
  res = await fetch(`${base}/boom`, { method: 'HEAD' })
  t.equal(res.status, 500)
  t.equal(await res.text(), '')
})

t.test('a body without a content type is sent as text/plain', async t => {
  const base = await listen(t, (req, res) => handleMetricsRequest(recorder, req, res))
  const res = await fetch(`${base}/plain`)
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8')
  t.equal(await res.text(), 'plain text')
})

t.test('query strings: repeated keys collect, prototype keys and keys past 20 are dropped, 10 issues at most', async t => {
  const base = await listen(t, (req, res) => handleMetricsRequest(recorder, req, res))
  const fields = Array.from({ length: 12 }, (_, i) => `f${i}=v`).join('&')
  let res = await fetch(`${base}/search?${fields}&mode=fast`)
  t.equal(res.status, 200)
  t.same(await res.json(), { ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, 'v'])), mode: 'fast' })

  res = await fetch(`${base}/search?__proto__=x&constructor=y&prototype=z`)
  t.equal(res.status, 400)
  let body = await res.json()
  t.equal(body.errors.length, 10, 'twelve missing fields, ten issues reported')
  t.notOk(body.errors.some((e: { field: string }) => /proto|constructor/.test(e.field)))

  res = await fetch(`${base}/search?${fields}&mode=slow`)
  body = await res.json()
  t.match(body.errors, [{ location: 'querystring', field: 'mode', keyword: 'schema' }], 'a union names no single keyword')

  res = await fetch(`${base}/search?${fields}&mode=fast&mode=exact&mode=fast`)
  body = await res.json()
  t.equal(res.status, 400, 'three values are an array')
  t.match(body.errors, [{ field: 'mode' }])

  // Keys after the 20th are not read at all: f11 is the 21st key here, so it counts as missing.
  const padded = Array.from({ length: 9 }, (_, i) => `x${i}=1`).join('&')
  res = await fetch(`${base}/search?${padded}&${fields}`)
  body = await res.json()
  t.equal(res.status, 400)
  t.same(new Set(body.errors.map((e: { field: string }) => e.field)), new Set(['f11']))
})

t.test('a recorder without routes answers nothing; handler options must be an object', async t => {
  const base = await listen(t, createMetricsHandler({ record () {} }))
  t.equal((await fetch(`${base}/metrics`)).status, 404)
  t.throws(() => createMetricsHandler(createMetrics(), null as never), { name: 'TypeError', message: 'createMetricsHandler: options must be an object' })
})
