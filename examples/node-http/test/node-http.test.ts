import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'

const server = fileURLToPath(new URL('../src/server.js', import.meta.url))

t.test('the example depends on @errcodes/core alone', async t => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  t.same(Object.keys(pkg.dependencies), ['@errcodes/core'])
})

t.test('a real node:http service answers coded errors in both formats', async t => {
  const child = spawn(process.execPath, [server], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { child.kill() })
  let out = ''
  child.stdout.setEncoding('utf8')
  while (!/http:\/\/127\.0\.0\.1:(\d+)/.test(out)) {
    const [chunk] = await once(child.stdout, 'data') as [string]
    out += chunk
  }
  const base = `http://127.0.0.1:${/http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]}`

  const ok = await fetch(`${base}/orders/1`)
  t.equal(ok.status, 200)
  t.same(await ok.json(), { id: '1', total: 42 })

  const missing = await fetch(`${base}/orders/9`)
  t.equal(missing.status, 404)
  t.match(missing.headers.get('content-type'), /^application\/json/)
  const body = await missing.json()
  t.match(body, { error_code: 601, error_name: 'ORDER_NOT_FOUND', message: 'Order 9 not found', status_code: 404 })
  t.equal(body.request_id, missing.headers.get('x-request-id'))

  const problem = await fetch(`${base}/orders/9`, { headers: { accept: 'application/problem+json' } })
  t.match(problem.headers.get('content-type'), /^application\/problem\+json/)
  t.match(await problem.json(), { type: 'urn:errcodes:ORDER_NOT_FOUND', status: 404, detail: 'Order 9 not found', instance: '/orders/9', error_code: 601 })

  const locked = await fetch(`${base}/orders/1`, { method: 'POST' })
  t.equal(locked.status, 409)
  t.equal(locked.headers.get('retry-after'), '5')
  t.match(await locked.json(), { error_name: 'ORDER_LOCKED', detail: { lockedBy: 'billing' }, retry_after: 5 })

  const crash = await fetch(`${base}/crash`)
  t.equal(crash.status, 500)
  const crashBody = await crash.text()
  t.notMatch(crashBody, /hunter2|password|stack/)
  t.match(JSON.parse(crashBody), { error_name: 'INTERNAL_ERROR', message: 'Internal server error' })

  const unknown = await fetch(`${base}/nowhere`)
  t.equal(unknown.status, 404)
  t.match(await unknown.json(), { error_name: 'ROUTE_NOT_FOUND' })
})
