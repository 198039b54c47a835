import t from 'tap'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findTool, run } from './fixtures/tools.js'

const dir = fileURLToPath(new URL('../observability/', import.meta.url))

t.test('alerting rules pass promtool check rules and their unit tests', async t => {
  const promtool = findTool('promtool')
  if (promtool === undefined) return t.skip('promtool missing')
  const check = run(promtool, ['check', 'rules', join(dir, 'errcodes-alerts.yml')])
  t.equal(check.status, 0, check.stdout + check.stderr)
  t.match(check.stdout, /SUCCESS: 6 rules found/)
  const test = run(promtool, ['test', 'rules', join(dir, 'errcodes-alerts.test.yml')])
  t.equal(test.status, 0, test.stdout + test.stderr)
  t.match(test.stdout, /SUCCESS/)
})

t.test('the rules test fails when a rule is broken (the test can fail)', async t => {
  const promtool = findTool('promtool')
  if (promtool === undefined) return t.skip('promtool missing')
  const tmp = mkdtempSync(join(tmpdir(), 'errcodes-rules-'))
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }))
  writeFileSync(join(tmp, 'errcodes-alerts.yml'), readFileSync(join(dir, 'errcodes-alerts.yml'), 'utf8').replace('> 0.25', '> 0.5'))
  writeFileSync(join(tmp, 'errcodes-alerts.test.yml'), readFileSync(join(dir, 'errcodes-alerts.test.yml'), 'utf8'))
  const test = run(promtool, ['test', 'rules', join(tmp, 'errcodes-alerts.test.yml')])
  t.not(test.status, 0, 'a weaker 5xx threshold breaks the expected alert')
})

t.test('the Grafana dashboard is valid JSON whose queries are valid PromQL on errcodes_errors_total', async t => {
  const dashboard = JSON.parse(readFileSync(join(dir, 'errcodes-grafana-dashboard.json'), 'utf8'))
  t.equal(dashboard.uid, 'errcodes-errors')
  const ids = dashboard.panels.map((p: { id: number }) => p.id)
  t.equal(new Set(ids).size, ids.length, 'panel ids are unique')
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map(x => x.expr))
  t.ok(exprs.length >= 8)
  for (const expr of exprs) t.match(expr, /errcodes_errors_total/)
  t.ok(exprs.some(e => /status_code=~"5\.\."/.test(e)), 'a 5xx panel')
  t.ok(exprs.some(e => /by \(error_code, error_name\)/.test(e)), 'rate by code')
  // Exemplars (trace ids of failed requests) are asked for on every error-rate time series by label.
  const rated = dashboard.panels.filter((p: { type: string, targets: Array<{ expr: string }> }) => p.type === 'timeseries' && p.targets.some(x => /^sum by \((?:error_code|status_code|domain)/.test(x.expr)))
  t.equal(rated.length, 3, 'rate by code, by status and by domain')
  for (const panel of rated) t.ok(panel.targets.every((x: { exemplar?: boolean }) => x.exemplar === true), `exemplars on "${panel.title}"`)

  const promtool = findTool('promtool')
  if (promtool === undefined) return
  // promtool has no expression linter; recording rules are checked with the full PromQL parser.
  const tmp = mkdtempSync(join(tmpdir(), 'errcodes-grafana-'))
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }))
  const rules = exprs.map((expr, i) => `      - record: grafana:panel_${i}\n        expr: ${JSON.stringify(expr.replace(/\$__rate_interval|\$__range/g, '5m').replace(/\$job|\$error_name/g, '.*'))}`)
  writeFileSync(join(tmp, 'panels.yml'), `groups:\n  - name: panels\n    rules:\n${rules.join('\n')}\n`)
  const check = run(promtool, ['check', 'rules', join(tmp, 'panels.yml')])
  t.equal(check.status, 0, check.stdout + check.stderr)
})

t.test('the README\'s Fleet section holds a Prometheus config that promtool accepts', async t => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
  const fleet = readme.slice(readme.indexOf('## Fleet'), readme.indexOf('## Exemplars'))
  const yaml = /```yaml\n([\s\S]*?)```/.exec(fleet)?.[1]
  t.match(yaml, /scrape_configs:/)
  t.match(fleet, /--enable-feature=exemplar-storage/)
  const promtool = findTool('promtool')
  if (promtool === undefined) return t.skip('promtool missing')
  const tmp = mkdtempSync(join(tmpdir(), 'errcodes-readme-'))
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }))
  writeFileSync(join(tmp, 'prometheus.yml'), yaml ?? '')
  const check = run(promtool, ['check', 'config', join(tmp, 'prometheus.yml')])
  t.equal(check.status, 0, check.stdout + check.stderr)
  writeFileSync(join(tmp, 'broken.yml'), (yaml ?? '').replace('scrape_interval', 'scrape_intervall'))
  t.not(run(promtool, ['check', 'config', join(tmp, 'broken.yml')]).status, 0, 'promtool rejects a typo (the check can fail)')
})
