import t from 'tap'
import { once } from 'node:events'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { Type, builtinErrors, defaultCheckMode, defineErrors, errorResponseSchema, formatError, type AppError } from '../src/index.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const definitions = {
  CARD_DECLINED: {
    code: 901,
    domain: 'CUSTOM',
    status: 402,
    message: 'Card declined: {reason}',
    params: Type.Object({ reason: Type.String() }),
    detail: Type.Object({ n: Type.Integer(), paidAt: Type.Optional(Type.String({ format: 'date-time' })) })
  },
  BAD_FIELD: { code: 401, domain: 'VALIDATION', status: 422, message: 'Bad field' },
  PLAIN: { code: 902, domain: 'CUSTOM', status: 409, message: 'Plain' }
} as const

// What a JavaScript caller (or a cast) can pass: create() has no compile-time check then.
const loose = (entry: { create: unknown }) => entry.create as (params?: unknown, options?: unknown) => AppError

t.test('throw mode: a TypeError at the throw site names the entry and the path', async t => {
  const errors = defineErrors(definitions, { check: 'throw' })
  const create = loose(errors.CARD_DECLINED)
  t.throws(() => create({ reason: 'x' }, { detail: { n: 1, extra: 'LEAK' } }), { name: 'TypeError', message: /^error CARD_DECLINED: detail\/extra: Unexpected property/ })
  t.throws(() => create({ reason: 'x' }, { detail: { n: 'x' } }), { message: /^error CARD_DECLINED: detail\/n: Expected integer/ })
  t.throws(() => create({ reason: 42 }), { message: /^error CARD_DECLINED: params\/reason: Expected string/ })
  t.throws(() => create(), { message: /^error CARD_DECLINED: params\/reason: Expected required property/ }, 'missing params')
  t.throws(() => create({ reason: 'x', userId: '1' }), { message: /params\/userId: Unexpected property/ })
  try {
    create({ reason: 'x' }, { detail: { n: 1, extra: 'LEAK' } })
  } catch (err) {
    t.match((err as Error).stack?.split('\n')[1], /occurrence-check\.test\.ts/, 'the stack starts at the caller')
  }
  const ok = create({ reason: 'x' }, { detail: { n: 1, paidAt: 'not a date' } })
  t.same(ok.detail, { n: 1, paidAt: 'not a date' }, 'formats TypeBox does not know are not checked (it would reject every value)')
  t.throws(() => loose(errors.PLAIN)(undefined, { issues: [{ location: 'body', field: 'a', pointer: '/a', keyword: 'type', message: 'm', params: {} }] }), { message: /^error PLAIN: issues are documented only for validation codes/ })
  t.throws(() => loose(errors.PLAIN)(undefined, { retryAfter: 5 }), { message: /^error PLAIN: retryAfter must be/ })
  t.equal(loose(errors.BAD_FIELD)(undefined, { issues: [{ location: 'body', field: 'a', pointer: '/a', keyword: 'type', message: 'm', params: {} }] }).issues?.length, 1, 'a validation code keeps its issues')
  t.equal(loose(builtinErrors.RATE_LIMITED)(undefined, { retryAfter: 5 }).retryAfter, 5, 'a 429 keeps its own retryAfter')
})

t.test('clean mode: the body still matches the documented schema; one warning per entry', async t => {
  const errors = defineErrors(definitions, { check: 'clean' })
  const warnings: Error[] = []
  const listener = (w: Error): void => { if ((w as { code?: string }).code === 'ERRCODES_OCCURRENCE') warnings.push(w) }
  process.on('warning', listener)
  t.teardown(() => { process.off('warning', listener) })
  const create = loose(errors.CARD_DECLINED)
  const leaked = create({ reason: 'x' }, { detail: { n: 1, extra: 'LEAK' } })
  t.same(leaked.detail, { n: 1 }, 'the undeclared property is removed')
  const body = formatError(leaked).body
  t.notMatch(JSON.stringify(body), /LEAK/)
  const ajv = new Ajv({ strict: false })
  addFormats(ajv)
  t.ok(ajv.validate(errorResponseSchema(errors.CARD_DECLINED), JSON.parse(JSON.stringify(body))), 'the body validates against the entry\'s own schema', { errors: ajv.errors })
  t.same(create({ reason: 'x' }, { detail: { n: 1, paidAt: 5, m: 2 } }).detail, { n: 1 }, 'an ill-typed optional value is dropped')
  t.same(create({ reason: 'x' }, { detail: { n: 'x' } }).detail, undefined, 'a detail that cannot conform is left out')
  t.same(create({ reason: 'x' }, { detail: 'a string' }).detail, undefined, 'a detail that is not an object is dropped')
  const badParams = create({ reason: { toString: () => 'LEAK' } })
  t.notMatch(badParams.message, /LEAK/, 'an ill-typed param never reaches the message')
  t.same(loose(errors.PLAIN)(undefined, { retryAfter: 5 }).retryAfter, undefined, 'retryAfter where the entry cannot carry it is dropped')
  t.same(loose(errors.PLAIN)(undefined, { issues: [{ location: 'body', field: 'a', pointer: '/a', keyword: 'type', message: 'm', params: {} }] }).issues, undefined)
  await once(process, 'warning')
  await new Promise(resolve => setImmediate(resolve))
  t.equal(warnings.filter(w => /CARD_DECLINED/.test(w.message)).length, 1, 'warned once for the entry, however many mismatches')
  t.match(warnings[0].message, /^error CARD_DECLINED: detail\/extra: Unexpected property/)
})

t.test('the mode: an option of defineErrors, NODE_ENV by default', async t => {
  const before = process.env.NODE_ENV
  t.teardown(() => { if (before === undefined) delete process.env.NODE_ENV; else process.env.NODE_ENV = before })
  process.env.NODE_ENV = 'production'
  t.equal(defaultCheckMode(), 'clean')
  t.same(loose(defineErrors(definitions).CARD_DECLINED)({ reason: 'x' }, { detail: { n: 1, extra: 1 } }).detail, { n: 1 }, 'production cleans')
  process.env.NODE_ENV = 'development'
  t.equal(defaultCheckMode(), 'throw')
  t.throws(() => loose(defineErrors(definitions).CARD_DECLINED)({ reason: 'x' }, { detail: { n: 1, extra: 1 } }), TypeError, 'anything else throws')
  for (const bad of ['strict', true, 1]) {
    t.throws(() => defineErrors(definitions, { check: bad as never }), { name: 'TypeError', message: 'defineErrors: option "check" must be "throw" or "clean"' })
  }
})
