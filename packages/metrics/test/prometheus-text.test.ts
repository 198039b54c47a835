import t from 'tap'
import { builtinErrors, defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { findTool, run } from './fixtures/tools.js'

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' }
})

function lint (text: string): { status: number | null, output: string } | undefined {
  const promtool = findTool('promtool')
  if (promtool === undefined) return undefined
  const r = run(promtool, ['check', 'metrics'], text)
  return { status: r.status, output: r.stdout + r.stderr }
}

t.test('/metrics text passes promtool check metrics', async t => {
  const metrics = createMetrics({ catalog: errors, labels: { method: true, route: true } })
  metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, method: 'GET', route: '/users/:id', timestamp: Date.now() })
  metrics.record({ error: builtinErrors.ROUTE_NOT_FOUND.create(), status: 404, method: 'GET', timestamp: Date.now() })
  metrics.record({ error: builtinErrors.INTERNAL_ERROR.create(), status: 500, method: 'POST', route: '/a "quoted"\\route\n', timestamp: Date.now() })
  metrics.record(null as never)
  const route = metrics.routes.find(r => r.path === '/metrics')
  const out = await route?.handle({ query: {}, params: {} })
  t.match(out?.contentType, /^text\/plain; version=0\.0\.4/)
  const text = String(out?.body)
  t.match(text, /route="\/a \\"quoted\\"\\\\route\\n"/, 'label values are escaped')
  const result = lint(text)
  if (result === undefined) return t.skip('promtool missing')
  t.equal(result.status, 0, result.output)
  t.equal(result.output.trim(), '', 'no lint warnings')
})

t.test('promtool flags a broken exposition (the lint can fail)', async t => {
  const result = lint('# TYPE errcodes_errors counter\nerrcodes_errors 1\n')
  if (result === undefined) return t.skip('promtool missing')
  t.not(result.status, 0)
  t.match(result.output, /_total/)
})

t.test('series count stays at catalog size under a flood of distinct unknown errors', async t => {
  const metrics = createMetrics({ catalog: errors, labels: { route: true } })
  for (let i = 0; i < 1000; i++) {
    metrics.record({ error: { ...builtinErrors.INTERNAL_ERROR.create(), name: `E_${i}` } as never, status: 500, timestamp: i })
    metrics.record({ error: builtinErrors.ROUTE_NOT_FOUND.create(), status: 404, path: `/scan/${i}`, timestamp: i })
  }
  const text = await metrics.metrics()
  const lines = text.split('\n').filter(l => l.startsWith('errcodes_errors_total{'))
  t.equal(lines.length, 2, lines.join('\n'))
  const promtool = findTool('promtool')
  if (promtool === undefined) return
  const extended = run(promtool, ['check', 'metrics', '--extended'], text)
  t.match(extended.stdout + extended.stderr, /errcodes_errors_total\s+2/)
})
