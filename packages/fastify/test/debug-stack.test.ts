import t from 'tap'
import { buildApp, errorLines } from './fixtures/app.js'

// A foreign crash: debug mode shows the thrown value's own stack (header masked) in the body; the log
// line carries it in every mode; production bodies carry none.

function explodeDeepInHandler (): never {
  throw new TypeError('cannot read x of undefined for jane.doe@example.com', { cause: new Error('token=hunter2 rejected') })
}

for (const debug of [true, false]) {
  t.test(`debug ${String(debug)}: the real stack of a foreign error`, async t => {
    const { app, lines } = await buildApp({ debug })
    t.teardown(() => app.close())
    app.get('/crash', async () => explodeDeepInHandler())
    const res = await app.inject('/crash')
    t.equal(res.statusCode, 500)
    const body = res.json()
    t.notOk(res.body.includes('jane.doe@example.com') || res.body.includes('hunter2'), 'nothing unmasked in the body')
    if (debug) {
      t.equal(body.stack[0], 'TypeError: cannot read x of undefined for j***@example.com', 'the thrown type and masked message head the stack')
      t.ok(body.stack.some((l: string) => /^at explodeDeepInHandler \(.*debug-stack\.test\.ts:\d+:\d+\)$/.test(l)), 'a frame points into the handler file')
      t.same(body.cause, [{ name: 'TypeError', message: 'cannot read x of undefined for j***@example.com' }, { name: 'Error', message: 'token=[REDACTED] rejected' }])
    } else {
      t.notOk('stack' in body)
      t.notOk('cause' in body)
    }
    const line = errorLines(lines).at(-1)
    const stack = String((line?.err as { stack?: unknown } | undefined)?.stack)
    t.match(stack, /TypeError: cannot read x of undefined for j\*\*\*@example\.com/, 'the log line names the thrown type, masked')
    t.match(stack, /at explodeDeepInHandler \(.*debug-stack\.test\.ts/, 'and its frames')
    t.notMatch(JSON.stringify(line), /jane\.doe@example\.com|hunter2/)
  })
}
