import t from 'tap'
import Fastify, { type FastifyRequest } from 'fastify'
import { routeOf } from '../src/route-context.js'

// routeOf reads the route context Fastify keeps behind a private symbol; it must give what the public
// (and slower) request.routeOptions.url gives, wherever the plugin reads it.
t.test('routeOf gives request.routeOptions.url for every kind of route, in hooks, handlers and error handlers', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  const seen: Array<[string, string | undefined, string | undefined]> = []
  const look = (where: string) => (request: FastifyRequest): void => { seen.push([where, routeOf(request), request.routeOptions.url]) }
  app.addHook('onRequest', async (request) => { look('onRequest')(request) })
  app.addHook('onResponse', async (request) => { look('onResponse')(request) })
  app.setErrorHandler((err, request, reply) => { look('error handler')(request); return reply.code(500).send({ err: (err as Error).message }) })
  app.setNotFoundHandler((request, reply) => { look('not found')(request); return reply.code(404).send('no') })
  app.get('/users/:id', async (request) => { look('handler')(request); return 'ok' })
  app.get('/boom', async () => { throw new Error('boom') })
  app.get('/versioned', { constraints: { version: '1.2.0' } }, async (request) => { look('versioned')(request); return 'ok' })
  app.get('/gone', async (request, reply) => { reply.callNotFound() })
  await app.register(async (scope) => {
    scope.get('/items/*', async (request) => { look('prefixed wildcard')(request); return 'ok' })
  }, { prefix: '/v1' })
  for (const url of ['/users/42', '/boom', '/v1/items/a/b', '/nowhere', '/users/42?q=1', '/gone', '/versioned']) {
    await app.inject(url)
    await app.inject({ method: 'HEAD', url })
  }
  await app.inject({ url: '/versioned', headers: { 'accept-version': '1.x' } })
  t.ok(seen.length >= 40, `${seen.length} reads`)
  t.ok(seen.some(([where, ours]) => where === 'versioned' && ours === '/versioned'), 'a constrained route')
  t.ok(seen.some(([where, ours]) => where === 'not found' && ours === undefined), 'reply.callNotFound() and unknown URLs: no template')
  for (const [where, ours, theirs] of seen) t.equal(ours, theirs, `${where}: ${String(theirs)}`)
  t.ok(seen.some(([, ours]) => ours === '/users/:id'), 'a parametric route is named by its template')
  t.ok(seen.some(([, ours]) => ours === '/v1/items/*'), 'a prefixed route by its full template')
})

t.test('two copies of Fastify in one process: each request is read through its own copy\'s symbol', async t => {
  // A second copy has its own private symbol: routeOf looks it up again for a request that lacks the one it knows.
  const request = { routeOptions: { url: '/fallback' } } as unknown as FastifyRequest
  t.equal(routeOf(request), '/fallback', 'no route context found: the public getter answers')
  const other = { [Symbol('fastify.context')]: { config: { url: '/other/:id' } }, routeOptions: { url: 'unused' } } as unknown as FastifyRequest
  t.equal(routeOf(other), '/other/:id', 'another copy\'s symbol, found by its description')
})
