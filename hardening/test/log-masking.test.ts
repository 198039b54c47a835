import t from 'tap'
import Fastify from 'fastify'
import { builtinErrors, overrideCatalog } from '@errcodes/core'
import errorCodes from '@errcodes/fastify'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'
import { logCapture } from './fixtures/harness.js'

// Finding 4 of the security review: stack masking stopped at the first "\n    at ", so a message that
// embeds another error's stack logged its tail raw; `err.cause[].name` was not masked.

const SECRETS = ['jane.doe@example.com', 'hunter2', 'kim@example.com', '4111 1111 1111 1111']

t.test('the error log line masks every line of the stack and the names in the cause chain', async t => {
  const capture = logCapture()
  const app = Fastify({ logger: { level: 'info', stream: capture.stream } })
  await app.register(errorCodes, { catalog: overrideCatalog(builtinErrors, demoErrors) })
  app.get('/embedded', async () => {
    throw new Error('line1\n    at fake (x.js:1:1)\nuser=jane.doe@example.com password=hunter2')
  })
  app.get('/frame-shaped', async () => {
    const err = new Error('db failed')
    err.stack = 'Error: db failed\n    at connect (postgres://app:hunter2@db:5432/x)\n    at kim@example.com (x.js:1:1)'
    throw err
  })
  app.get('/cause', async () => {
    const inner = new Error('card declined')
    inner.name = 'CardError 4111 1111 1111 1111 for kim@example.com'
    throw demoErrors.ORDER_NOT_FOUND.create({ orderId: '7' }, { cause: inner })
  })
  t.teardown(() => app.close())
  for (const url of ['/embedded', '/frame-shaped', '/cause']) {
    const res = await app.inject(url)
    t.ok(res.statusCode >= 400, `${url}: ${res.statusCode}`)
  }
  const errLines = capture.lines.filter(l => l.err !== undefined)
  t.equal(errLines.length, 3, 'one error line per request')
  const raw = capture.raw.join('\n')
  for (const secret of SECRETS) t.notOk(raw.includes(secret), `"${secret}" in no log line`)
  const embedded = errLines[0].err as { stack: string }
  t.match(embedded.stack, /user=j\*\*\*@example\.com password=\[REDACTED\]/, 'the tail after the fake frame is masked, not dropped')
  const cause = (errLines[2].err as { cause: Array<{ name: string }> }).cause
  t.match(cause[0].name, /^CardError \*\*\*\* \*\*\*\* \*\*\*\* 1111 for k\*\*\*@example\.com$/)
})
