import t from 'tap'
import Fastify from 'fastify'
import errorCodes from '@errcodes/fastify'

// Security review finding 9: 401 and 405 answers lost `WWW-Authenticate` and `Allow`, which RFC 9110
// requires. An error's own headers (as http-errors, @fastify/sensible and @fastify/auth make them) go out.

function httpError (status: number, message: string, headers: Record<string, string>): Error {
  return Object.assign(new Error(message), { statusCode: status, status, expose: true, headers })
}

t.test('a 401 keeps WWW-Authenticate and a 405 keeps Allow, in both formats, with nothing injected', async t => {
  const app = Fastify()
  await app.register(errorCodes)
  app.get('/private', async () => { throw httpError(401, 'token required', { 'www-authenticate': 'Bearer realm="api"' }) })
  app.get('/only-post', async () => { throw httpError(405, 'use POST', { allow: 'POST' }) })
  app.get('/injected', async () => { throw httpError(401, 'no', { 'www-authenticate': 'Bearer\r\nSet-Cookie: session=evil' }) })
  t.teardown(() => app.close())

  for (const accept of ['application/json', 'application/problem+json']) {
    const r401 = await app.inject({ url: '/private', headers: { accept } })
    t.equal(r401.statusCode, 401)
    t.equal(r401.headers['www-authenticate'], 'Bearer realm="api"', `${accept}: WWW-Authenticate kept`)
    const r405 = await app.inject({ url: '/only-post', headers: { accept } })
    t.equal(r405.statusCode, 405)
    t.equal(r405.headers.allow, 'POST', `${accept}: Allow kept`)
  }
  const bad = await app.inject('/injected')
  t.equal(bad.statusCode, 401)
  t.equal(bad.headers['set-cookie'], undefined, 'a header value with CR/LF is refused, never split into two headers')
  t.notMatch(String(bad.headers['www-authenticate'] ?? ''), /[\r\n]/)
})
