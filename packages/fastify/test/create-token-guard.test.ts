import t from 'tap'
import Fastify from 'fastify'
import { createTokenGuard, errorCodes, type TokenGuardOptions } from '../src/index.js'
import { errors } from './fixtures/catalog.js'

const TOKEN = 'ops-token-0123456789abcdef'
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

t.test('refuses to be created without a real secret: a TypeError naming the option', async t => {
  const bad: Array<[unknown, RegExp]> = [
    [undefined, /the token guard needs an options object with "token"/],
    [null, /the token guard needs an options object with "token"/],
    [{}, /option "token" must be a secret of at least 16 characters \(got undefined\)/],
    [{ token: undefined }, /option "token" .* \(got undefined\)/],
    [{ token: '' }, /option "token" .* \(got an empty string\)/],
    [{ token: '   ' }, /option "token" .* \(got an empty string\)/],
    [{ token: 'short' }, /option "token" .* \(got 5 characters\)/],
    [{ token: 42 }, /option "token" .* \(got number\)/],
    [{ token: `${process.env.ERRCODES_SURELY_UNSET_VARIABLE}` }, /option "token"/],
    [{ token: 'undefined'.padEnd(16) }, /option "token"/],
    [{ token: TOKEN + '\n' }, /option "token" must be printable ASCII without spaces .*trailing newline/],
    [{ token: ' ' + TOKEN }, /option "token" must be printable ASCII without spaces/],
    [{ token: '\u0000'.repeat(16) }, /option "token" must be printable ASCII/],
    [{ token: 'a'.repeat(16) }, /option "token" must not repeat one or a few characters/],
    [{ token: 'undefinedundefined' }, /option "token"/],
    [{ token: TOKEN, username: '' }, /option "username"/],
    [{ token: TOKEN, username: 'a:b' }, /option "username"/],
    [{ token: TOKEN, username: 1 }, /option "username"/],
    [{ token: TOKEN, realm: 'a"b' }, /option "realm"/],
    [{ token: TOKEN, realm: '' }, /option "realm"/],
    [{ token: TOKEN, realm: 'x\r\ny' }, /option "realm"/],
    [{ token: TOKEN, secret: 'x' }, /^createTokenGuard: unknown option "secret"/],
    [{ tokn: TOKEN }, /^createTokenGuard: unknown option "tokn"; did you mean "token"\?/]
  ]
  for (const [options, message] of bad) {
    t.throws(() => createTokenGuard(options as TokenGuardOptions), { name: 'TypeError', message }, JSON.stringify(options) ?? String(options))
  }
  try {
    createTokenGuard({ token: TOKEN.slice(0, 10) })
    t.fail('a short token was accepted')
  } catch (err) {
    t.notMatch((err as Error).message, TOKEN.slice(0, 10), 'the message never repeats the secret')
  }
})

async function guardedApp (options: TokenGuardOptions): Promise<ReturnType<typeof Fastify>> {
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors })
  app.get('/ops', { onRequest: createTokenGuard(options) }, async () => ({ secret: 'ops data' }))
  app.get('/open', async () => ({ open: true }))
  return app
}

t.test('Bearer and Basic with the token pass; everything else is a 401 with WWW-Authenticate', async t => {
  const app = await guardedApp({ token: TOKEN })
  t.teardown(() => app.close())
  const pass = [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer  ${TOKEN} `, basic('ops', TOKEN), basic('anyone', TOKEN), basic('', TOKEN)]
  for (const authorization of pass) {
    const res = await app.inject({ url: '/ops', headers: { authorization } })
    t.equal(res.statusCode, 200, `${authorization.slice(0, 12)}…: 200`)
  }
  const refuse = [undefined, '', 'Bearer', 'Bearer ', 'Bearer undefined', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Token ${TOKEN}`,
    `Digest ${TOKEN}`, basic(TOKEN, ''), basic('ops', 'undefined'), `Basic ${Buffer.from(TOKEN).toString('base64')}`, 'Basic %%%', `Bearer ${TOKEN}${' '.repeat(5000)}x`]
  for (const authorization of refuse) {
    const res = await app.inject({ url: `/ops?token=${TOKEN}`, headers: { ...(authorization === undefined ? {} : { authorization }), cookie: `token=${TOKEN}` } })
    t.equal(res.statusCode, 401, `${JSON.stringify(authorization?.slice(0, 30))}: 401`)
    t.equal(res.json().error_name, 'UNAUTHENTICATED')
    t.equal(res.headers['www-authenticate'], 'Basic realm="errcodes", charset="UTF-8", Bearer realm="errcodes"')
    t.notMatch(res.body, /ops data/)
  }
  t.equal((await app.inject('/open')).statusCode, 200, 'only the guarded route is guarded')
})

t.test('username and realm', async t => {
  const app = await guardedApp({ token: TOKEN, username: 'ops', realm: 'ops dashboard' })
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/ops', headers: { authorization: basic('ops', TOKEN) } })).statusCode, 200)
  t.equal((await app.inject({ url: '/ops', headers: { authorization: basic('root', TOKEN) } })).statusCode, 401, 'another user name')
  t.equal((await app.inject({ url: '/ops', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200, 'Bearer has no user name')
  const res = await app.inject('/ops')
  t.equal(res.headers['www-authenticate'], 'Basic realm="ops dashboard", charset="UTF-8", Bearer realm="ops dashboard"')
})
