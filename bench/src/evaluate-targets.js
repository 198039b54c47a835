import { median } from './http-suite.js'

const MB = 1024 * 1024

/**
 * The targets, checked against one run. Micro timings use CPU time per call: on a shared
 * machine wall-clock samples also count the time other processes held the core. A target whose input
 * is missing is 'n/a'.
 */
export function evaluateTargets ({ http, micro, memory }) {
  const v = http?.variants ?? {}
  const ratio = (name, path) => v[name]?.paths?.[path]?.medianRatio ?? null
  const cpu = (name, path) => v[name]?.paths?.[path]?.medianCpuRatio ?? null
  const ns = (name) => micro?.[name]?.cpuNs ?? null
  const hostile = [ns('i18n negotiate() hostile 16 KiB, many ranges'), ns('i18n negotiate() hostile 16 KiB, one token')]
  return [
    withCpu(atLeast('All features (json, i18n, metrics), error path vs bare Fastify', ratio('errcodes-all', 'error'), 0.9, '×'), cpu('errcodes-all', 'error')),
    withCpu(atLeast('All features, error path vs fastify-http-errors-enhanced', crossRatio(v, 'errcodes-all', 'fhee', 'error'), 2, '×'), crossRatio(v, 'fhee', 'errcodes-all', 'error', 'cpuUsPerRequest')),
    withCpu(atLeast('All features + tracing, happy path vs bare Fastify', ratio('errcodes-all-tracing', 'happy'), 0.75, '×'), cpu('errcodes-all-tracing', 'happy')),
    withCpu(atLeast('Tracing alone, error path vs bare Fastify', ratio('errcodes-tracing', 'error'), 0.7, '×'), cpu('errcodes-tracing', 'error')),
    withCpu(atLeast('Tracing alone, happy path vs bare Fastify', ratio('errcodes-tracing', 'happy'), 0.75, '×'), cpu('errcodes-tracing', 'happy')),
    below('metrics record()', ns('metrics record()'), 1000, 'ns'),
    below('i18n translate() cached (worse of fresh and full cache)', worst(ns('i18n translate() cached'), ns('i18n translate() cached, cache full')), 1000, 'ns'),
    below('i18n negotiate() cached (worse of fresh and full cache)', worst(ns('i18n negotiate() cached'), ns('i18n negotiate() cached, cache full')), 500, 'ns'),
    below('i18n negotiate() hostile 16 KiB header (worse of two shapes)', worst(...hostile), 1_000_000, 'ns'),
    below('Heap growth after the memory run', memory?.heapGrowth ?? null, 20 * MB, 'B'),
    below('RSS growth after the memory run', memory?.rssGrowth ?? null, 20 * MB, 'B')
  ]
}

function worst (...values) {
  return values.includes(null) ? null : Math.max(...values)
}

/** Median over rounds of a's `field` ÷ b's, both measured in the same round. */
export function crossRatio (variants, a, b, path, field = 'rps') {
  const ra = variants[a]?.paths?.[path]?.rounds
  const rb = variants[b]?.paths?.[path]?.rounds
  if (!ra || !rb || ra.length !== rb.length || ra.length === 0) return null
  const ratios = ra.map((r, i) => rb[i][field] > 0 && r[field] !== null ? r[field] / rb[i][field] : null).filter(x => x !== null)
  return median(ratios)
}

// The same target judged on server CPU per request, which a busy machine distorts far less than req/s.
function withCpu (target, cpuValue) {
  return { ...target, cpuValue, cpuStatus: cpuValue === null ? 'n/a' : cpuValue >= target.limit ? 'pass' : 'FAIL' }
}

function atLeast (name, value, limit, unit) {
  return { name, value, limit, op: '>=', unit, status: value === null ? 'n/a' : value >= limit ? 'pass' : 'FAIL' }
}

function below (name, value, limit, unit) {
  return { name, value, limit, op: '<', unit, status: value === null ? 'n/a' : value < limit ? 'pass' : 'FAIL' }
}
