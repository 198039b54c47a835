import t from 'tap'
import { Type, defineErrors, development, production } from '../src/index.js'

const defs = {
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User {userId} not found', params: Type.Object({ userId: Type.String() }) },
  AUDITED_DENIAL: { code: 210, domain: 'AUTH', status: 403, message: 'Denied', captureStack: true },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' },
  QUIET_OUTAGE: { code: 502, domain: 'SERVER', status: 502, message: 'Upstream down', captureStack: false }
} as const

// A named function, so the frame of the throw site is recognisable in the stack.
function throwSite<T> (make: () => T): T {
  return make()
}

const frames = (err: Error): string[] => String(err.stack).split('\n').slice(1)

t.test("'server' keeps stacks of 5xx entries only; an entry's captureStack wins", async t => {
  const errors = defineErrors(defs, { stackTraces: production().stackTraces })
  const notFound = throwSite(() => errors.USER_NOT_FOUND.create({ userId: '42' }))
  t.equal(notFound.stack, 'USER_NOT_FOUND: User 42 not found', 'a stackless 4xx keeps its header: name and message')
  t.equal(errors.USER_NOT_FOUND.captureStack, false)
  const down = throwSite(() => errors.DB_DOWN.create())
  t.ok(frames(down).length > 0, 'a 5xx has frames')
  t.match(frames(down)[0], /throwSite|stack-policy\.test/, 'the top frames are the caller’s, not create()’s')
  t.notMatch(String(down.stack), /error-entry/, 'create() itself is not in the stack')
  t.ok(frames(throwSite(() => errors.AUDITED_DENIAL.create())).length > 0, 'a 4xx entry with captureStack: true has frames')
  t.equal(errors.QUIET_OUTAGE.create().stack, 'QUIET_OUTAGE: Upstream down', 'a 5xx entry with captureStack: false has none')
  t.equal(errors.QUIET_OUTAGE.captureStack, false)
  const limit = Error.stackTraceLimit
  t.equal(Error.stackTraceLimit, limit, 'create() restores Error.stackTraceLimit')
  t.ok(frames(new Error('x')).length > 0, 'other errors still capture stacks')
})

t.test("'all' keeps every stack (development)", async t => {
  const errors = defineErrors(defs, { stackTraces: development().stackTraces })
  t.ok(frames(throwSite(() => errors.USER_NOT_FOUND.create({ userId: '1' }))).length > 0)
  t.ok(frames(errors.DB_DOWN.create()).length > 0)
  t.equal(errors.QUIET_OUTAGE.create().stack, 'QUIET_OUTAGE: Upstream down', 'captureStack: false still wins')
})

t.test('without the option, NODE_ENV decides when the catalog is defined', async t => {
  const saved = process.env.NODE_ENV
  t.teardown(() => { if (saved === undefined) delete process.env.NODE_ENV; else process.env.NODE_ENV = saved })
  process.env.NODE_ENV = 'production'
  const prod = defineErrors(defs)
  process.env.NODE_ENV = 'development'
  const dev = defineErrors(defs)
  delete process.env.NODE_ENV
  const unset = defineErrors(defs)
  t.equal(prod.USER_NOT_FOUND.captureStack, false, 'production: no stack for a 4xx')
  t.equal(prod.DB_DOWN.captureStack, true, 'production: stacks for 5xx')
  t.equal(prod.USER_NOT_FOUND.create({ userId: '1' }).stack, 'USER_NOT_FOUND: User 1 not found', 'read at definition, not per error')
  t.equal(dev.USER_NOT_FOUND.captureStack, true)
  t.equal(unset.USER_NOT_FOUND.captureStack, true, 'no NODE_ENV: development behaviour')
})

t.test('merged and overridden catalogs keep each entry’s policy', async t => {
  const a = defineErrors({ A_MISSING: defs.USER_NOT_FOUND }, { stackTraces: 'server' })
  const b = defineErrors({ B_DOWN: defs.DB_DOWN }, { stackTraces: 'all' })
  const merged = a.merge(b)
  t.equal(merged.get('A_MISSING')?.captureStack, false)
  t.equal(merged.get('B_DOWN')?.captureStack, true)
})

t.test('bad values throw a TypeError naming the option', async t => {
  t.throws(() => defineErrors(defs, { stackTraces: 'none' as 'all' }), { name: 'TypeError', message: /^defineErrors: stackTraces must be 'all' or 'server' \(got "none"\)/ })
  t.throws(() => defineErrors({ X: { code: 301, domain: 'RESOURCE', status: 404, message: 'x', captureStack: 'yes' as unknown as boolean } }), { name: 'TypeError', message: 'error X: captureStack must be a boolean' })
})
