import t from 'tap'
import Fastify from 'fastify'
import { frameworkErrors } from '../src/index.js'
import { buildApp, errorLines } from './fixtures/app.js'
import { listen, send } from './fixtures/http.js'

t.test('a bad URL answers BAD_REQUEST in the registered plugin\'s shape', async t => {
  const { app, lines } = await buildApp({ format: 'problem', typeBaseUrl: 'https://e.example/' }, { frameworkErrors })
  t.teardown(() => app.close())
  app.get('/items/:id', async () => 'ok')
  const res = await app.inject({ url: '/items/%E0%A4%A', headers: { 'x-request-id': 'bad-url-1' } })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.json(), { type: 'https://e.example/BAD_REQUEST', status: 400, error_name: 'BAD_REQUEST', request_id: 'bad-url-1' })
  t.notMatch(res.body, /FST_ERR|valid url component/)
  t.ok(errorLines(lines).some(l => l.error_name === 'BAD_REQUEST'), 'logged like any error')
})

t.test('too-long params (maxParamLength)', async t => {
  const { app } = await buildApp({}, { frameworkErrors, maxParamLength: 10 })
  t.teardown(() => app.close())
  app.get('/items/:id', async () => 'ok')
  const res = await app.inject(`/items/${'x'.repeat(50)}`)
  t.match(res.json(), { error_name: 'BAD_REQUEST' })
  t.equal(res.json().status_code, res.statusCode, 'body status equals HTTP status')
  t.notMatch(res.body, /FST_ERR|exceeding/)
  t.equal(res.statusCode, 414, 'keeps Fastify\'s 414 for a too-long param')
})

t.test('over a real socket', async t => {
  const { app } = await buildApp({}, { frameworkErrors })
  t.teardown(() => app.close())
  app.get('/items/:id', async () => 'ok')
  const target = await listen(app)
  const res = await send(target, { path: '/items/%E0%A4%A' })
  t.equal(res.status, 400)
  t.equal(JSON.parse(res.body).error_name, 'BAD_REQUEST')
})

t.test('without the plugin registered it answers with built-in defaults', async t => {
  const app = Fastify({ frameworkErrors })
  t.teardown(() => app.close())
  app.get('/items/:id', async () => 'ok')
  const res = await app.inject('/items/%E0%A4%A')
  t.equal(res.statusCode, 400)
  t.match(res.json(), { error_code: 490, error_name: 'BAD_REQUEST', status_code: 400 })
})
