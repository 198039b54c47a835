import t from 'tap'
import fc from 'fast-check'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { AppError, JsonErrorSchema, ProblemErrorSchema, REDACTED, Type, builtinErrors, defineErrors, formatError, isAppError, normalizeError, overrideCatalog, redact, renderMessage, type ErrorEntry } from '@errcodes/core'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { MAX_CALL_MS, hostileParams, hostileThrowables, hostileValue, runs, timed } from './fixtures/hostile.js'
import { prototypeClean, prototypeSnapshot } from './fixtures/harness.js'

const catalog = overrideCatalog(builtinErrors, demoErrors)
const entries = catalog.list()
const before = prototypeSnapshot()

function validator (schema: object): ((body: unknown) => boolean) & { errors?: unknown } {
  const ajv = new Ajv({ strict: false, allErrors: true })
  ;(addFormats as unknown as (a: Ajv) => void)(ajv)
  return ajv.compile(schema)
}
const validJson = validator(JsonErrorSchema)
const validProblem = validator(ProblemErrorSchema)

const SENSITIVE_KEYS = ['password', 'Authorization', 'X-API-KEY', 'apiKey', 'api_key', 'set-cookie', 'refresh_token', 'passwordConfirmation', 'clientSecret', 'token', 'cookie', 'secret']

t.test('redact: never throws, bounded time, JSON-safe output, sensitive keys always masked', async t => {
  fc.assert(fc.property(hostileValue, (value) => {
    let out: unknown
    const ms = timed(() => { out = redact(value) })
    JSON.stringify(out, (_k, v) => typeof v === 'bigint' ? 'big' : v)
    return ms < MAX_CALL_MS
  }), runs(3000))
  fc.assert(fc.property(fc.constantFrom(...SENSITIVE_KEYS), fc.oneof(fc.string(), fc.integer(), fc.object()), fc.dictionary(fc.string(), hostileValue, { maxKeys: 5 }), (key, secret, rest) => {
    const input = { ...rest, nested: { deeper: [{ [key]: secret }] } }
    input[key] = secret
    const out = redact(input) as Record<string, any>
    return out[key] === REDACTED && out.nested.deeper[0][key] === REDACTED
  }), runs(2000))
  // Addresses of the usual shape (RFC 5322 also allows `{`, `|`, backquotes… in the local part; those are not masked).
  fc.assert(fc.property(fc.stringMatching(/^[a-z0-9._%+-]{1,20}@([a-z0-9-]{1,20}\.){1,3}[a-z]{2,6}$/), fc.string(), (email, around) => {
    const out = redact(`${around} ${email} ${around}`) as string
    return !out.includes(email)
  }), runs(1000))
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})

t.test('renderMessage: hostile params never throw, never expand, stay bounded', async t => {
  const templates = fc.oneof(
    fc.constantFrom(...entries.map(e => e.message)),
    fc.constantFrom('{a} {b}', '{n, plural, one {# x} other {# xs}}', '{s, select, a {A} other {O {s}}}', "'{'{a}'}'", 'Hi {name', '{n, foo}', '{n, plural, one {x}}', '{__proto__}', '{constructor}', '{toString}'),
    fc.string()
  )
  fc.assert(fc.property(templates, hostileParams, (template, params) => {
    let out: unknown
    const ms = timed(() => { out = renderMessage(template, params) })
    // Each argument renders at most 1024 characters plus an ellipsis; plural `#` adds a number.
    return typeof out === 'string' && out.length <= template.length * 1100 + 2048 && ms < MAX_CALL_MS
  }), runs(3000))
  t.equal(prototypeSnapshot(), before)
})

t.test('normalizeError: anything and hostile objects give a catalog AppError and never throw', async t => {
  const check = (value: unknown): boolean => {
    let err: AppError | undefined
    const ms = timed(() => { err = normalizeError(value, catalog) })
    if (!isAppError(err) || ms >= MAX_CALL_MS) return false
    const e = err as AppError
    return catalog.get(e.code) !== undefined && Number.isInteger(e.status) && e.status >= 400 && e.status <= 599 && typeof e.message === 'string'
  }
  fc.assert(fc.property(hostileValue, check), runs(3000))
  for (const [name, make] of hostileThrowables()) t.ok(check(make()), name)
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})

const hex = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`))
const context = fc.record({
  format: fc.constantFrom('json' as const, 'problem' as const),
  message: fc.option(fc.string(), { nil: undefined }),
  genericMessage: fc.option(fc.string(), { nil: undefined }),
  locale: fc.option(fc.constantFrom('en', 'ko', 'zh-Hant-TW', 'es-419'), { nil: undefined }),
  requestId: fc.option(fc.string(), { nil: undefined }),
  traceId: fc.option(hex(32), { nil: undefined }),
  instance: fc.option(fc.string(), { nil: undefined }),
  debug: fc.boolean()
})
// Printable header value: what Node accepts without throwing ERR_INVALID_CHAR.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

t.test('formatError: every body is JSON and valid against JsonErrorSchema / ProblemErrorSchema', async t => {
  const source = fc.oneof(
    fc.tuple(fc.constantFrom(...entries), hostileParams, fc.option(hostileValue, { nil: undefined })).map(([entry, params, detail]) => {
      try {
        return (entry as ErrorEntry).create(params as never, { detail: detail as never, cause: detail })
      } catch (err) {
        // Outside production create() refuses params/detail its schemas do not declare (a TypeError
        // naming the entry); thrown from a handler, that TypeError is formatted like any other fault.
        if (!(err instanceof TypeError) || !err.message.startsWith(`error ${entry.name}:`)) throw err
        return normalizeError(err, catalog)
      }
    }),
    hostileValue.map(v => normalizeError(v, catalog)),
    fc.constantFrom(...hostileThrowables()).map(([, make]) => normalizeError(make(), catalog))
  )
  fc.assert(fc.property(source, context, (error, ctx) => {
    let formatted: ReturnType<typeof formatError> | undefined
    const ms = timed(() => { formatted = formatError(error, ctx) })
    const f = formatted as ReturnType<typeof formatError>
    const text = JSON.stringify(f.body)
    const body = JSON.parse(text)
    const validate = ctx.format === 'problem' ? validProblem : validJson
    if (!validate(body)) throw new Error(`invalid ${ctx.format} body: ${JSON.stringify(validate.errors)} ${text.slice(0, 500)}`)
    const statusField = ctx.format === 'problem' ? body.status : body.status_code
    const headersOk = Object.entries(f.headers).every(([k, v]) => /^[a-z0-9-]+$/.test(k) && typeof v === 'string' && HEADER_VALUE.test(v))
    const noStack = ctx.debug || (body.stack === undefined && body.cause === undefined)
    return statusField === f.status && headersOk && noStack && ms < MAX_CALL_MS
  }), runs(3000))
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})

t.test('defineErrors: a frozen catalog or a TypeError naming the entry, never another exception', async t => {
  const name = fc.oneof(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/), fc.constantFrom('__proto__', 'constructor', 'prototype', 'lower', 'A'.repeat(70), ''), fc.string())
  const placeholder = fc.constantFrom('id', 'n', '__proto__', 'constructor', 'x y')
  const message = fc.oneof(
    fc.string(),
    placeholder.map(p => `Thing {${p}} failed`),
    fc.constantFrom('{n, plural, one {#} other {#s}}', 'Hi {name', '{n, foo}', '{n, plural, one {x}}', "It's '{'fine'}'", '')
  )
  const definition = fc.record({
    code: fc.oneof(fc.integer({ min: -10, max: 10010 }), fc.constantFrom(301, 350, 601, 999), hostileValue),
    domain: fc.oneof(fc.constantFrom('AUTH', 'RESOURCE', 'VALIDATION', 'SERVER', 'CUSTOM', 'NOPE', '__proto__'), hostileValue),
    status: fc.oneof(fc.integer({ min: 100, max: 700 }), hostileValue),
    message: fc.oneof(message, hostileValue),
    params: fc.option(fc.oneof(fc.uniqueArray(placeholder).map(keys => Type.Object(Object.fromEntries(keys.map(k => [k, Type.String()])))), hostileValue), { nil: undefined }),
    messageKey: fc.option(fc.oneof(fc.constantFrom('errors.x', 'a..b', 'errors.__proto__', 'x'.repeat(200)), hostileValue), { nil: undefined }),
    severity: fc.option(fc.oneof(fc.constantFrom('low', 'high', 'urgent'), hostileValue), { nil: undefined }),
    headers: fc.option(fc.oneof(fc.dictionary(fc.constantFrom('x-a', 'bad name', 'x-b\r\n'), fc.constantFrom('ok', 'a\r\nset-cookie: x', 'b\u2028')), hostileValue), { nil: undefined }),
    expose: fc.option(fc.oneof(fc.boolean(), hostileValue), { nil: undefined }),
    retryAfter: fc.option(fc.oneof(fc.integer({ min: -5, max: 100 }), hostileValue), { nil: undefined })
  }, { requiredKeys: ['code', 'domain', 'status', 'message'] })
  const definitions = fc.dictionary(name, definition, { maxKeys: 4 })
  fc.assert(fc.property(definitions, (defs) => {
    try {
      const built = defineErrors(defs as never)
      return Object.isFrozen(built) && built.list().every(e => Object.isFrozen(e))
    } catch (err) {
      if (!(err instanceof TypeError)) throw new Error(`defineErrors threw ${String((err as Error)?.name)}: ${String((err as Error)?.message)}`)
      const named = Object.keys(defs).some(n => err.message.includes(`error ${n}:`)) || err.message.startsWith('defineErrors:')
      if (!named) throw new Error(`TypeError does not name the entry: ${err.message}`)
      return true
    }
  }), runs(3000))
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})
