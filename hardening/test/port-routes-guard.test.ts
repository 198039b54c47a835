import t from 'tap'
import { createMetrics } from '@errcodes/metrics'
import { createTokenGuard } from '@errcodes/fastify'
import { buildApp } from '@errcodes-examples/fastify-demo/src/app.js'
import { rawGet, rawRequest } from './fixtures/raw-http.js'

const TOKEN = 'ops-token-0123456789'

/** The guard SECURITY.md recommends. */
const requireOpsToken = createTokenGuard({ token: TOKEN })

for (const prefix of ['', '/internal']) {
  t.test(`every port route is guarded (prefix "${prefix}"): 401 without the token, 200 with it`, async t => {
    const metrics = createMetrics()
    const app = await buildApp({ observability: { metrics, routes: { prefix, onRequest: requireOpsToken } } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => app.close())
    const port = (app.server.address() as { port: number }).port
    await app.inject('/users/42') // one error, so that by-code and recent have data
    t.ok(metrics.routes.length >= 6, `${metrics.routes.length} port routes`)
    for (const route of metrics.routes) {
      const url = prefix + route.path.replace(':code', '301')
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer undefined' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }, { cookie: `token=${TOKEN}` }, { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` }]) {
        const res = await app.inject({ url: `${url}?token=${TOKEN}`, headers })
        t.equal(res.statusCode, 401, `${url} ${JSON.stringify(headers)}: 401`)
        t.equal(res.json().error_name, 'UNAUTHENTICATED')
        t.match(res.headers['www-authenticate'], /^Basic realm="errcodes"/, 'a challenge a browser answers')
        t.notMatch(res.body, /errcodes_errors_total|USER_NOT_FOUND|<html/i, 'nothing of the protected data')
      }
      const ok = await app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } })
      t.equal(ok.statusCode, 200, `${url} with the token: 200`)
      const browser = await app.inject({ url, headers: { authorization: `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}` } })
      t.equal(browser.statusCode, 200, `${url} with the token as Basic password: 200`)
      // And over a real socket: HEAD and GET without the token.
      const wire = await rawRequest(port, rawGet(url))
      t.equal(wire.status, 401, `${url} over the socket: 401`)
      const head = await rawRequest(port, rawGet(url, {}, 'HEAD'))
      t.ok(head.status === 401 || head.status === 404, `${url} HEAD: ${head.status}, never 200`)
    }
    t.equal((await app.inject('/users/1')).statusCode, 200, 'the API itself is not guarded')
    if (prefix !== '') t.equal((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404, 'nothing left at the unprefixed path')
  })
}

t.test('routes: false mounts no port route at all', async t => {
  const metrics = createMetrics()
  const app = await buildApp({ observability: { metrics, routes: false } })
  t.teardown(() => app.close())
  for (const route of metrics.routes) {
    t.equal((await app.inject(route.path.replace(':code', '301'))).statusCode, 404, `${route.path}: 404`)
  }
})
