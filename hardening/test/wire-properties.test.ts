import t from 'tap'
import fc from 'fast-check'
import Fastify from 'fastify'
import { trace } from '@opentelemetry/api'
import { builtinErrors, overrideCatalog, renderMessage } from '@errcodes/core'
import errorCodes, { requestIdOptions } from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createTracing, extractTraceContext } from '@errcodes/tracing'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { MAX_CALL_MS, acceptLanguage, hostileParams, runs, timed } from './fixtures/hostile.js'
import { prototypeClean, prototypeSnapshot } from './fixtures/harness.js'

const before = prototypeSnapshot()
const catalog = overrideCatalog(builtinErrors, demoErrors)
const i18n = createI18n({ dir: new URL('../../examples/fastify-demo/locales', import.meta.url), defaultLocale: 'en' })
const available = new Set(i18n.availableLocales())

t.test('Accept-Language negotiation: any value picks an available locale, quickly, without throwing', async t => {
  fc.assert(fc.property(acceptLanguage, (header) => {
    let locale: unknown
    const ms = timed(() => { locale = i18n.negotiate(header as string) })
    return typeof locale === 'string' && available.has(locale) && ms < MAX_CALL_MS
  }), runs(5000))
  t.equal(i18n.negotiate('de;q=0, *'), 'en', 'the explicitly refused language is never picked by the wildcard')
  t.equal(i18n.negotiate('ko-KR,ko;q=0.9'), 'ko')
  t.equal(prototypeSnapshot(), before)
})

t.test('translate with hostile params and keys: a string in an available locale, bounded, never throws', async t => {
  const keys = fc.oneof(fc.constantFrom(...catalog.list().map(e => e.messageKey), 'validation.minLength', 'validation.format'), fc.constantFrom('__proto__', 'constructor', 'toString', 'errors.__proto__', ''), fc.string())
  fc.assert(fc.property(keys, hostileParams, acceptLanguage, fc.option(fc.string(), { nil: undefined }), (key, params, header, fallback) => {
    let out: { message: unknown, locale: unknown } | undefined
    const ms = timed(() => { out = i18n.translate(key, params, header as string, fallback) })
    const r = out as { message: unknown, locale: unknown }
    // A message holds at most a few arguments of 1024 characters each (values are cut), plus its text.
    return typeof r.message === 'string' && r.message.length < 64 * 1024 + (fallback?.length ?? 0) + key.length &&
      typeof r.locale === 'string' && available.has(r.locale) && ms < MAX_CALL_MS
  }), runs(5000))
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})

t.test('the same params through core and i18n: hostile values render as text, not as markup or new arguments', async t => {
  fc.assert(fc.property(fc.constantFrom('{other}', '{{x}}', "'{'", '<script>alert(1)</script>', '\u202e', '$' + '{x}', '%s'), (value) => {
    const core = renderMessage('User {userId} not found', { userId: value })
    const ko = i18n.translate('errors.user_not_found', { userId: value }, 'ko', core).message
    return core === `User ${value} not found` && ko.includes(value)
  }), runs(200))
})

t.test('traceparent extraction: garbage never throws and never yields an invalid parent', async t => {
  const hex = (n: number): fc.Arbitrary<string> => fc.oneof({ arbitrary: fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)), weight: 4 }, { arbitrary: fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`)), weight: 1 })
  const traceparent = fc.oneof(
    fc.tuple(fc.constantFrom('00', '01', 'ff', 'zz', '0'), hex(32), hex(16), fc.constantFrom('00', '01', 'ff', 'x'), fc.option(fc.string(), { nil: undefined }))
      .map(([v, tr, sp, f, extra]) => [v, tr, sp, f, ...(extra === undefined ? [] : [extra])].join('-')),
    fc.constantFrom('00-00000000000000000000000000000000-b7ad6b7169203331-01', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01', '', '-', '00--', 'x'.repeat(10240)),
    fc.string(),
    fc.string({ unit: 'binary' })
  )
  const headers = fc.record({
    traceparent: fc.oneof(traceparent, fc.array(traceparent, { maxLength: 3 })),
    tracestate: fc.option(fc.oneof(fc.string(), fc.constant('a=b,'.repeat(2000))), { nil: undefined })
  })
  const W3C = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
  let continued = 0
  fc.assert(fc.property(headers, (h) => {
    let ctx: ReturnType<typeof extractTraceContext> | undefined
    const ms = timed(() => { ctx = extractTraceContext(h as Record<string, string | string[]>) })
    const span = trace.getSpanContext(ctx as ReturnType<typeof extractTraceContext>)
    if (span === undefined) return ms < MAX_CALL_MS
    // An array (a carrier that kept repeated headers) is read by its first value, as the propagator does.
    const first = Array.isArray(h.traceparent) ? h.traceparent[0] : h.traceparent
    const raw = typeof first === 'string' ? first.trim() : ''
    const m = W3C.exec(raw)
    continued++
    // Continued only for a well-formed header, with exactly its ids.
    return m !== null && m[1] !== 'ff' && span.traceId === m[2] && span.spanId === m[3] && !/^0+$/.test(m[2]) && !/^0+$/.test(m[3]) && ms < MAX_CALL_MS
  }), runs(5000))
  t.ok(continued > 50, `${continued} well-formed headers were continued, the rest started new traces`)
})

t.test('request-id and traceparent headers through the plugin: echoed only when sane, never breaking a header', async t => {
  const tracing = createTracing({ serviceName: 'props', exporter: 'none' })
  const app = Fastify({ logger: false, ...requestIdOptions() })
  await app.register(errorCodes, { catalog: demoErrors, i18n, tracing })
  app.get('/users/:id', async (request) => { throw demoErrors.USER_NOT_FOUND.create({ userId: (request.params as { id: string }).id }) })
  t.teardown(async () => { await app.close(); await tracing.shutdown() })
  const SANE = /^[\w.:\-/+=@]{1,128}$/
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  const requestId = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uuid(), fc.stringMatching(/^[\w.:\-/+=@]{1,140}$/), fc.constantFrom('a\r\nset-cookie: x=1', 'x'.repeat(10 * 1024), '\u2028', 'id\u0000'))
  let sent = 0
  await fc.assert(fc.asyncProperty(requestId, fc.string(), acceptLanguage, async (id, traceparent, lang) => {
    const headers: Record<string, string> = { 'x-request-id': id, traceparent }
    if (typeof lang === 'string') headers['accept-language'] = lang
    let res
    try {
      res = await app.inject({ url: '/users/1', headers })
    } catch {
      return true // light-my-request refused to send this header value; nothing reached the app
    }
    sent++
    const echoed = res.headers['x-request-id']
    const body = res.json()
    const ok = res.statusCode === 404 && typeof echoed === 'string' && body.request_id === echoed &&
      (SANE.test(id) ? echoed === id : UUID.test(echoed)) &&
      /^[0-9a-f]{32}$/.test(String(res.headers['x-trace-id'])) && body.trace_id === res.headers['x-trace-id'] &&
      Object.values(res.headers).every(v => !/[\r\n]/.test(String(v)))
    return ok
  }), runs(1500))
  t.ok(sent > 1000, `${sent} generated requests reached the app`)
  t.equal(prototypeSnapshot(), before)
})
