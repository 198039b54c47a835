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

t.test('every line of a stack is masked, also after frames a message embeds; cause names and foreign types too', async t => {
  const embedded = new Error('line1\n    at fake (x.js:1:1)\nuser=jane.doe@example.com password=hunter2')
  const out = errSerializer(embedded)
  t.notMatch(out.stack, /jane\.doe@|hunter2/, 'the tail after the fake frame is masked')
  t.match(out.stack, /user=j\*\*\*@example\.com password=\[REDACTED\]/)
  t.match(out.stack, /\n {4}at fake \(x\.js:1:1\)\n/, 'frames are kept')
  const frameShaped = new Error('x')
  frameShaped.stack = 'Error: x\n    at jane.doe@example.com (postgres://u:hunter2@db:1:1)'
  t.notMatch(errSerializer(frameShaped).stack, /jane\.doe@|hunter2/, 'a frame-shaped line is masked too')

  const cause = new Error('inner')
  cause.name = 'Failure for jane.doe@example.com'
  const err = errors.LOGIN_FAILED.create({ email: 'x' }, { detail: { token: 't', attempts: 1 }, cause })
  t.same(errSerializer(err).cause, [{ name: 'Failure for j***@example.com', message: 'inner' }])
  const foreign = new Error('m')
  foreign.name = 'Err jane.doe@example.com'
  t.equal(errSerializer(foreign).type, 'Err j***@example.com')

  const long = new Error('x')
  long.stack = 'Error: x\n' + '    at f (x.js:1:1) kim@example.com\n'.repeat(600)
  const masked = errSerializer(long).stack ?? ''
  // The last line may be cut at 16384 characters mid-address; every whole line is masked.
  t.notMatch(masked.slice(0, masked.lastIndexOf('\n')), /kim@/, 'a stack longer than one redactor string is masked piece by piece')
  t.equal(masked.split('\n').length, long.stack.slice(0, 16384).split('\n').length, 'no line lost between pieces')
})
