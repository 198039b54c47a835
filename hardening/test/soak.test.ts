import t from 'tap'
import { HEAP_GROWTH_BOUND, formatReport, runSoak } from '../src/soak.js'

t.test('short soak: the demo with every port on, no unexpected status, heap growth under the bound', async t => {
  const report = await runSoak({ duration: 4, connections: 8, warmup: 2 })
  t.comment(formatReport(report))
  // Some traffic, so the checks below mean something; throughput is the benchmark's business (pnpm bench, pnpm soak), never a unit test's.
  t.ok(report.requests > 0, `${report.requests} requests served`)
  t.equal(report.unexpected, 0, 'every response had its route\'s expected status')
  t.same(report.unexpectedByRoute, {})
  t.equal(report.socketErrors, 0)
  t.ok(report.heap.growth < HEAP_GROWTH_BOUND, `heap growth ${(report.heap.growth / 1048576).toFixed(1)} MiB < ${HEAP_GROWTH_BOUND / 1048576} MiB`)
  t.ok(report.exported.otlpRequests > 0, 'spans reached the local OTLP endpoint')
  t.ok(report.exported.sentryEnvelopes > 0, 'server faults reached the local Sentry endpoint')
  t.equal(report.ok, true)
})
