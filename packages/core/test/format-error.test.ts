import t from 'tap'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { Type } from '@sinclair/typebox'
import type { AppError } from '../src/app-error.js'
import { builtinErrors } from '../src/builtin-errors.js'
import { defineErrors } from '../src/catalog.js'
import type { ErrorEntry } from '../src/error-entry.js'
import { CONTENT_TYPES, causeChain, formatError } from '../src/format-error.js'
import { normalizeError } from '../src/normalize-error.js'
import { JsonErrorSchema, ProblemErrorSchema, ValidationIssueSchema, errorResponseSchema, exampleBody } from '../src/schemas.js'
import type { ValidationIssue } from '../src/validation-issues.js'

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv
function validator (schema: object): (data: unknown) => string[] {
  const ajv = addFormats(new Ajv({ strict: true, allErrors: true, strictTypes: false }))
  const validate = ajv.compile(schema)
  return (data) => validate(data) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }), detail: Type.Object({ userId: Type.String(), password: Type.Optional(Type.String()) }), headers: { 'x-entry': 'yes' } },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 500, message: 'Database {db} is down', params: Type.Object({ db: Type.String() }), detail: Type.Object({ db: Type.String() }) }
})
const issue: ValidationIssue = { location: 'body', field: 'email', pointer: '/email', keyword: 'format', message: 'must match format "email"', params: { format: 'email' } }
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'

t.test('json format: the seed’s shape', async t => {
  const err = errors.USER_NOT_FOUND.create({ userId: '42' }, { detail: { userId: '42' } })
  const f = formatError(err, { requestId: 'req-1', traceId, locale: 'en' })
  t.equal(f.status, 404)
  t.same(f.body, { error_code: 301, error_name: 'USER_NOT_FOUND', message: 'User 42 not found', detail: { userId: '42' }, status_code: 404, timestamp: new Date(err.timestamp).toISOString(), request_id: 'req-1', trace_id: traceId })
  t.same(Object.keys(f.body).slice(0, 5), ['error_code', 'error_name', 'message', 'detail', 'status_code'], 'the seed’s field order')
  t.same(f.headers, { 'x-entry': 'yes', 'content-type': 'application/json; charset=utf-8', 'content-language': 'en' })
  t.equal(formatError(err).body.request_id, undefined, 'no request id unless given')
  t.notOk('content-language' in formatError(err).headers, 'no Content-Language without a locale')
})

t.test('problem format: RFC 9457', async t => {
  const err = errors.USER_NOT_FOUND.create({ userId: '42' }, { detail: { userId: '42' } })
  const f = formatError(err, { format: 'problem', instance: '/users/42', requestId: 'r', traceId, typeBaseUrl: 'https://errors.example.com/' })
  t.same(f.body, {
    type: 'https://errors.example.com/USER_NOT_FOUND',
    title: 'User not found',
    status: 404,
    detail: 'User 42 not found',
    instance: '/users/42',
    error_code: 301,
    error_name: 'USER_NOT_FOUND',
    timestamp: new Date(err.timestamp).toISOString(),
    details: { userId: '42' },
    request_id: 'r',
    trace_id: traceId
  })
  t.equal(f.headers['content-type'], CONTENT_TYPES.problem)
  t.equal(formatError(err, { format: 'problem' }).body.type, 'urn:errcodes:USER_NOT_FOUND', 'default type base')
})

t.test('status in the body always equals the HTTP status', async t => {
  const all: AppError[] = [
    ...builtinErrors.list().map(e => (e.create as () => AppError)()),
    normalizeError({ statusCode: 418 }),
    normalizeError({ statusCode: 507 }),
    normalizeError('x')
  ]
  for (const err of all) {
    const j = formatError(err, { format: 'json' })
    const p = formatError(err, { format: 'problem' })
    t.equal(j.body.status_code, j.status, `${err.code} json`)
    t.equal(p.body.status, p.status, `${err.code} problem`)
    t.equal(j.status, err.status)
  }
  t.equal(formatError(normalizeError({ statusCode: 418 })).status, 418)
})

t.test('5xx messages are hidden unless the entry is exposed; localized messages only when exposed', async t => {
  const db = errors.DB_DOWN.create({ db: 'payments' }, { detail: { db: 'payments' } })
  const hidden = formatError(db)
  t.equal(hidden.body.message, 'Internal server error')
  t.notOk('detail' in hidden.body, 'detail hidden with the message')
  t.notMatch(JSON.stringify(hidden.body), 'payments')
  t.equal(formatError(db, { message: 'DB payments down (ko)', genericMessage: '서버 오류' }).body.message, '서버 오류', 'a localized generic message')
  t.equal(formatError(db, { format: 'problem' }).body.detail, 'Internal server error')
  const unavailable = builtinErrors.SERVICE_UNAVAILABLE.create()
  t.equal(formatError(unavailable).body.message, 'Service temporarily unavailable', 'an exposed 5xx shows its message')
  const nf = errors.USER_NOT_FOUND.create({ userId: '1' })
  t.equal(formatError(nf, { message: '사용자 1을(를) 찾을 수 없습니다', locale: 'ko' }).body.message, '사용자 1을(를) 찾을 수 없습니다')
})

t.test('Retry-After from the entry and the occurrence', async t => {
  const rl = builtinErrors.RATE_LIMITED.create()
  const f = formatError(rl)
  t.equal(f.headers['retry-after'], '60')
  t.equal(f.body.retry_after, 60)
  t.equal(formatError(builtinErrors.RATE_LIMITED.create(undefined, { retryAfter: 5 })).headers['retry-after'], '5')
  t.notOk('retry-after' in formatError(builtinErrors.NOT_FOUND.create()).headers)
})

t.test('debug adds stack and cause only in debug mode', async t => {
  const inner = new Error('inner reason')
  const outer = new Error('outer reason', { cause: inner })
  const err = errors.DB_DOWN.create({ db: 'x' }, { cause: outer })
  for (const format of ['json', 'problem'] as const) {
    const plain = formatError(err, { format })
    t.notOk('stack' in plain.body)
    t.notOk('cause' in plain.body)
    t.notMatch(JSON.stringify(plain.body), /inner reason|outer reason|at /)
    const off = formatError(err, { format, debug: false })
    t.notOk('stack' in off.body)
    const debug = formatError(err, { format, debug: true })
    t.ok(Array.isArray(debug.body.stack))
    t.match((debug.body.stack as string[])[0], 'DB_DOWN')
    t.same(debug.body.cause, [{ name: 'Error', message: 'outer reason' }, { name: 'Error', message: 'inner reason' }])
  }
  t.notOk('cause' in formatError(builtinErrors.NOT_FOUND.create(), { debug: true }).body, 'no cause key without a cause')
})

t.test('causeChain is capped, cycle-safe and survives hostile causes', async t => {
  let chain: unknown = new Error('root')
  for (let i = 0; i < 100; i++) chain = new Error(`level ${i}`, { cause: chain })
  t.equal(causeChain(chain).length, 5)
  t.same(causeChain('text'), [{ name: 'string', message: 'text' }])
  t.same(causeChain(new Proxy({}, { get () { throw new Error('x') } })), [{ name: 'Unreadable', message: '' }])
  t.same(causeChain({ name: { toString () { throw new Error('x') } } }), [{ name: 'Unreadable', message: '' }])
  t.equal(causeChain({ message: 'x'.repeat(5000) })[0].message.length, 1024)
  t.same(causeChain(undefined), [])
})

t.test('validation issues and their override', async t => {
  const err = builtinErrors.VALIDATION_FAILED.create(undefined, { issues: [issue] })
  t.same(formatError(err).body.errors, [issue])
  t.same(formatError(err, { format: 'problem' }).body.errors, [issue])
  const localized = { ...issue, message: '이메일 형식이 아닙니다' }
  t.same(formatError(err, { issues: [localized] }).body.errors, [localized], 'translated issues win')
  t.notOk('errors' in formatError(builtinErrors.VALIDATION_FAILED.create(undefined, { issues: [] })).body, 'no empty errors array')
})

t.test('detail keys that look secret are masked even when declared', async t => {
  const err = errors.USER_NOT_FOUND.create({ userId: '1' }, { detail: { userId: '1', password: 'hunter2' } })
  t.same(formatError(err).body.detail, { userId: '1', password: '[REDACTED]' })
})

t.test('every built-in entry’s real body validates against its own schema and the generic one', async t => {
  const generic = { json: validator(JsonErrorSchema), problem: validator(ProblemErrorSchema) }
  const entries: ErrorEntry[] = [...builtinErrors.list(), ...errors.list()]
  for (const entry of entries) {
    for (const format of ['json', 'problem'] as const) {
      const own = validator(errorResponseSchema(entry, format))
      const ownDebug = validator(errorResponseSchema(entry, format, { debug: true }))
      // Only what each entry declares: create() rejects anything else.
      const declared = (schema: unknown): Record<string, unknown> => Object.fromEntries(Object.entries({ userId: '42', db: 'main' }).filter(([k]) => k in ((schema as { properties?: object }).properties ?? {})))
      const params = entry.params === undefined ? undefined : declared(entry.params)
      const detail = entry.detail === undefined ? { userId: '42', db: 'main' } : declared(entry.detail)
      const issues = entry.name === 'VALIDATION_FAILED' ? [issue] : undefined
      const err = (entry.create as (p: unknown, o: unknown) => AppError)(params, { detail, issues, cause: new Error('c') })
      for (const context of [{}, { requestId: 'req-1', traceId, instance: '/x', locale: 'en' }, { debug: true }]) {
        const body = JSON.parse(JSON.stringify(formatError(err, { format, ...context }).body)) as unknown
        t.same((context.debug === true ? ownDebug : own)(body), [], `${entry.name} ${format} ${JSON.stringify(context)} own schema`)
        t.same(generic[format](body), [], `${entry.name} ${format} generic schema`)
      }
      t.same(own(exampleBody(entry, format)), [], `${entry.name} ${format} example`)
      const wrong = { ...formatError(err, { format }).body, error_code: entry.code + 1 }
      t.not(own(JSON.parse(JSON.stringify(wrong))).length, 0, 'another code does not validate against this entry’s schema')
    }
  }
  t.same(validator(ValidationIssueSchema)(issue), [])
})
