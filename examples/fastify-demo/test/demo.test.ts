import t, { type Tap } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { Validator } from '@seriousme/openapi-schema-validator'
import { checkLocales } from '@errcodes/i18n'
import { overrideCatalog, builtinErrors } from '@errcodes/core'
import { buildApp } from '../src/app.js'
import { demoObservability } from '../src/observability.js'
import { errors } from '../src/errors.js'

t.test('the demo locales pass the i18n checker', async t => {
  const problems = checkLocales({ catalog: overrideCatalog(builtinErrors, errors), dir: new URL('../locales', import.meta.url), builtins: true })
  t.same(problems.filter(p => p.severity === 'error'), [])
  // Built-in locales without the demo's keys fall back to English: a warning, not an error.
  t.ok(problems.some(p => p.severity === 'warning' && p.key === 'errors.user_not_found' && /falls back to en/.test(p.problem)))
})

// Starts src/server.js as `pnpm demo` does; this process's ERRCODES_*, OTEL_* and NODE_ENV are left out
// so each run gets exactly the preset it names.
async function startDemo (t: Tap.Test, env: Record<string, string> = {}): Promise<{ base: string, out: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERRCODES_') && !k.startsWith('OTEL_') && k !== 'NODE_ENV'))
  const child = spawn(process.execPath, [fileURLToPath(new URL('../src/server.js', import.meta.url))], {
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'silent', OPS_TOKEN: 'demo-test-ops-token-0123', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { child.kill('SIGTERM') })
  let out = ''
  child.stdout.setEncoding('utf8')
  while (!out.includes('Sample failing requests')) {
    const [chunk] = await once(child.stdout, 'data') as [string]
    out += chunk
  }
  return { base: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '', out }
}

t.test('the first Quick-start command: the demo starts, prints its URLs and answers over real HTTP', async t => {
  const { base, out } = await startDemo(t)
  t.match(out, `${base}/docs`)
  t.match(out, /Preset {18}development \(ERRCODES_PRESET=production for production bodies\)/)

  const ko = await fetch(`${base}/users/42`, { headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' } })
  t.equal(ko.status, 404)
  t.equal(ko.headers.get('content-language'), 'ko')
  t.match(ko.headers.get('vary'), /Accept-Language/)
  const koBody = await ko.json()
  t.equal(koBody.message, '사용자 42을(를) 찾을 수 없습니다', 'a Korean client gets Korean')
  t.match(koBody.trace_id, /^[0-9a-f]{32}$/)
  t.equal(koBody.trace_id, ko.headers.get('x-trace-id'))

  const klingon = await fetch(`${base}/users/42`, { headers: { 'accept-language': 'tlh, x-klingon;q=0.5' } })
  t.equal(klingon.headers.get('content-language'), 'en')
  t.equal((await klingon.json()).message, 'User 42 not found', 'an unknown language gets English')

  const invalid = await fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'ko' }, body: '{"name":"Lee","email":"nope"}' })
  t.equal(invalid.status, 400)
  const invalidBody = await invalid.json()
  t.equal(invalidBody.error_name, 'VALIDATION_FAILED')
  t.match(invalidBody.errors, [{ location: 'body', field: 'email', keyword: 'format' }])
  t.notMatch(invalidBody.errors[0].message, /^must /, 'validation messages are localized too')

  const problem = await fetch(`${base}/orders/7`, { headers: { accept: 'application/problem+json' } })
  t.match(problem.headers.get('content-type'), /^application\/problem\+json/)
  t.match(await problem.json(), { type: 'urn:errcodes:ORDER_NOT_FOUND', status: 404, instance: '/orders/7' })

  const retry = await fetch(`${base}/orders/100/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"card":"4242000000005030"}' })
  t.equal(retry.status, 503)
  t.equal(retry.headers.get('retry-after'), '30')

  // Development: debug bodies carry the stack and cause chain, with the secret masked.
  const crash = await fetch(`${base}/crash`)
  t.equal(crash.status, 500)
  const crashText = await crash.text()
  t.match(crashText, /"stack":\["Error: connection to postgres:\/\/\*\*\*:\*\*\*@db\/users refused"/)
  t.notMatch(crashText, /hunter2/)

  t.equal((await fetch(`${base}/metrics`)).status, 401, 'the ops routes are guarded')
  t.match(out, '(from OPS_TOKEN)', 'a token from the environment is not printed')
  const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer demo-test-ops-token-0123' } })).text()
  t.match(metrics, /errcodes_errors_total\{error_code="301",error_name="USER_NOT_FOUND",domain="RESOURCE",status_code="404",method="GET",route="\/users\/:id"\} 2/)

  const docs = await fetch(`${base}/docs`, { redirect: 'manual' })
  t.ok(docs.status === 200 || docs.status === 302, 'Swagger UI is served')
})

t.test('ERRCODES_PRESET=production: production bodies, 4xx without stacks, metrics and tracing on', async t => {
  const { base, out } = await startDemo(t, { ERRCODES_PRESET: 'production', ERRCODES_METRICS_PREFIX: 'demo_' })
  t.match(out, /Preset {18}production \(from ERRCODES_PRESET\)/)
  const crash = await fetch(`${base}/crash`)
  t.equal(crash.status, 500)
  t.notMatch(await crash.text(), /hunter2|postgres|stack/)
  const missing = await fetch(`${base}/users/42`)
  t.notOk('stack' in await missing.json(), 'no debug fields')
  t.match(missing.headers.get('x-trace-id'), /^[0-9a-f]{32}$/)
  const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer demo-test-ops-token-0123' } })).text()
  t.match(metrics, /^demo_errors_total\{error_code="301",error_name="USER_NOT_FOUND",domain="RESOURCE",status_code="404",method="GET",route="\/users\/:id"\} 1$/m, 'ERRCODES_METRICS_PREFIX reached createMetrics')
})

t.test('NODE_ENV=production alone starts the production preset', async t => {
  const { base, out } = await startDemo(t, { NODE_ENV: 'production' })
  t.match(out, /Preset {18}production \(from NODE_ENV=production\)/)
  t.notMatch(await (await fetch(`${base}/crash`)).text(), /stack/)
})

t.test('ERRCODES_PRESET=disabled: coded errors still, but no ops routes, counting or trace ids', async t => {
  const { base, out } = await startDemo(t, { ERRCODES_PRESET: 'disabled' })
  t.match(out, /Metrics {17}off/)
  const missing = await fetch(`${base}/users/42`, { headers: { 'accept-language': 'ko', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } })
  t.equal(missing.status, 404)
  const body = await missing.json()
  t.match(body, { error_code: 301, message: '사용자 42을(를) 찾을 수 없습니다' }, 'the catalog and the locales still answer')
  t.notOk('trace_id' in body, 'no trace id, even for a sampled caller')
  t.equal(missing.headers.get('x-trace-id'), null)
  t.equal((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer demo-test-ops-token-0123' } })).status, 404, 'no /metrics route')
})

t.test('the generated OpenAPI document is valid and names every code', async t => {
  const observability = demoObservability()
  const app = await buildApp({ observability })
  t.teardown(async () => { await app.close(); await observability.tracing.shutdown() })
  await app.ready()
  const document = app.swagger()
  const result = await new Validator().validate(document as never)
  t.equal(result.valid, true, JSON.stringify(result.errors))
  for (const name of Object.keys(errors)) t.ok(document.components?.schemas?.[`Error.${name}`], `component Error.${name}`)
  const pay = (document.paths?.['/orders/{id}/pay'] as Record<string, any>).post.responses
  t.same(Object.keys(pay['402'].content['application/json'].examples), ['CARD_DECLINED'])
  t.ok(pay['429'] && pay['503'])
})
