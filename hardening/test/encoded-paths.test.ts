import t from 'tap'
import fc from 'fast-check'
import Fastify from 'fastify'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { builtinErrors, maskPath, overrideCatalog } from '@errcodes/core'
import errorCodes from '@errcodes/fastify'
import { createMetrics } from '@errcodes/metrics'
import { createTracing } from '@errcodes/tracing'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { runs } from './fixtures/hostile.js'

// Finding 1 of the security review: percent-encoded PII passed the masks of the dashboard and the spans.

/** Percent-encodes each character of `text` or not, as `choices` says (UTF-8 bytes, upper or lower hex). */
function encodeSome (text: string, choices: readonly number[]): string {
  let out = ''
  let i = 0
  for (const ch of text) {
    const choice = choices[i++ % choices.length]
    if (choice === 0 && /[A-Za-z0-9._~-]/.test(ch)) out += ch
    else {
      const escaped = [...new TextEncoder().encode(ch)].map(b => '%' + b.toString(16).padStart(2, '0')).join('')
      out += choice === 2 ? escaped.toUpperCase() : escaped
    }
  }
  return out
}

const choices = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 12 })
const email = fc.stringMatching(/^[a-z0-9._%+-]{1,20}@([a-z0-9-]{1,20}\.){1,3}[a-z]{2,6}$/)
// A Luhn-valid 16-digit number, written with spaces, dashes or nothing between groups of four.
const card = fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }), fc.constantFrom('', ' ', '-')).map(([digits, sep]) => {
  let sum = 0
  for (let i = 0; i < 15; i++) {
    let d = digits[14 - i]
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  const all = [...digits, (10 - sum % 10) % 10].join('')
  return { text: all.replace(/(\d{4})(?=\d)/g, `$1${sep}`), digits: all }
})
const jwt = fc.tuple(fc.base64String({ minLength: 4, maxLength: 40 }), fc.base64String({ minLength: 4, maxLength: 40 })).map(([a, b]) => `eyJhbGciOiJIUzI1NiJ9.${a.replace(/[+/=]/g, 'x')}x.${b.replace(/[+/=]/g, 'y')}y`)
const secretPair = fc.tuple(fc.constantFrom('password', 'token', 'api_key', 'secret'), fc.stringMatching(/^[A-Za-z0-9!*_.~-]{6,24}$/)).map(([k, v]) => ({ text: `x ${k}=${v}`, value: v }))

t.test('maskPath: encoded e-mails, cards, tokens and secret pairs never survive, however they are encoded', async t => {
  fc.assert(fc.property(email, choices, (value, how) => {
    const out = maskPath(`/orders/${encodeSome(value, how)}/items`)
    return !out.includes(value) && !out.includes(encodeURIComponent(value)) && out.endsWith('/items')
  }), runs(2000))
  fc.assert(fc.property(card, choices, ({ text, digits }, how) => {
    const out = maskPath(`/cards/${encodeSome(text, how)}`)
    return !out.replace(/\D/g, '').includes(digits.slice(0, 12))
  }), runs(2000))
  fc.assert(fc.property(jwt, choices, (value, how) => {
    const out = maskPath(`/session/${encodeSome(value, how)}`)
    return !out.includes(value.split('.')[1])
  }), runs(1000))
  fc.assert(fc.property(secretPair, choices, ({ text, value }, how) => {
    const out = maskPath(`/orders/${encodeSome(text, how)}`)
    return !out.includes(value)
  }), runs(1000))
  // Double encoding (`%2540`) is unwrapped too.
  fc.assert(fc.property(email, value => !maskPath('/u/' + encodeURIComponent(encodeURIComponent(value))).includes(value)), runs(500))
})

t.test('maskPath: never throws, decodes no control character, keeps invalid escapes as they are', async t => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom('%', '%C3', '%FF', '%E2%82', '%zz', '%0A', '%0d', '%00', '%E2%80%A8', '%25', '%40', '%C0%AF'), { maxLength: 20 }), (text, escapes) => {
    const input = '/' + text.replace(/[?#]/g, '') + escapes.join('')
    const out = maskPath(input)
    const controls = /[\r\n\u0000\u2028]/ // eslint-disable-line no-control-regex
    return typeof out === 'string' && (controls.test(input) || !controls.test(out))
  }), runs(2000))
  t.equal(maskPath('/a/%C3/%FF/%E2%82/%zz/%0D%0A/%'), '/a/%C3/%FF/%E2%82/%zz/%0D%0A/%')
})

t.test('over the wire: the dashboard events and the span url.path of encoded paths are masked', async t => {
  const memory = new InMemorySpanExporter()
  const tracing = createTracing({ serviceName: 'encoded-paths', exporter: memory })
  const metrics = createMetrics()
  const app = Fastify()
  await app.register(errorCodes, { catalog: overrideCatalog(builtinErrors, demoErrors), metrics, tracing })
  app.get('/orders/:id', async (request) => { throw demoErrors.ORDER_NOT_FOUND.create({ orderId: (request.params as { id: string }).id }) })
  t.teardown(async () => { await app.close(); await tracing.shutdown() })
  const paths = ['/orders/jane%40example.com', '/orders/4111%201111%201111%201111', '/orders/x%20password=hunter2', '/orders/jane.doe%40example.com?token=abc123secret']
  for (const url of paths) t.equal((await app.inject(url)).statusCode, 404, url)

  const recent = (await app.inject('/api/metrics/recent')).json() as { events: Array<{ path: string, message: string }> }
  const shown = recent.events.map(e => e.path).sort()
  t.same(shown, ['/orders/**** **** **** 1111', '/orders/j***@example.com', '/orders/j***@example.com', '/orders/x password=[REDACTED]'], 'dashboard paths decoded, then masked')
  await tracing.forceFlush()
  const spanPaths = memory.getFinishedSpans().map(s => s.attributes['url.path']).filter(p => String(p).startsWith('/orders/')).sort()
  t.same(spanPaths, shown, 'span url.path decoded, then masked')
  const everything = JSON.stringify(recent) + JSON.stringify(memory.getFinishedSpans().map(s => [s.attributes, s.status, s.events]))
  for (const secret of ['jane%40example.com', 'jane@example.com', 'jane.doe', '4111%201111', '4111 1111 1111 1111', 'hunter2', 'abc123secret']) {
    t.notOk(everything.includes(secret), `"${secret}" shown nowhere`)
  }
})
