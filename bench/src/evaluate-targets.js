import { median } from './http-suite.js'

const MB = 1024 * 1024

/**
 * The targets, checked against one run. Micro timings use the median per call: on a shared
 * machine the mean is dominated by preemption, not by the code. A target whose input is missing is 'n/a'.
 */
export function evaluateTargets ({ http, micro, memory }) {
  const v = http?.variants ?? {}
  const ratio = (name, path) => v[name]?.paths?.[path]?.medianRatio ?? null
  const ns = (name) => micro?.[name]?.p50Ns ?? null
  const hostile = [ns('i18n negotiate() hostile 16 KiB, many ranges'), ns('i18n negotiate() hostile 16 KiB, one token')]
  return [
    atLeast('All features (json, i18n, metrics), error path vs bare Fastify', ratio('errcodes-all', 'error'), 0.9, '×'),
    atLeast('All features, error path vs fastify-http-errors-enhanced', crossRatio(v, 'errcodes-all', 'fhee', 'error'), 2, '×'),
    atLeast('All features + tracing, happy path vs bare Fastify', ratio('errcodes-all-tracing', 'happy'), 0.75, '×'),
    atLeast('Tracing alone, error path vs bare Fastify', ratio('errcodes-tracing', 'error'), 0.7, '×'),
    below('metrics record()', ns('metrics record()'), 1000, 'ns'),
    below('i18n translate() cached', ns('i18n translate() cached'), 1000, 'ns'),
    below('i18n negotiate() cached', ns('i18n negotiate() cached'), 500, 'ns'),
    below('i18n negotiate() hostile 16 KiB header (worst of two shapes)', hostile.includes(null) ? null : Math.max(...hostile), 1_000_000, 'ns'),
    below('Heap growth after the memory run', memory?.heapGrowth ?? null, 20 * MB, 'B'),
    below('RSS growth after the memory run', memory?.rssGrowth ?? null, 20 * MB, 'B')
  ]
}

/** Median over rounds of a / b, both measured in the same round. */
export function crossRatio (variants, a, b, path) {
  const ra = variants[a]?.paths?.[path]?.rounds
  const rb = variants[b]?.paths?.[path]?.rounds
  if (!ra || !rb || ra.length !== rb.length || ra.length === 0) return null
  return median(ra.map((r, i) => rb[i].rps > 0 ? r.rps / rb[i].rps : 0))
}

function atLeast (name, value, limit, unit) {
  return { name, value, limit, op: '>=', unit, status: value === null ? 'n/a' : value >= limit ? 'pass' : 'FAIL' }
}

function below (name, value, limit, unit) {
  return { name, value, limit, op: '<', unit, status: value === null ? 'n/a' : value < limit ? 'pass' : 'FAIL' }
}
