import t from 'tap'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Type } from '@sinclair/typebox'
import { AppError, isAppError } from '../src/app-error.js'
import { defineErrors } from '../src/catalog.js'
import { builtinErrors } from '../src/builtin-errors.js'

const errors = defineErrors({
  USER_NOT_FOUND: {
    code: 301,
    domain: 'RESOURCE',
    status: 404,
    message: 'User {userId} not found',
    params: Type.Object({ userId: Type.String() }),
    detail: Type.Object({ userId: Type.String() }),
    headers: { 'x-entry': 'e' }
  },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database {db} down', params: Type.Object({ db: Type.String() }), severity: 'critical' },
  DB_SLOW: { code: 502, domain: 'SERVER', status: 504, message: 'Slow', expose: true, retryAfter: 7 },
  NOT_MINE: { code: 302, domain: 'RESOURCE', status: 404, message: 'Not mine', expose: false }
})

t.test('AppError carries every field of DESIGN.md', async t => {
  const cause = new Error('db said no')
  const before = Date.now()
  const err = errors.USER_NOT_FOUND.create({ userId: '42' }, { detail: { userId: '42' }, cause, headers: { 'X-Occurrence': 'o' } })
  t.ok(err instanceof AppError)
  t.ok(err instanceof Error)
  t.equal(err.code, 'USER_NOT_FOUND', 'code is the string key')
  t.equal(err.errorCode, 301, 'errorCode is the number')
  t.equal(err.name, 'USER_NOT_FOUND')
  t.equal(err.status, 404)
  t.equal(err.statusCode, 404)
  t.equal(err.domain, 'RESOURCE')
  t.equal(err.severity, 'low')
  t.same(err.params, { userId: '42' })
  t.same(err.detail, { userId: '42' })
  t.same(err.headers, { 'x-entry': 'e', 'x-occurrence': 'o' }, 'entry headers, then the occurrence’s, lower-cased')
  t.equal(err.messageKey, 'errors.user_not_found')
  t.equal(err.message, 'User 42 not found', 'rendered English message')
  t.equal(err.cause, cause)
  t.ok(err.timestamp >= before && err.timestamp <= Date.now(), 'timestamp is now')
  t.equal(err.fingerprint, 'RESOURCE:USER_NOT_FOUND')
  t.equal(err.expose, true, '4xx exposed')
  t.equal(err.entry, errors.USER_NOT_FOUND)
  t.match(err.stack, /^USER_NOT_FOUND: User 42 not found\n/, 'the stack reads well')
  t.equal(Object.keys(err).includes('entry'), false, 'entry is hidden from loggers')
  const db = errors.DB_DOWN.create({ db: 'main' })
  t.equal(db.expose, false, '5xx hidden')
  t.equal(db.severity, 'critical')
  t.equal(db.cause, undefined)
  t.notOk('cause' in db, 'no cause property without a cause')
  t.equal(errors.DB_SLOW.create().expose, true, 'an exposed 5xx entry')
  t.equal(errors.DB_SLOW.create().retryAfter, 7)
  t.equal(errors.DB_SLOW.create(undefined, { retryAfter: 3 }).retryAfter, 3, 'occurrence retryAfter wins')
  t.equal(errors.NOT_MINE.create().expose, false, 'a hidden 4xx entry')
  t.same(errors.DB_SLOW.create().params, {}, 'params default to an empty object')
})

t.test('occurrence headers that could split a response are dropped', async t => {
  const err = errors.USER_NOT_FOUND.create({ userId: '1' }, { headers: { 'x-ok': 'fine', 'x-bad': 'a\r\nSet-Cookie: x=1', 'bad name': 'v' } })
  t.same(err.headers, { 'x-entry': 'e', 'x-ok': 'fine' })
})

t.test('entry.is and isAppError', async t => {
  const err = errors.USER_NOT_FOUND.create({ userId: '1' })
  t.equal(errors.USER_NOT_FOUND.is(err), true)
  t.equal(errors.DB_DOWN.is(err), false)
  t.equal(isAppError(err), true)
  for (const v of [new Error('x'), null, undefined, 'USER_NOT_FOUND', { code: 'USER_NOT_FOUND', errorCode: 301 }, 42]) {
    t.equal(isAppError(v), false, `isAppError(${String(v)})`)
    t.equal(errors.USER_NOT_FOUND.is(v), false, `is(${String(v)})`)
  }
  const hostile = new Proxy({}, { get () { throw new Error('boom') }, getPrototypeOf () { throw new Error('boom') } })
  t.equal(isAppError(hostile), false, 'a throwing Proxy is not an AppError and does not throw')
  t.equal(errors.USER_NOT_FOUND.is(hostile), false)
  const other = defineErrors({ USER_NOT_FOUND: { code: 303, domain: 'RESOURCE', status: 404, message: 'x' } })
  t.equal(other.USER_NOT_FOUND.is(err), false, 'same name, different code is another entry')
})

t.test('toJSON leaks nothing', async t => {
  const cause = Object.assign(new Error('password=hunter2'), { secret: 'x' })
  const err = errors.USER_NOT_FOUND.create({ userId: '42' }, { detail: { userId: 'secret-detail' }, cause })
  t.same(JSON.parse(JSON.stringify(err)), { error_code: 301, error_name: 'USER_NOT_FOUND', message: 'User 42 not found', status_code: 404 })
  const db = errors.DB_DOWN.create({ db: 'payments-primary' }, { cause })
  const json = JSON.stringify(db)
  t.same(JSON.parse(json), { error_code: 501, error_name: 'DB_DOWN', message: 'Internal server error', status_code: 503 })
  t.notMatch(json, /payments-primary|hunter2|secret|stack/)
})

t.test('every built-in entry creates an AppError of itself', async t => {
  for (const entry of builtinErrors.list()) {
    const err = (entry.create as () => AppError)()
    t.ok(entry.is(err), entry.name)
    t.equal(err.status, entry.status)
    t.equal(err.expose, entry.expose)
  }
})

// Two installed copies: the built dist (twice, by query string) and a byte-for-byte copy of dist in
// another directory, whose AppError class is a different object from this copy's.
t.test('is/isAppError work across installed copies', async t => {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url))
  t.ok(existsSync(join(dist, 'index.js')), 'dist is built (run pnpm run build)')
  const dir = await mkdtemp(fileURLToPath(new URL('./fixtures/.copy-', import.meta.url)))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  // Inside packages/core, so the copy resolves @sinclair/typebox like an installed package would.
  await cp(dist, dir, { recursive: true })
  type Core = typeof import('../src/index.js')
  const a = await import(new URL('../dist/index.js?copy=2', import.meta.url).href) as Core
  const b = await import(pathToFileURL(join(dir, 'index.js')).href + '?copy=3') as Core
  t.not(a.AppError, b.AppError, 'two distinct AppError classes')
  t.not(a.AppError, AppError, 'dist and src are distinct too')
  const def = { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }) }
  const ea = a.defineErrors({ USER_NOT_FOUND: def })
  const eb = b.defineErrors({ USER_NOT_FOUND: def })
  const fromA = ea.USER_NOT_FOUND.create({ userId: '1' })
  const fromB = eb.USER_NOT_FOUND.create({ userId: '2' })
  t.notOk(fromA instanceof b.AppError, 'instanceof alone would fail across copies')
  t.equal(b.isAppError(fromA), true, 'copy B recognises copy A’s error')
  t.equal(a.isAppError(fromB), true, 'copy A recognises copy B’s error')
  t.equal(isAppError(fromB), true, 'src recognises a dist copy’s error')
  t.equal(eb.USER_NOT_FOUND.is(fromA), true, 'entry.is across copies')
  t.equal(errors.USER_NOT_FOUND.is(fromB), true, 'entry.is from src on a copy')
  t.equal(ea.USER_NOT_FOUND.is(errors.USER_NOT_FOUND.create({ userId: '3' })), true)
  t.equal(b.normalizeError(fromA), fromA, 'normalizeError of another copy passes the error through')
  t.equal(b.isCatalog(ea), true, 'catalogs are recognised across copies')
  t.same(b.formatError(fromA).body.error_name, 'USER_NOT_FOUND')
})
