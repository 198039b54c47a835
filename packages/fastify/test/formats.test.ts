import t from 'tap'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { fakeTranslator } from './fixtures/ports.js'

const JSON_TYPE = 'application/json; charset=utf-8'
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8'

t.test('format: problem answers RFC 9457 bodies', async t => {
  const { app } = await buildApp({ format: 'problem', typeBaseUrl: 'https://errors.example.com/' })
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '42' }) })
  app.get('/card', async () => { throw errors.CARD_DECLINED.create({ reason: 'r' }, { detail: { attempts: 1 } }) })
  const res = await app.inject('/users/42?token=abc')
  t.equal(res.statusCode, 404)
  t.equal(res.headers['content-type'], PROBLEM_TYPE)
  const body = res.json()
  t.match(body, {
    type: 'https://errors.example.com/USER_NOT_FOUND',
    title: 'User not found',
    status: 404,
    detail: 'User 42 not found',
    instance: '/users/42',
    error_code: 301,
    error_name: 'USER_NOT_FOUND',
    request_id: res.headers['x-request-id']
  })
  t.notMatch(res.body, /token|abc/, 'the query string never reaches instance')
  t.same((await app.inject('/card')).json().details, { attempts: 1 }, 'problem detail object is `details`')
  const missing = await app.inject('/nowhere')
  t.equal(missing.headers['content-type'], PROBLEM_TYPE)
  t.equal(missing.json().status, 404)
})

t.test('Accept negotiation', async t => {
  const cases: Array<['json' | 'problem', string | undefined, 'json' | 'problem']> = [
    ['json', undefined, 'json'],
    ['json', 'application/problem+json', 'problem'],
    ['json', 'application/json, application/problem+json;q=0.5', 'json'],
    ['json', 'application/problem+json, application/json;q=0.9', 'problem'],
    ['json', '*/*', 'json'],
    ['json', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json'],
    ['json', 'text/html', 'json'],
    ['problem', undefined, 'problem'],
    ['problem', 'application/json', 'json'],
    ['problem', '*/*', 'problem'],
    ['problem', 'text/html', 'problem'],
    ['problem', 'application/problem+json', 'problem'],
    ['problem', 'application/json;q=0, */*', 'problem']
  ]
  for (const format of ['json', 'problem'] as const) {
    const { app } = await buildApp({ format })
    t.teardown(() => app.close())
    app.get('/x', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 5 }) })
    for (const [configured, accept, expected] of cases) {
      if (configured !== format) continue
      const res = await app.inject({ url: '/x', headers: accept === undefined ? {} : { accept } })
      const label = `${format} + Accept: ${accept ?? '(none)'} → ${expected}`
      t.equal(res.headers['content-type'], expected === 'json' ? JSON_TYPE : PROBLEM_TYPE, label)
      const body = res.json()
      t.equal(expected === 'json' ? body.status_code : body.status, res.statusCode, `${label}: status in body equals HTTP status`)
      t.equal(res.statusCode, 429)
      t.match(res.headers.vary, /\bAccept\b/, 'Vary: Accept')
    }
  }
})

t.test('Vary is appended to an existing Vary, never duplicated', async t => {
  const { app } = await buildApp({ i18n: fakeTranslator() })
  t.teardown(() => app.close())
  app.addHook('onRequest', async (req, reply) => {
    const v = req.headers['x-vary']
    if (typeof v === 'string') reply.header('vary', v)
  })
  app.get('/x', async () => { throw errors.TOKEN_EXPIRED.create() })
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'Accept, Accept-Language'],
    ['Origin', 'Origin, Accept, Accept-Language'],
    ['origin, accept', 'origin, accept, Accept-Language'],
    ['Accept-Language, Accept', 'Accept-Language, Accept'],
    ['*', '*']
  ]
  for (const [existing, expected] of cases) {
    const res = await app.inject({ url: '/x', headers: existing === undefined ? {} : { 'x-vary': existing } })
    t.equal(res.headers.vary, expected, `existing ${existing ?? '(none)'}`)
  }
})

t.test('Retry-After, entry headers, occurrence headers', async t => {
  const { app } = await buildApp()
  t.teardown(() => app.close())
  app.get('/quota', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 1 }) })
  app.get('/quota-soon', async () => { throw errors.QUOTA_EXCEEDED.create({ count: 1 }, { retryAfter: 5, headers: { 'x-quota': 'daily' } }) })
  app.get('/down', async () => { throw errors.PROVIDER_DOWN.create({ seconds: 30 }) })
  app.get('/limited', async () => { throw Object.assign(new Error('slow down'), { statusCode: 429, headers: { 'retry-after': '7', 'set-cookie': 'a=b' } }) })
  const quota = await app.inject('/quota')
  t.equal(quota.headers['retry-after'], '3600')
  t.equal(quota.json().retry_after, 3600)
  const soon = await app.inject('/quota-soon')
  t.equal(soon.headers['retry-after'], '5', 'the occurrence overrides the entry')
  t.equal(soon.headers['x-quota'], 'daily')
  t.equal((await app.inject('/down')).headers['retry-after'], '30')
  const limited = await app.inject('/limited')
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '7', 'a foreign error keeps its numeric Retry-After')
  t.equal(limited.headers['set-cookie'], undefined, 'other headers of a foreign error are dropped')
})

t.test('Content-Language and localized messages with a translator', async t => {
  const i18n = fakeTranslator()
  const { app } = await buildApp({ i18n })
  t.teardown(() => app.close())
  app.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '42' }) })
  app.get('/db', async () => { throw errors.DB_CORRUPT.create({ db: 'main' }) })
  const ko = await app.inject({ url: '/users/42', headers: { 'accept-language': 'ko-KR,ko;q=0.9' } })
  t.equal(ko.json().message, '사용자 42을(를) 찾을 수 없습니다')
  t.equal(ko.headers['content-language'], 'ko')
  t.equal(ko.headers.vary, 'Accept, Accept-Language')
  const en = await app.inject({ url: '/users/42', headers: { 'accept-language': 'fr' } })
  t.equal(en.json().message, 'User 42 not found')
  t.equal(en.headers['content-language'], 'en', 'the locale that produced the message')
  const db = await app.inject({ url: '/db', headers: { 'accept-language': 'ko' } })
  t.equal(db.json().message, '내부 서버 오류', 'the generic 5xx message is localized')
  t.notMatch(db.body, /main/)
  const { app: plain } = await buildApp()
  t.teardown(() => plain.close())
  plain.get('/users/:id', async () => { throw errors.USER_NOT_FOUND.create({ userId: '42' }) })
  const none = await plain.inject({ url: '/users/42', headers: { 'accept-language': 'ko' } })
  t.equal(none.headers['content-language'], undefined, 'no translator, no Content-Language')
  t.equal(none.headers.vary, 'Accept')
})

t.test('debug adds stack and cause chain only in debug mode', async t => {
  for (const debug of [false, true]) {
    for (const format of ['json', 'problem'] as const) {
      const { app } = await buildApp({ debug, format })
      t.teardown(() => app.close())
      app.get('/x', async () => {
        throw errors.DB_CORRUPT.create({ db: 'main' }, { cause: new Error('disk full', { cause: new TypeError('inner') }) })
      })
      app.get('/plain', async () => { throw new RangeError('bad range') })
      const body = (await app.inject('/x')).json()
      const plain = (await app.inject('/plain')).json()
      if (debug) {
        t.ok(Array.isArray(body.stack) && body.stack.length > 0, `${format}: stack in debug`)
        t.match(body.stack[0], /DB_CORRUPT/)
        t.same(body.cause, [{ name: 'Error', message: 'disk full' }, { name: 'TypeError', message: 'inner' }])
        t.match(plain.cause, [{ name: 'RangeError', message: 'bad range' }])
      } else {
        for (const b of [body, plain]) {
          t.notOk('stack' in b, `${format}: no stack in production`)
          t.notOk('cause' in b, `${format}: no cause in production`)
        }
        t.notMatch(JSON.stringify(plain), /bad range/)
      }
    }
  }
})
