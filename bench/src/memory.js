// Child process (run with --expose-gc): records N errors across K distinct code/route/path keys through
// one metrics recorder and reports heap and RSS growth measured after full collections.
import { defineDomain, defineErrors } from '@errcodes/core'
import { answerParent } from './answer-parent.js'

const events = Number(process.argv[2] ?? 1_000_000)
const keys = Number(process.argv[3] ?? 10_000)
const CODES = 1000
const METHODS = ['GET', 'POST', 'PUT', 'DELETE']
const STATUSES = [400, 404, 409, 422, 500, 503]

function catalogOf (prefix, domain, from) {
  const defs = {}
  for (let i = 0; i < CODES; i++) {
    defs[`${prefix}_${i}`] = { code: from + i, domain, status: STATUSES[i % STATUSES.length], message: `${prefix} ${i} failed` }
  }
  return defineErrors(defs)
}

function settle () {
  // Two passes: the first can leave weak references and finalizers for the second.
  globalThis.gc()
  globalThis.gc()
  const m = process.memoryUsage()
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers }
}

async function main () {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
  let createMetrics
  try {
    ({ createMetrics } = await import('@errcodes/metrics'))
  } catch (err) {
    return { status: 'unavailable', reason: `@errcodes/metrics cannot be loaded (${err.code ?? err.message})` }
  }
  if (typeof createMetrics !== 'function') return { status: 'unavailable', reason: '@errcodes/metrics has no createMetrics() yet' }
  // Half the codes are in the recorder's catalog, half are foreign (they must collapse, not grow).
  const known = catalogOf('KNOWN', defineDomain('BENCH_KNOWN', [1000, 1999]), 1000)
  const foreign = catalogOf('FOREIGN', defineDomain('BENCH_FOREIGN', [2000, 2999]), 2000)
  const knownEntries = known.list()
  const foreignEntries = foreign.list()
  const batch = []
  for (let i = 0; i < keys; i++) {
    const entry = (i % 2 === 0 ? knownEntries : foreignEntries)[(i >> 1) % CODES]
    const error = entry.create()
    batch.push({ error, status: error.status, method: METHODS[i % METHODS.length], route: `/r${i}/:id`, path: `/r${i}/${i}`, requestId: `req-${i}`, timestamp: Date.now() })
  }
  // Route and method labels on: the worst case for cardinality.
  const metrics = createMetrics({ catalog: known, labels: { method: true, route: true } })
  const before = settle()
  const started = process.hrtime.bigint()
  for (let n = 0; n < events; n++) metrics.record(batch[n % keys])
  const elapsedNs = Number(process.hrtime.bigint() - started)
  const after = settle()
  const exposition = await metrics.registry.metrics()
  const series = exposition.split('\n').filter(line => line !== '' && !line.startsWith('#')).length
  batch.length = 0
  return {
    events,
    keys,
    heapGrowth: after.heapUsed - before.heapUsed,
    rssGrowth: after.rss - before.rss,
    before,
    after,
    nsPerRecord: elapsedNs / events,
    exposedSeries: series,
    expositionBytes: Buffer.byteLength(exposition)
  }
}

answerParent(main())
