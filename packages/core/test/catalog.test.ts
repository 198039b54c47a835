import t, { type Test } from 'tap'
import { Type } from '@sinclair/typebox'
import { defineErrors, isCatalog, mergeCatalogs, overrideCatalog } from '../src/catalog.js'
import { builtinErrors } from '../src/builtin-errors.js'
import { defineDomain } from '../src/domain.js'
import type { ErrorDefinition } from '../src/error-entry.js'

const ok = { code: 301, domain: 'RESOURCE', status: 404, message: 'Thing not found' } as const

function throwsNamed (t: Test, defs: Record<string, unknown>, message: RegExp | string, label: string, options?: Parameters<typeof defineErrors>[1]): void {
  t.throws(() => defineErrors(defs as Record<string, ErrorDefinition>, options), { name: 'TypeError', message }, label)
}

t.test('a valid catalog resolves defaults', async t => {
  const errors = defineErrors({
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }), description: 'No user has this id.' },
    DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' }
  })
  const e = errors.USER_NOT_FOUND
  t.equal(e.name, 'USER_NOT_FOUND')
  t.equal(e.code, 301)
  t.equal(e.domain, 'RESOURCE')
  t.equal(e.status, 404)
  t.equal(e.messageKey, 'errors.user_not_found', 'default messageKey')
  t.equal(e.title, 'User not found', 'default title')
  t.equal(e.severity, 'low', '4xx default severity')
  t.equal(e.expose, true, '4xx exposed by default')
  t.same(e.placeholders, ['userId'])
  t.equal(e.description, 'No user has this id.')
  t.equal(e.deprecated, false)
  t.same(e.headers, {})
  t.equal(errors.DB_DOWN.severity, 'high', '5xx default severity')
  t.equal(errors.DB_DOWN.expose, false, '5xx hidden by default')
  t.ok(Object.isFrozen(errors), 'catalog frozen')
  t.ok(Object.isFrozen(e), 'entry frozen')
  t.ok(isCatalog(errors))
  t.notOk(isCatalog({ ...errors }), 'a spread copy is not a catalog')
  t.notOk(isCatalog(null))
  t.same(Object.keys(errors), ['USER_NOT_FOUND', 'DB_DOWN'], 'only entries are enumerable')
})

t.test('every definition mistake throws one TypeError naming the entry and the mistake', async t => {
  throwsNamed(t, { A_B: { ...ok, code: 300 }, C_D: { ...ok, code: 300 } }, 'error C_D: code 300 is already used by A_B', 'duplicate code')
  throwsNamed(t, { OUTSIDE: { ...ok, code: 250 } }, 'error OUTSIDE: code 250 is outside domain RESOURCE (300–399)', 'code outside domain')
  throwsNamed(t, { BAD_CODE: { ...ok, code: 10000 } }, /^error BAD_CODE: code must be an integer 0–9999 \(got 10000\)$/, 'code too big')
  throwsNamed(t, { BAD_CODE: { ...ok, code: 301.5 } }, /^error BAD_CODE: code must be an integer/, 'fractional code')
  throwsNamed(t, { BAD_CODE: { ...ok, code: '301' } }, /^error BAD_CODE: code must be an integer/, 'string code')
  throwsNamed(t, { NO_DOMAIN: { ...ok, domain: 'PAYMENT' } }, 'error NO_DOMAIN: unknown domain PAYMENT', 'unknown domain')
  for (const status of [200, 399, 600, 404.5, '404', NaN, undefined]) {
    throwsNamed(t, { BAD_STATUS: { ...ok, status } }, `error BAD_STATUS: status must be an integer 400–599 (got ${String(status)})`, `status ${String(status)}`)
  }
  throwsNamed(t, { NO_MESSAGE: { ...ok, message: '' } }, 'error NO_MESSAGE: message must be a non-empty string', 'empty message')
  throwsNamed(t, { NO_MESSAGE: { ...ok, message: 42 } }, 'error NO_MESSAGE: message must be a non-empty string', 'numeric message')
  throwsNamed(t, { BAD_ICU: { ...ok, message: 'Hi {name' } }, /^error BAD_ICU: message is not valid ICU syntax/, 'unclosed brace')
  throwsNamed(t, { MISSING: { ...ok, message: 'User {userId} not found' } }, 'error MISSING: placeholder {userId} is not declared in params', 'placeholder without params')
  throwsNamed(t, { MISSPELT: { ...ok, message: 'User {userID} not found', params: Type.Object({ userId: Type.String() }) } }, 'error MISSPELT: placeholder {userID} is not declared in params', 'placeholder not in params')
  throwsNamed(t, { NESTED: { ...ok, message: '{n, plural, one {# item of {owner}} other {# items}}', params: Type.Object({ n: Type.Number() }) } }, 'error NESTED: placeholder {owner} is not declared in params', 'placeholder nested in plural')
  throwsNamed(t, { RES_PH: { ...ok, message: 'Bad {constructor}', params: Type.Object({ constructor: Type.String() }) } }, 'error RES_PH: placeholder {constructor} is reserved', 'reserved placeholder')
  throwsNamed(t, { RES_PARAM: { ...ok, params: Type.Object({ prototype: Type.String() }) } }, 'error RES_PARAM: param prototype is reserved', 'reserved param')
  throwsNamed(t, JSON.parse('{"__proto__": {"code": 301, "domain": "RESOURCE", "status": 404, "message": "x"}}'), 'error __proto__: the name is reserved', '__proto__ as own key')
  throwsNamed(t, { ['__proto__']: ok }, 'error __proto__: the name is reserved', 'computed __proto__ key')
  throwsNamed(t, { constructor: ok }, 'error constructor: the name is reserved', 'constructor')
  throwsNamed(t, { prototype: ok }, 'error prototype: the name is reserved', 'prototype')
  throwsNamed(t, { userNotFound: ok }, /^error userNotFound: the name must be UPPER_SNAKE/, 'camelCase name')
  throwsNamed(t, { ['A'.repeat(64)]: ok }, /the name must be UPPER_SNAKE/, 'too long name')
  throwsNamed(t, { NOT_OBJECT: 'x' }, 'error NOT_OBJECT: the definition must be an object', 'string definition')
  throwsNamed(t, { NOT_OBJECT: null }, 'error NOT_OBJECT: the definition must be an object', 'null definition')
  for (const messageKey of ['', 'errors..x', 'errors.__proto__', 'constructor', 'errors.prototype.x', 'a b', 'a/b', 42, 'x'.repeat(129)]) {
    throwsNamed(t, { BAD_KEY: { ...ok, messageKey } }, 'error BAD_KEY: messageKey must be dot-separated words without reserved segments', `messageKey ${JSON.stringify(messageKey)}`)
  }
  for (const severity of ['info', 'HIGH', '', 3]) {
    throwsNamed(t, { BAD_SEV: { ...ok, severity } }, 'error BAD_SEV: severity must be low, medium, high or critical', `severity ${String(severity)}`)
  }
  throwsNamed(t, { BAD_EXPOSE: { ...ok, expose: 'yes' } }, 'error BAD_EXPOSE: expose must be a boolean', 'expose')
  for (const retryAfter of [-1, 1.5, '30', NaN]) {
    throwsNamed(t, { BAD_RETRY: { ...ok, retryAfter } }, 'error BAD_RETRY: retryAfter must be a whole number of seconds', `retryAfter ${String(retryAfter)}`)
  }
  const badHeaders: Array<[Record<string, unknown>, string]> = [
    [{ 'x-a': 'v\r\nSet-Cookie: evil=1' }, 'x-a'],
    [{ 'x-a': 'v\nx' }, 'x-a'],
    [{ 'x-a': 'v\rx' }, 'x-a'],
    [{ 'x-a\r\nx-b': 'v' }, 'x-a\r\nx-b'],
    [{ 'x a': 'v' }, 'x a'],
    [{ '': 'v' }, ''],
    [{ 'x-a': 42 }, 'x-a'],
    [{ 'x-a': 'v\u0000' }, 'x-a'],
    [{ 'x-a': 'x'.repeat(1025) }, 'x-a']
  ]
  for (const [headers, key] of badHeaders) {
    throwsNamed(t, { BAD_HEADER: { ...ok, headers } }, `error BAD_HEADER: header ${JSON.stringify(key)} has an invalid name or value`, `header ${JSON.stringify(headers).slice(0, 40)}`)
  }
  throwsNamed(t, { BAD_HEADERS: { ...ok, headers: 'x-a: 1' } }, 'error BAD_HEADERS: headers must be an object of strings', 'headers string')
  throwsNamed(t, { BAD_TITLE: { ...ok, title: 42 } }, 'error BAD_TITLE: title must be a non-empty string', 'title')
  throwsNamed(t, { BAD_DESC: { ...ok, description: {} } }, 'error BAD_DESC: description must be a string', 'description')
  throwsNamed(t, { BAD_DEP: { ...ok, deprecated: 1 } }, 'error BAD_DEP: deprecated must be a boolean or a string', 'deprecated')
  throwsNamed(t, { BAD_PARAMS: { ...ok, params: 'userId' } }, 'error BAD_PARAMS: params must be a TypeBox object schema', 'params not a schema')
  throwsNamed(t, { BAD_DETAIL: { ...ok, detail: 'x' } }, 'error BAD_DETAIL: detail must be a TypeBox schema', 'detail not a schema')
  t.throws(() => defineErrors(null as never), { name: 'TypeError', message: 'defineErrors: definitions must be an object of entries' })
  t.throws(() => defineErrors([ok] as never), { name: 'TypeError', message: 'defineErrors: definitions must be an object of entries' })
  t.throws(() => defineErrors({ __proto__: { A_B: ok } } as never), { name: 'TypeError', message: /defineErrors: definitions must be a plain object/ }, 'a literal __proto__ key would silently set the prototype')
})

t.test('valid headers are kept lower-cased; custom domains resolve', async t => {
  const PAYMENT = defineDomain('PAYMENT', [600, 699])
  const errors = defineErrors({
    CARD_DECLINED: { code: 601, domain: PAYMENT, status: 402, message: 'Card declined', severity: 'medium', headers: { 'X-Reason': 'declined' }, retryAfter: 10, deprecated: 'use PAYMENT_FAILED' },
    LIMIT: { code: 602, domain: 'PAYMENT', status: 429, message: 'Limit' }
  }, { domains: [PAYMENT] })
  t.same(errors.CARD_DECLINED.headers, { 'x-reason': 'declined' })
  t.equal(errors.CARD_DECLINED.domain, 'PAYMENT')
  t.equal(errors.LIMIT.domain, 'PAYMENT', 'a domain named by string after registration')
  t.equal(errors.CARD_DECLINED.severity, 'medium')
  t.equal(errors.CARD_DECLINED.retryAfter, 10)
  t.same(errors.domains().map(d => d.name), ['PAYMENT'])
  t.throws(() => defineErrors({ X_Y: { code: 650, domain: defineDomain('BILLING', [650, 699]), status: 400, message: 'x' } }, { domains: [PAYMENT] }), { message: /overlaps PAYMENT/ }, 'overlapping custom domain')
  t.throws(() => defineErrors({ X_Y: { code: 250, domain: defineDomain('MINE', [250, 260]), status: 400, message: 'x' } }), { message: 'domain MINE (250–260) overlaps AUTH (200–299)' }, 'custom domain overlapping a predefined one')
})

t.test('lookups by name and number, list, domains', async t => {
  const errors = defineErrors({
    B_ERR: { code: 402, domain: 'VALIDATION', status: 400, message: 'b' },
    A_ERR: { code: 201, domain: 'AUTH', status: 401, message: 'a' }
  })
  t.equal(errors.get('A_ERR'), errors.A_ERR)
  t.equal(errors.byCode(402), errors.B_ERR)
  t.equal(errors.get('NOPE'), undefined)
  t.equal(errors.get('__proto__'), undefined)
  t.equal(errors.get('toString'), undefined)
  t.equal(errors.byCode(999), undefined)
  t.equal(errors.has('B_ERR'), true)
  t.equal(errors.has('get'), false, 'methods are not entries')
  t.same(errors.list().map(e => e.name), ['A_ERR', 'B_ERR'], 'ordered by code')
  errors.list().pop()
  t.equal(errors.list().length, 2, 'list returns a copy')
  t.same(errors.domains().map(d => d.name), ['AUTH', 'VALIDATION'], 'only the domains used')
})

t.test('merge detects collisions', async t => {
  const a = defineErrors({ A_ERR: { code: 201, domain: 'AUTH', status: 401, message: 'a' } })
  const b = defineErrors({ B_ERR: { code: 301, domain: 'RESOURCE', status: 404, message: 'b' } })
  const same = defineErrors({ A_ERR: { code: 201, domain: 'AUTH', status: 401, message: 'a' } })
  const m = mergeCatalogs(a, b, same)
  t.same(m.list().map(e => e.name), ['A_ERR', 'B_ERR'], 'an identical entry is kept once')
  t.same(a.merge(b).list().map(e => e.name), ['A_ERR', 'B_ERR'], 'catalog.merge')
  const sameName = defineErrors({ A_ERR: { code: 202, domain: 'AUTH', status: 401, message: 'a' } })
  t.throws(() => mergeCatalogs(a, sameName), { name: 'TypeError', message: 'error A_ERR is defined twice: code 201/status 401 and code 202/status 401' })
  const sameCode = defineErrors({ OTHER_ERR: { code: 201, domain: 'AUTH', status: 401, message: 'o' } })
  t.throws(() => a.merge(sameCode), { name: 'TypeError', message: 'error OTHER_ERR: code 201 is already used by A_ERR' })
  t.throws(() => mergeCatalogs(a, { A_ERR: a.A_ERR } as never), { name: 'TypeError', message: 'mergeCatalogs: every argument must be a catalog from defineErrors' })
  const PAY = defineDomain('PAY', [600, 699])
  const PAY2 = defineDomain('PAY2', [650, 750])
  const p1 = defineErrors({ P_ONE: { code: 601, domain: PAY, status: 402, message: 'p' } })
  const p2 = defineErrors({ P_TWO: { code: 701, domain: PAY2, status: 402, message: 'p' } })
  t.throws(() => mergeCatalogs(p1, p2), { message: 'domain PAY2 (650–750) overlaps PAY (600–699)' }, 'overlapping domains across catalogs')
})

t.test('overrideCatalog over builtinErrors', async t => {
  const user = defineErrors({
    INTERNAL_ERROR: { code: 500, domain: 'SERVER', status: 500, message: 'Something broke on our side' },
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' }
  })
  const merged = overrideCatalog(builtinErrors, user)
  t.equal(merged.get('INTERNAL_ERROR')?.code, 500, 'override by name replaces the built-in')
  t.equal(merged.get('INTERNAL_ERROR')?.message, 'Something broke on our side')
  t.equal(merged.byCode(590), undefined, 'the built-in code is free again')
  t.equal(merged.get('VALIDATION_FAILED'), builtinErrors.VALIDATION_FAILED, 'other built-ins stay')
  t.equal(merged.get('USER_NOT_FOUND')?.code, 301)
  t.equal(merged.list().length, builtinErrors.list().length + 1)
  const clash = defineErrors({ MY_THING: { code: 391, domain: 'RESOURCE', status: 404, message: 'x' } })
  t.throws(() => overrideCatalog(builtinErrors, clash), { name: 'TypeError', message: 'error MY_THING: code 391 is taken by built-in ROUTE_NOT_FOUND; pick another code or override ROUTE_NOT_FOUND by name' })
  const two = overrideCatalog(builtinErrors, user, defineErrors({ CARD_DECLINED: { code: 901, domain: 'CUSTOM', status: 402, message: 'c' } }))
  t.ok(two.has('CARD_DECLINED') && two.has('USER_NOT_FOUND'), 'several user catalogs merge first')
  t.throws(() => overrideCatalog(builtinErrors, {} as never), { name: 'TypeError', message: 'catalog must come from defineErrors' })
})

t.test('JSON export round-trips', async t => {
  const PAYMENT = defineDomain('PAYMENT', [600, 699])
  const errors = defineErrors({
    USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }), detail: Type.Object({ id: Type.String() }), description: 'd' },
    CARD_DECLINED: { code: 601, domain: PAYMENT, status: 402, message: 'Card declined', headers: { 'x-a': 'b' }, retryAfter: 5, deprecated: true }
  })
  const exported = errors.toJSON()
  t.equal(exported.version, 1)
  t.same(exported.domains, [{ name: 'RESOURCE', from: 300, to: 399 }, { name: 'PAYMENT', from: 600, to: 699 }])
  t.same(exported.errors[0], {
    name: 'USER_NOT_FOUND',
    code: 301,
    domain: 'RESOURCE',
    status: 404,
    title: 'User not found',
    message: 'User {userId} not found',
    messageKey: 'errors.user_not_found',
    severity: 'low',
    expose: true,
    description: 'd',
    placeholders: ['userId'],
    params: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
    detail: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }
  })
  t.match(exported.errors[1], { name: 'CARD_DECLINED', headers: { 'x-a': 'b' }, retryAfter: 5, deprecated: true })
  const text = JSON.stringify(errors)
  t.same(JSON.parse(text), exported, 'JSON.stringify(catalog) uses the export and round-trips')
  t.same(JSON.parse(JSON.stringify(builtinErrors)), builtinErrors.toJSON(), 'built-ins round-trip')
})
