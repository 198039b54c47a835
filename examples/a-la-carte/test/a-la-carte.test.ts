import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { buildApp } from '../src/app.js'

t.test('i18n and tracing are not installed in this example', async t => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  t.notOk(pkg.dependencies['@errcodes/i18n'])
  t.notOk(pkg.dependencies['@errcodes/tracing'])
  // Resolve from a clean child process: the test runner's own loader must not influence the answer.
  const probe = "for (const m of ['@errcodes/i18n', '@errcodes/tracing', '@opentelemetry/api', '@errcodes/metrics']) { try { require.resolve(m); console.log(m + ' found') } catch { console.log(m + ' missing') } }"
  const out = spawnSync(process.execPath, ['-e', probe], { cwd: fileURLToPath(new URL('..', import.meta.url)), env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' }).stdout
  t.match(out, '@errcodes/i18n missing')
  t.match(out, '@errcodes/tracing missing')
  t.match(out, '@opentelemetry/api missing')
  t.match(out, '@errcodes/metrics found', 'the probe itself resolves what is installed')
})

t.test('coded errors in English, counted in Prometheus', async t => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const missing = await app.inject('/items/pear')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { error_code: 320, error_name: 'ITEM_NOT_FOUND', message: 'Item pear not found' })
  t.notOk(missing.headers['content-language'], 'no translator, no Content-Language')
  t.notOk(missing.headers['x-trace-id'], 'no tracer, no trace id')
  t.equal((await app.inject('/items/empty')).statusCode, 409)
  t.equal((await app.inject('/items/apple')).statusCode, 200)

  const metrics = await app.inject('/metrics')
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /errcodes_errors_total\{[^}]*error_name="ITEM_NOT_FOUND"[^}]*\} 1/)
  t.match(metrics.body, /errcodes_errors_total\{[^}]*error_name="OUT_OF_STOCK"[^}]*\} 1/)
  const summary = await app.inject('/api/metrics/summary')
  t.equal(summary.statusCode, 200)
  t.equal(summary.json().total_errors, 2)
})
