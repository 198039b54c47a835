import t from 'tap'
import { builtinErrors, defineErrors, formatError } from '@errcodes/core'

// A misspelled option or entry key used to be accepted and do nothing (the default stayed in place).
// Each is now a TypeError naming the function (or entry), the key and the closest valid key.

t.test('defineErrors refuses an unknown option, suggesting the closest', async t => {
  const defs = { A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } } as const
  t.throws(() => defineErrors(defs, { stackTrace: 'server' } as never), { name: 'TypeError', message: /^defineErrors: unknown option "stackTrace"; did you mean "stackTraces"\?/ })
  t.throws(() => defineErrors(defs, { stackTraces: 'server', chek: 'clean' } as never), { name: 'TypeError', message: /^defineErrors: unknown option "chek"; did you mean "check"\?/ })
  t.throws(() => defineErrors(defs, 'clean' as never), { name: 'TypeError', message: /^defineErrors: options must be an object/ })
  t.throws(() => defineErrors(defs, null as never), { name: 'TypeError', message: /^defineErrors: options must be an object/ })
  t.ok(defineErrors(defs, { stackTraces: 'server', check: 'clean', domains: [] }).A_B)
})

t.test('defineErrors refuses an unknown entry key, naming the entry, the key and the closest valid one', async t => {
  const entry = { code: 301, domain: 'RESOURCE', status: 404, message: 'x' }
  t.throws(() => defineErrors({ A_B: { ...entry, captureStak: false } } as never), { name: 'TypeError', message: /^error A_B: unknown key "captureStak"; did you mean "captureStack"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, exposee: false } } as never), { name: 'TypeError', message: /^error A_B: unknown key "exposee"; did you mean "expose"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, retryAftr: 5 } } as never), { name: 'TypeError', message: /^error A_B: unknown key "retryAftr"; did you mean "retryAfter"\?/ })
  t.throws(() => defineErrors({ A_B: { ...entry, zzzzzzzz: 1 } } as never), { name: 'TypeError', message: /^error A_B: unknown key "zzzzzzzz" \(valid: code, domain/ })
})

t.test('entry.create refuses an unknown option in throw mode, ignores it in clean mode', async t => {
  const strict = defineErrors({ A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } }, { check: 'throw' })
  const cause = new Error('db')
  t.throws(() => strict.A_B.create(undefined, { cuase: cause } as never), { name: 'TypeError', message: /^A_B\.create: unknown option "cuase"; did you mean "cause"\?/ })
  t.equal(strict.A_B.create(undefined, { cause }).cause, cause)
  const lenient = defineErrors({ A_B: { code: 301, domain: 'RESOURCE', status: 404, message: 'x' } }, { check: 'clean' })
  t.equal(lenient.A_B.create(undefined, { cuase: cause } as never).cause, undefined)
})

t.test('formatError refuses an unknown context key', async t => {
  const err = builtinErrors.NOT_FOUND.create()
  t.throws(() => formatError(err, { formt: 'problem' } as never), { name: 'TypeError', message: /^formatError: unknown option "formt"; did you mean "format"\?/ })
  t.equal(formatError(err, { format: 'problem', retryAfter: undefined }).headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(formatError(err).status, 404)
})
