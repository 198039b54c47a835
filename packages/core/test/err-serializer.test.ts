import t from 'tap'
import { Type } from '@sinclair/typebox'
import { defineErrors } from '../src/catalog.js'
import { createErrSerializer, errSerializer } from '../src/err-serializer.js'
import { createRedactor } from '../src/redact.js'

const errors = defineErrors({
  LOGIN_FAILED: { code: 201, domain: 'AUTH', status: 401, message: 'Login failed for {email}', params: Type.Object({ email: Type.String(), password: Type.Optional(Type.String()) }), detail: Type.Object({ token: Type.String(), attempts: Type.Number() }) }
})

t.test('AppErrors keep catalog fields; params, detail, message, stack and causes are masked', async t => {
  const cause = new Error('db rejected kim@example.com with Bearer abcdefghijklmn', { cause: new Error('card 4111 1111 1111 1111') })
  const err = errors.LOGIN_FAILED.create({ email: 'kim@example.com', password: 'hunter2' }, { detail: { token: 'abc', attempts: 3 }, cause })
  const out = errSerializer(err)
  t.equal(out.type, 'LOGIN_FAILED')
  t.equal(out.code, 'LOGIN_FAILED')
  t.equal(out.error_code, 201)
  t.equal(out.status, 401)
  t.equal(out.domain, 'AUTH')
  t.equal(out.severity, 'low')
  t.equal(out.message, 'Login failed for k***@example.com')
  t.match(out.stack, /^LOGIN_FAILED: Login failed for k\*\*\*@example\.com\n/)
  t.same(out.params, { email: 'k***@example.com', password: '[REDACTED]' })
  t.same(out.detail, { token: '[REDACTED]', attempts: 3 })
  t.same(out.cause, [
    { name: 'Error', message: 'db rejected k***@example.com with Bearer [REDACTED]' },
    { name: 'Error', message: 'card **** **** **** 1111' }
  ])
  const text = JSON.stringify(out)
  for (const secret of ['hunter2', 'kim@example.com', 'abcdefghijklmn', '4111 1111 1111 1111']) t.notMatch(text, secret)
})

t.test('plain errors, cross-shaped values and hostile input', async t => {
  const plain = errSerializer(new TypeError('user kim@example.com'))
  t.equal(plain.type, 'TypeError')
  t.equal(plain.message, 'user k***@example.com')
  t.match(plain.stack, /TypeError/)
  t.same(errSerializer('ssn 123-45-6789'), { type: 'string', message: 'ssn ***-**-****' })
  t.same(errSerializer({ password: 'x', a: 1 }), { type: 'object', message: '{"password":"[REDACTED]","a":1}' })
  t.same(errSerializer(null), { type: 'object', message: 'null' })
  t.same(errSerializer(undefined), { type: 'undefined', message: 'undefined' })
  t.same(errSerializer(10n), { type: 'bigint', message: '10' })
  t.same(errSerializer(Symbol('s')), { type: 'symbol', message: 'Symbol(s)' })
  const boom = (): never => { throw new Error('trap') }
  t.doesNotThrow(() => errSerializer(new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom })))
  t.same(errSerializer(new Proxy({}, { get: boom, ownKeys: boom, getPrototypeOf: boom })), { type: 'object', message: '"[Unreadable]"' })
  const circ = new Error('loop') as Error & { cause?: unknown }
  circ.cause = circ
  t.doesNotThrow(() => JSON.stringify(errSerializer(circ)))
  const huge = new Error('x')
  huge.stack = 'y'.repeat(1024 * 1024)
  t.ok((errSerializer(huge).stack ?? '').length <= 16384 + 1, 'a 1 MB stack is capped')
  const evil = { toString () { throw new Error('x') } }
  t.doesNotThrow(() => errSerializer(Object.assign(new Error('m'), { name: evil })))
})

t.test('a custom redactor', async t => {
  const serializer = createErrSerializer(createRedactor({ extraKeys: ['email'] }))
  const err = errors.LOGIN_FAILED.create({ email: 'kim@example.com' })
  t.same(serializer(err).params, { email: '[REDACTED]' })
})
