import t from 'tap'
import fc from 'fast-check'
import Fastify from 'fastify'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { JsonErrorSchema, ProblemErrorSchema, Type, defineErrors } from '@errcodes/core'
import errorCodes, { frameworkErrors } from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { buildApp } from '@errcodes-examples/fastify-demo/src/app.js'
import { logCapture, prototypeClean, prototypeSnapshot } from './fixtures/harness.js'
import { rawGet, rawPost, rawRequest } from './fixtures/raw-http.js'
import { runs } from './fixtures/hostile.js'

const before = prototypeSnapshot()
const ajv = new Ajv({ strict: false })
;(addFormats as unknown as (a: Ajv) => void)(ajv)
const validJson = ajv.compile(JsonErrorSchema)
const validProblem = new Ajv({ strict: false }).addFormat('uri-reference', true).addFormat('date-time', true).compile(ProblemErrorSchema)

const localesDir = new URL('../../examples/fastify-demo/locales', import.meta.url)

async function demo (t: Tap): Promise<{ app: Awaited<ReturnType<typeof buildApp>>, port: number }> {
  const cap = logCapture()
  const tracing = createTracing({ serviceName: 'hostile', exporter: 'none' })
  const app = await buildApp({
    logger: { level: 'info', stream: cap.stream },
    observability: { i18n: createI18n({ dir: localesDir }), metrics: createMetrics(), tracing }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(async () => { await app.close(); await tracing.shutdown() })
  return { app, port: (app.server.address() as { port: number }).port }
}
type Tap = Parameters<Parameters<typeof t.test>[1]>[0]

interface Case {
  readonly name: string
  readonly method?: 'GET' | 'POST'
  readonly url: string
  readonly headers?: Record<string, string>
  readonly body?: string
  /** Raw bytes for the socket when they differ from what inject can express. */
  readonly raw?: string | Buffer
  /** inject recomputes what this case lies about. */
  readonly socketOnly?: boolean
  /** The status, or the statuses allowed (Fastify's own 414 for a too-long param may be kept). */
  readonly status: number | readonly number[]
  readonly error: string
}

const big = (n: number): string => 'x'.repeat(n)
const cases: Case[] = [
  { name: 'malformed JSON', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '{"name":', status: 400, error: 'MALFORMED_BODY' },
  { name: 'empty JSON body', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '', status: 400, error: 'MALFORMED_BODY' },
  { name: 'JSON with __proto__', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"polluted":true},"name":"a","email":"a@b.co"}', status: 400, error: 'MALFORMED_BODY' },
  { name: 'JSON with constructor.prototype', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '{"constructor":{"prototype":{"polluted":true}},"name":"a","email":"a@b.co"}', status: 400, error: 'MALFORMED_BODY' },
  { name: 'deeply nested JSON', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '['.repeat(100_000) + ']'.repeat(100_000), status: 400, error: 'VALIDATION_FAILED' },
  { name: 'oversized JSON (2 MiB)', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: big(2 << 20), email: 'a@b.co' }), status: 413, error: 'PAYLOAD_TOO_LARGE' },
  { name: 'Content-Length lies (says 2 MiB)', method: 'POST', url: '/users', headers: { 'content-type': 'application/json' }, body: '{}', raw: rawPost('/users', 'application/json', '{}', 2 << 20), socketOnly: true, status: 413, error: 'PAYLOAD_TOO_LARGE' },
  // Fastify parses text/plain as a string: the route's schema then refuses it.
  { name: 'text/plain body', method: 'POST', url: '/users', headers: { 'content-type': 'text/plain' }, body: 'name=a', status: 400, error: 'VALIDATION_FAILED' },
  { name: 'form body', method: 'POST', url: '/users', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=a', status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'application/xml body', method: 'POST', url: '/users', headers: { 'content-type': 'application/xml' }, body: '<a/>', status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'garbage content type', method: 'POST', url: '/users', headers: { 'content-type': ';;;\u00ff' }, body: '{}', status: 415, error: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'Accept-Language of 16 KiB (inject) / 12 KiB (socket)', url: '/users/42', headers: { 'accept-language': 'a,'.repeat(8192) }, raw: rawGet('/users/42', { 'Accept-Language': 'ko;q=0.1,'.repeat(1300) }), status: 404, error: 'USER_NOT_FOUND' },
  { name: 'traceparent garbage', url: '/users/42', headers: { traceparent: 'ff-' + big(200) + '-zz', tracestate: big(4000) }, status: 404, error: 'USER_NOT_FOUND' },
  { name: 'x-request-id of 10 KB', url: '/users/42', headers: { 'x-request-id': big(10_000) }, status: 404, error: 'USER_NOT_FOUND' },
  { name: 'bad percent-encoding in the URL', url: '/users/%E0%A4%A', status: 400, error: 'BAD_REQUEST' },
  { name: 'lone % in the URL', url: '/orders/%', status: 400, error: 'BAD_REQUEST' },
  { name: 'param longer than maxParamLength', url: '/orders/' + big(500), status: [400, 414], error: 'BAD_REQUEST' },
  { name: 'param failing its pattern', url: '/users/abc', status: 400, error: 'VALIDATION_FAILED' },
  { name: 'unknown route with a query secret', url: '/nope?token=abc&password=hunter2', status: 404, error: 'ROUTE_NOT_FOUND' },
  { name: 'encoded CR/LF in a param', url: '/orders/%0D%0Aset-cookie:%20pwned=1', status: 404, error: 'ORDER_NOT_FOUND' },
  { name: 'unicode line separators in a param', url: '/orders/%E2%80%A8%E2%80%A9%C2%85x', status: 404, error: 'ORDER_NOT_FOUND' }
]

const ALLOWED_HEADERS = new Set(['content-type', 'content-length', 'content-language', 'vary', 'x-request-id', 'x-trace-id', 'date', 'connection', 'keep-alive', 'retry-after', 'transfer-encoding'])

function checkResponse (t: Tap, c: Case, status: number, headers: Array<[string, string]>, text: string): void {
  t.ok(Array.isArray(c.status) ? c.status.includes(status) : status === c.status, `${c.name}: status ${status}`)
  let body: Record<string, unknown> = {}
  try { body = JSON.parse(text) } catch { t.fail(`${c.name}: body is not JSON: ${text.slice(0, 200)}`) }
  t.equal(body.error_name, c.error, `${c.name}: error_name`)
  t.ok(validJson(body), `${c.name}: body matches JsonErrorSchema`)
  t.equal(body.status_code, status)
  const names = headers.map(([k]) => k)
  t.same(names.filter(n => !ALLOWED_HEADERS.has(n)), [], `${c.name}: no unexpected response header`)
  t.equal(names.filter(n => n === 'x-request-id').length, 1)
  t.ok(headers.every(([, v]) => !/[\r\n\u2028\u2029\u0085]/.test(v) && v.length <= 1024), `${c.name}: header values are short and single-line`)
  t.notOk(/hunter2|password=|token=/.test(text), `${c.name}: the query string is not reflected in the body`)
  t.notOk('stack' in body || 'cause' in body, `${c.name}: no stack or cause`)
}

t.test('hostile requests through inject: coded answers of the declared shape', async t => {
  const { app } = await demo(t)
  for (const c of cases.filter(c => c.socketOnly !== true)) {
    const res = await app.inject({ method: c.method ?? 'GET', url: c.url, headers: c.headers, payload: c.body })
    checkResponse(t, c, res.statusCode, Object.entries(res.headers).map(([k, v]) => [k, String(v)]), res.body)
  }
  t.equal(prototypeSnapshot(), before)
  t.ok(prototypeClean())
})

t.test('the same requests over a real socket to 127.0.0.1', async t => {
  const { port } = await demo(t)
  for (const c of cases) {
    const bytes = c.raw ?? (c.method === 'POST' ? rawPost(c.url, c.headers?.['content-type'], c.body ?? '') : rawGet(c.url, c.headers))
    const res = await rawRequest(port, bytes)
    checkResponse(t, c, res.status, res.headers, res.body)
  }
  t.equal(prototypeSnapshot(), before)
})

t.test('what the HTTP parser refuses never reaches the app and reflects nothing', async t => {
  const { port } = await demo(t)
  const refused = [
    ['CR inside x-request-id', 'GET /users/42 HTTP/1.1\r\nHost: a\r\nx-request-id: abc\rset-cookie: x=1\r\nConnection: close\r\n\r\n'],
    ['bare LF header line', 'GET /users/42 HTTP/1.1\r\nHost: a\r\nx-request-id: abc\nset-cookie: pwned=1\r\nConnection: close\r\n\r\n'],
    ['control byte in the path', 'GET /users/\x01 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'],
    ['headers over 16 KiB', rawGet('/users/42', { 'Accept-Language': 'a,'.repeat(9000) })],
    ['space in the header name', 'GET /users/42 HTTP/1.1\r\nHost: a\r\nbad name: x\r\nConnection: close\r\n\r\n']
  ] as const
  for (const [name, bytes] of refused) {
    const res = await rawRequest(port, bytes)
    t.ok(res.status === 400 || res.status === 431, `${name}: ${res.status}`)
    t.notOk(/set-cookie|pwned/i.test(res.raw), `${name}: nothing of the request echoed`)
  }
  // And the server still answers normally afterwards.
  const ok = await rawRequest(port, rawGet('/users/1'))
  t.equal(ok.status, 200)
})

t.test('header injection: no param or detail value creates a response header (generated, both formats, socket)', async t => {
  const errors = defineErrors({
    ECHO: { code: 350, domain: 'RESOURCE', status: 409, message: 'Conflict on {value}', params: Type.Object({ value: Type.String() }) }
  })
  const app = Fastify({ logger: false, frameworkErrors })
  await app.register(errorCodes, { catalog: errors, i18n: createI18n({ messages: { en: {}, ko: { errors: { echo: '{value} 충돌' } } } }) })
  app.post('/echo', async (request) => {
    const { value, detail } = request.body as { value: string, detail: Record<string, string> }
    throw errors.ECHO.create({ value }, { detail })
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as { port: number }).port
  const evil = fc.oneof(
    fc.string(),
    fc.constantFrom('\r\nset-cookie: pwned=1', '\nx-evil: 1', '\rx-evil: 1', '\u2028x-evil: 1', '\u2029', '\u0085x-evil: 1', '\u000bx', '%0d%0ax-evil:1', 'ok\r\n\r\n<html>'),
    fc.tuple(fc.string(), fc.constantFrom('\r\n', '\n', '\r', '\u2028')).map(([a, b]) => `${a}${b}x-evil: ${a}`)
  )
  const seen = new Set<string>()
  await fc.assert(fc.asyncProperty(evil, fc.dictionary(evil, evil, { maxKeys: 3 }), fc.constantFrom('application/json', 'application/problem+json'), fc.constantFrom('en', 'ko'), async (value, detail, accept, lang) => {
    const payload = JSON.stringify({ value, detail })
    const head = `POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nAccept: ${accept}\r\nAccept-Language: ${lang}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n`
    const res = await rawRequest(port, Buffer.concat([Buffer.from(head), Buffer.from(payload)]))
    for (const [k] of res.headers) seen.add(k)
    const body = JSON.parse(res.body)
    const valid = accept === 'application/json' ? validJson(body) : validProblem(body)
    return res.status === 409 && valid && res.headers.every(([k, v]) => ALLOWED_HEADERS.has(k) && !v.includes('x-evil') && !v.includes('pwned')) &&
      !res.headerLines.some(l => /x-evil|set-cookie|<html>/i.test(l))
  }), runs(400))
  t.same([...seen].filter(h => !ALLOWED_HEADERS.has(h)), [])
})
