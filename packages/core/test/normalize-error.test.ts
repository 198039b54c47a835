import t, { type Test } from 'tap'
import vm from 'node:vm'
import { Type } from '@sinclair/typebox'
import { AppError } from '../src/app-error.js'
import { builtinErrors } from '../src/builtin-errors.js'
import { defineErrors } from '../src/catalog.js'
import { formatError } from '../src/format-error.js'
import { isErrorLike, normalizeError } from '../src/normalize-error.js'

// Every hostile value carries this marker; it must never reach a formatted body.
const MARK = 'S3CRET'

// `shown`: a foreign 4xx keeps its own message (the caller masks it); nothing else of it reaches the body.
function assertSafe (t: Test, value: unknown, expected: string, status?: number, shown = false): AppError {
  let err: AppError | undefined
  t.doesNotThrow(() => { err = normalizeError(value) }, `normalizeError does not throw (${expected})`)
  const e = err as AppError
  t.ok(e instanceof AppError)
  t.equal(e.code, expected)
  t.equal(e.status, status ?? builtinErrors.get(expected)?.status)
  for (const format of ['json', 'problem'] as const) {
    let text = ''
    t.doesNotThrow(() => {
      const body = formatError(e, { format }).body
      if (shown) {
        t.match(body[format === 'problem' ? 'detail' : 'message'], MARK, 'a shown 4xx keeps its own message')
        body.message = body.detail = undefined
      }
      text = JSON.stringify(body)
    }, `formatError(${format}) does not throw`)
    t.notMatch(text, MARK, `nothing of the thrown value reaches the ${format} body`)
    t.notMatch(text, /secret|stack|cause/i)
  }
  return e
}

t.test('non-Error throws become INTERNAL_ERROR', async t => {
  const values: unknown[] = ['str ' + MARK, null, undefined, 42, 1n, Symbol(MARK), true, () => MARK, Object.create(null), [MARK], new Date(), { message: MARK }]
  for (const v of values) {
    const e = assertSafe(t, v, 'INTERNAL_ERROR')
    t.equal(e.cause, v, 'the thrown value is kept as cause for the logs')
    t.equal(e.expose, false)
  }
  const plain = assertSafe(t, { statusCode: 418, secret: MARK }, 'BAD_REQUEST', 418)
  t.equal(plain.expose, true, 'a 4xx keeps exposure, but only the catalog message')
  t.equal(plain.message, 'Bad request')
  t.same(plain.params, {})
  t.equal(plain.detail, undefined)
})

t.test('Proxies that throw on every trap', async t => {
  const boom = (): never => { throw new Error(MARK) }
  const traps = ['get', 'has', 'ownKeys', 'getPrototypeOf', 'getOwnPropertyDescriptor', 'apply']
  for (const trap of traps) {
    assertSafe(t, new Proxy({}, { [trap]: boom }), 'INTERNAL_ERROR')
  }
  assertSafe(t, new Proxy({}, Object.fromEntries(traps.map(k => [k, boom]))), 'INTERNAL_ERROR')
  assertSafe(t, new Proxy(function () {}, { get: boom }), 'INTERNAL_ERROR')
  const getter = Object.defineProperty({}, 'statusCode', { get: boom })
  assertSafe(t, getter, 'INTERNAL_ERROR')
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  assertSafe(t, proxy, 'INTERNAL_ERROR')
})

t.test('errors from another realm', async t => {
  const err = vm.runInNewContext(`new Error(${JSON.stringify(MARK)})`) as unknown
  t.notOk(err instanceof Error, 'really cross-realm')
  t.equal(isErrorLike(err), true, 'isErrorLike recognises it')
  assertSafe(t, err, 'INTERNAL_ERROR')
  const notFound = vm.runInNewContext(`Object.assign(new TypeError(${JSON.stringify(MARK)}), { statusCode: 404 })`) as unknown
  assertSafe(t, notFound, 'NOT_FOUND', 404, true)
  t.equal(isErrorLike({ name: 'Error', message: 'x' }), false)
  t.equal(isErrorLike(new Proxy({}, { getPrototypeOf () { throw new Error('x') } })), false)
})

t.test('AggregateError with thousands of errors', async t => {
  const many = Array.from({ length: 5000 }, (_, i) => new Error(`${MARK} ${i}`))
  const agg = new AggregateError(many, MARK)
  const start = performance.now()
  const e = assertSafe(t, agg, 'INTERNAL_ERROR')
  const body = formatError(e, { debug: true }).body
  t.ok((body.cause as unknown[]).length <= 5, 'debug cause chain is capped')
  t.ok(performance.now() - start < 1000, 'bounded time')
})

t.test('bad status, code and message values', async t => {
  for (const statusCode of [200, 302, 399, 600, 999, -1, 404.5, NaN, Infinity, '404', null, {}]) {
    assertSafe(t, Object.assign(new Error(MARK), { statusCode }), 'INTERNAL_ERROR')
  }
  for (const status of [200, '404', NaN]) {
    assertSafe(t, { status, message: MARK }, 'INTERNAL_ERROR')
  }
  assertSafe(t, { status: 404, message: MARK }, 'NOT_FOUND', 404, true)
  assertSafe(t, { status: 404, message: MARK, expose: false }, 'NOT_FOUND', 404)
  assertSafe(t, { statusCode: 410, message: MARK }, 'BAD_REQUEST', 410, true)
  assertSafe(t, { statusCode: 507, message: MARK }, 'INTERNAL_ERROR', 507)
  t.equal(normalizeError({ statusCode: 507 }).expose, false, 'an unmapped 5xx stays hidden')
  assertSafe(t, Object.assign(new Error(MARK), { code: 42 }), 'INTERNAL_ERROR')
  assertSafe(t, Object.assign(new Error(), { code: 'ECONNREFUSED', message: MARK }), 'INTERNAL_ERROR')
  assertSafe(t, { message: { toString () { throw new Error(MARK) } } }, 'INTERNAL_ERROR')
  assertSafe(t, { message: 42, name: {} }, 'INTERNAL_ERROR')
  const huge = new Error(MARK)
  huge.stack = MARK + 'x'.repeat(1024 * 1024)
  assertSafe(t, huge, 'INTERNAL_ERROR')
  const debugBody = formatError(normalizeError(huge), { debug: true }).body
  t.ok(JSON.stringify(debugBody).length < 64 * 1024, 'even in debug, a 1 MB stack does not reach the body whole')
})

t.test('http-errors and @fastify/error shaped errors map by status', async t => {
  const table: Array<[number, string]> = [[400, 'BAD_REQUEST'], [401, 'UNAUTHENTICATED'], [403, 'FORBIDDEN'], [404, 'NOT_FOUND'], [405, 'METHOD_NOT_ALLOWED'], [409, 'CONFLICT'], [413, 'PAYLOAD_TOO_LARGE'], [415, 'UNSUPPORTED_MEDIA_TYPE'], [429, 'RATE_LIMITED'], [500, 'INTERNAL_ERROR'], [502, 'BAD_GATEWAY'], [503, 'SERVICE_UNAVAILABLE'], [504, 'GATEWAY_TIMEOUT']]
  for (const [status, name] of table) {
    assertSafe(t, Object.assign(new Error(MARK), { statusCode: status, status, expose: true, secret: MARK }), name, undefined, status < 500)
  }
})

t.test('a foreign 4xx keeps its message; 5xx and catalog errors do not', async t => {
  const shown = normalizeError(Object.assign(new Error('widget 9 is gone'), { statusCode: 404, expose: true }))
  t.equal(shown.message, 'widget 9 is gone')
  t.equal(formatError(shown).body.message, 'widget 9 is gone')
  t.equal(formatError(shown, { format: 'problem' }).body.detail, 'widget 9 is gone')
  t.equal(normalizeError(Object.assign(new Error('x'.repeat(5000)), { statusCode: 400 })).message.length, 1024, 'bounded')
  t.equal(normalizeError({ statusCode: 404, message: '' }).message, 'Resource not found', 'an empty message keeps the entry\'s')
  t.equal(normalizeError({ statusCode: 404, message: 'hidden', expose: false }).message, 'Resource not found', 'expose: false keeps the entry\'s')
  const hidden = normalizeError(Object.assign(new Error('db password=hunter2'), { statusCode: 503 }))
  t.equal(hidden.message, 'Service temporarily unavailable', 'a 5xx never keeps its own message')
  t.notMatch(JSON.stringify(formatError(hidden).body), 'hunter2')
})

t.test('an error without its own status takes the reply\'s 4xx/5xx status', async t => {
  const conflict = normalizeError(new Error('conflict here'), undefined, 409)
  t.equal(conflict.code, 'CONFLICT')
  t.equal(conflict.status, 409)
  t.equal(conflict.message, 'conflict here', 'a 4xx the developer chose is shown, as Fastify shows it')
  const teapot = normalizeError(new Error('short and stout'), undefined, 418)
  t.equal(teapot.code, 'BAD_REQUEST')
  t.equal(teapot.status, 418)
  const down = normalizeError(new Error('db down'), undefined, 503)
  t.equal(down.code, 'SERVICE_UNAVAILABLE')
  t.equal(down.message, 'Service temporarily unavailable')
  t.equal(normalizeError(new Error('x'), undefined, 200).code, 'INTERNAL_ERROR', 'a 2xx reply status is ignored')
  t.equal(normalizeError(Object.assign(new Error('x'), { statusCode: 404 }), undefined, 409).status, 404, 'the error\'s own status wins')
  t.equal(normalizeError(new Proxy({}, { get () { throw new Error(MARK) } }), undefined, 409).status, 409, 'even an unreadable value keeps the reply status')
  t.equal(normalizeError(new Proxy({}, { get () { throw new Error(MARK) } }), undefined, 409).message, 'Conflict with the current state of the resource')
})

t.test('errors keep their valid headers and a sane Retry-After', async t => {
  const e = assertSafe(t, Object.assign(new Error('slow down'), { statusCode: 429, headers: { 'retry-after': '120', 'set-cookie': MARK, 'X-Limit': 10, 'content-type': 'text/html', 'x-bad': `a\r\nx: ${MARK}`, 'bad name': 'v', 'x-obj': {} } }), 'RATE_LIMITED')
  t.equal(e.retryAfter, 120)
  const f = formatError(e)
  t.equal(f.headers['retry-after'], '120')
  t.equal(f.headers['x-limit'], '10', 'names lower-cased, numbers kept')
  t.notOk('set-cookie' in f.headers, 'an error does not set cookies')
  t.equal(f.headers['content-type'], 'application/json; charset=utf-8', 'content headers stay the handler\'s')
  t.notOk('x-bad' in f.headers, 'no CR/LF')
  t.notOk('bad name' in f.headers)
  t.notOk('x-obj' in f.headers)
  t.notMatch(JSON.stringify(f.headers), MARK)
  const auth = normalizeError(Object.assign(new Error('no'), { statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer realm="x"' } }))
  t.equal(formatError(auth).headers['www-authenticate'], 'Bearer realm="x"')
  const allow = normalizeError(Object.assign(new Error('no'), { statusCode: 405, headers: { allow: 'GET, HEAD' } }))
  t.equal(formatError(allow).headers.allow, 'GET, HEAD')
  const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-h${i}`, 'v']))
  t.equal(Object.keys(normalizeError({ statusCode: 400, headers: many }).headers).length, 32, 'bounded count')
  t.notOk('x-long' in normalizeError({ statusCode: 400, headers: { 'x-long': 'v'.repeat(5000) } }).headers, 'bounded size')
  const date = new Date(Date.now() + 90_000).toUTCString()
  const dated = normalizeError({ statusCode: 503, headers: { 'retry-after': date } }).retryAfter as number
  t.ok(dated >= 89 && dated <= 91, 'an HTTP date becomes seconds')
  t.equal(normalizeError({ statusCode: 503, headers: { 'Retry-After': 5 } }).retryAfter, 5)
  for (const bad of ['abc', '-1', '1.5', '99999999', `1\r\nx: ${MARK}`]) {
    const b = normalizeError({ statusCode: 503, headers: { 'retry-after': bad } })
    t.equal(b.retryAfter, 30, `Retry-After ${JSON.stringify(bad)} falls back to the entry's`)
  }
  assertSafe(t, { statusCode: 429, headers: new Proxy({}, { get () { throw new Error(MARK) } }) }, 'INTERNAL_ERROR')
})

t.test('Fastify validation errors become VALIDATION_FAILED with issues', async t => {
  const fst = Object.assign(new Error(`body/email must match format "email" ${MARK}`), {
    code: 'FST_ERR_VALIDATION',
    statusCode: 400,
    validation: [
      { instancePath: '/email', schemaPath: '#/properties/email/format', keyword: 'format', params: { format: 'email' }, message: 'must match format "email"', data: MARK },
      { instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: 'name' }, message: "must have required property 'name'" },
      { instancePath: '/a~1b/0', keyword: 'type', params: { type: 'string', secret: { nested: MARK } }, message: 'must be string' },
      new Proxy({}, { get () { throw new Error(MARK) } })
    ],
    validationContext: 'body',
    secret: MARK
  })
  const e = assertSafe(t, fst, 'VALIDATION_FAILED')
  t.same(e.issues, [
    { location: 'body', field: 'email', pointer: '/email', keyword: 'format', message: 'must match format "email"', params: { format: 'email' } },
    { location: 'body', field: 'name', pointer: '/name', keyword: 'required', message: "must have required property 'name'", params: { missingProperty: 'name' } },
    { location: 'body', field: 'a/b.0', pointer: '/a~1b/0', keyword: 'type', message: 'must be string', params: { type: 'string' } }
  ])
  const body = formatError(e).body
  t.equal((body.errors as unknown[]).length, 3)
  t.equal(body.message, 'Validation failed')
  const query = normalizeError({ code: 'FST_ERR_VALIDATION', statusCode: 400, validation: [{ instancePath: '/page', keyword: 'minimum', params: { limit: 1 }, message: 'must be >= 1' }], validationContext: 'querystring' })
  t.equal(query.issues?.[0].location, 'querystring')
  const noArray = normalizeError({ code: 'FST_ERR_VALIDATION', statusCode: 400, validation: MARK, validationContext: `<${MARK}>` })
  t.equal(noArray.code, 'VALIDATION_FAILED')
  t.same(noArray.issues, [], 'a validator returning an Error has no issues')
  const huge = normalizeError({ code: 'FST_ERR_VALIDATION', validation: Array.from({ length: 10000 }, () => ({ instancePath: '/x', keyword: 'type', message: 'x' })), validationContext: 'body' })
  t.equal(huge.issues?.length, 50, 'issues are capped')
  const shaped = normalizeError({ statusCode: 400, validation: [], validationContext: 'headers' })
  t.equal(shaped.code, 'VALIDATION_FAILED', 'a validation-shaped error without the code')
})

t.test('validation entries of foreign shapes keep only bounded primitives', async t => {
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, i]))
  const e = normalizeError({
    code: 'FST_ERR_VALIDATION',
    statusCode: 400,
    validationContext: 'Body Part!',
    validation: [
      // Fields of the wrong types (a non-Ajv validator): defaults, never the raw values.
      { instancePath: 7, keyword: { k: MARK }, message: [MARK], params: JSON.parse(`{"__proto__": "${MARK}", "constructor": 1, "allowed": ["a", 2, true, {"x": "${MARK}"}], "nested": {"x": "${MARK}"}}`) },
      { instancePath: '/x', keyword: 'enum', message: 'must be one of', params: many }
    ]
  })
  t.equal(e.code, 'VALIDATION_FAILED')
  t.same(e.issues?.[0], { location: 'body', field: '', pointer: '', keyword: 'invalid', message: 'is invalid', params: { allowed: ['a', 2, true] } }, 'a location that is not a word reads as body')
  t.equal(Object.keys(e.issues?.[1].params ?? {}).length, 16, 'at most 16 params are read')
  t.notMatch(JSON.stringify(formatError(e).body), MARK)
})

t.test('FST_ERR_CTP_* and other framework codes', async t => {
  const table: Array<[string, number, string]> = [
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'MALFORMED_BODY'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'MALFORMED_BODY'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'MALFORMED_BODY'],
    ['FST_ERR_CTP_EMPTY_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_INVALID_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_NOT_FOUND', 404, 'ROUTE_NOT_FOUND'],
    ['FST_ERR_BAD_URL', 400, 'BAD_REQUEST'],
    ['FST_ERR_MAX_PARAM_LENGTH', 400, 'BAD_REQUEST']
  ]
  for (const [code, statusCode, name] of table) {
    assertSafe(t, Object.assign(new Error(`${MARK} ${code}`), { code, statusCode, secret: MARK }), name)
  }
  assertSafe(t, { type: 'entity.too.large', status: 413, message: MARK }, 'PAYLOAD_TOO_LARGE')
  assertSafe(t, { type: 'entity.parse.failed', status: 400, message: MARK }, 'MALFORMED_BODY')
  assertSafe(t, { code: 'FST_ERR_SOMETHING_NEW', statusCode: 500, message: MARK }, 'INTERNAL_ERROR')
  assertSafe(t, { code: '__proto__', statusCode: 500 }, 'INTERNAL_ERROR')
  assertSafe(t, { code: 'toString', type: 'constructor' }, 'INTERNAL_ERROR')
})

t.test('circular causes', async t => {
  const a = new Error(MARK) as Error & { cause?: unknown }
  a.cause = a
  const e = assertSafe(t, a, 'INTERNAL_ERROR')
  t.equal(e.cause, a)
  const b = new Error('b') as Error & { cause?: unknown }
  const c = new Error('c', { cause: b })
  b.cause = c
  const debug = formatError(normalizeError(b), { debug: true }).body.cause as Array<{ name: string, message: string }>
  t.same(debug.map(x => x.message), ['b', 'c'], 'the debug chain stops at the cycle')
})

t.test('our own errors pass through; a catalog overrides built-ins', async t => {
  const errors = defineErrors({
    INTERNAL_ERROR: { code: 500, domain: 'SERVER', status: 500, message: 'Our fault' },
    NOT_FOUND: { code: 300, domain: 'RESOURCE', status: 404, message: 'Nothing here' },
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {id}', params: Type.Object({ id: Type.String() }) }
  })
  const mine = errors.USER_NOT_FOUND.create({ id: '1' })
  t.equal(normalizeError(mine), mine)
  t.equal(normalizeError(mine, errors), mine)
  t.equal(normalizeError('x', errors).errorCode, 500, 'the catalog’s INTERNAL_ERROR wins')
  t.equal(normalizeError({ statusCode: 404 }, errors).message, 'Nothing here')
  t.equal(normalizeError({ statusCode: 401 }, errors).code, 'UNAUTHENTICATED', 'built-ins fill what the catalog lacks')
})

t.test('a non-Ajv validator\'s or a custom formatter\'s message is kept as a `custom` issue', async t => {
  const joi = normalizeError(Object.assign(new Error('"name" is required'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validationContext: 'body' }))
  t.equal(joi.code, 'VALIDATION_FAILED')
  t.same(joi.issues, [{ location: 'body', field: '', pointer: '', keyword: 'custom', message: '"name" is required', params: {} }])
  const ajv = [{ instancePath: '/n', keyword: 'type', params: { type: 'integer' }, message: 'must be integer' }]
  const standard = normalizeError(Object.assign(new Error('querystring/n must be integer'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validation: ajv, validationContext: 'querystring' }))
  t.same(standard.issues?.map(i => i.keyword), ['type'], 'Fastify\'s own formatter adds nothing')
  const custom = normalizeError(Object.assign(new Error('n: please give a whole number'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validation: ajv, validationContext: 'querystring' }))
  t.same(custom.issues?.map(i => [i.keyword, i.message]), [['custom', 'n: please give a whole number'], ['type', 'must be integer']], 'the formatter\'s text first, then Ajv\'s issues')
  t.equal(normalizeError({ code: 'FST_ERR_VALIDATION', statusCode: 400, message: 'x'.repeat(5000) }).issues?.[0].message.length, 1024, 'bounded')
})
