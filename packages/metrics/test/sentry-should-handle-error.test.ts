import t from 'tap'
import { sentryShouldHandleError } from '../src/index.js'

// The rule of Sentry's own default filter for values safe to read; false, never a throw, for the rest.
// (The real-SDK proof that hostile values no longer crash is sentry-hostile-init.test.ts.)

t.test('safe values: Sentry\'s default rule (reply status, else the error\'s >= 400, else 500; >= 500 or <= 299)', async t => {
  t.equal(sentryShouldHandleError(new Error('x'), {}, { statusCode: 200 }), true, 'no status anywhere: 500')
  t.equal(sentryShouldHandleError(Object.assign(new Error('x'), { statusCode: 404 }), {}, { statusCode: 200 }), false)
  t.equal(sentryShouldHandleError(Object.assign(new Error('x'), { status: 503 }), {}, { statusCode: 200 }), true)
  t.equal(sentryShouldHandleError(Object.assign(new Error('x'), { statusCode: 302 }), {}, { statusCode: 200 }), true, 'below 400 is ignored: 500')
  t.equal(sentryShouldHandleError(new Error('x'), {}, { statusCode: 401 }), false, 'the reply\'s status first')
  t.equal(sentryShouldHandleError(new Error('x'), {}, { statusCode: 502 }), true)
  t.equal(sentryShouldHandleError(undefined, {}, { statusCode: 200 }), true)
  t.equal(sentryShouldHandleError('text'), true, 'no reply: 500')
})

t.test('values unsafe to read: false, and nothing throws', async t => {
  const boom = (): never => { throw new Error('boom') }
  const hostile: unknown[] = [
    Symbol('x'),
    new Proxy(new Error('x'), { get: boom, has: boom, getPrototypeOf: boom }),
    new Proxy({}, {}),
    { get message () { return boom() } },
    { get stack () { return boom() } },
    { get cause () { return boom() } },
    { get statusCode () { return boom() } },
    { get status () { return boom() } },
    Object.defineProperty(new Error('x'), 'name', { get: boom }),
    { message: { toString: boom } },
    { cause: new Proxy({}, {}) },
    { message: Symbol('m') }
  ]
  for (const value of hostile) t.equal(sentryShouldHandleError(value, {}, { statusCode: 200 }), false)
  t.equal(sentryShouldHandleError(new Error('x'), {}, { get statusCode (): number { return boom() } }), false, 'a throwing reply too')
})
