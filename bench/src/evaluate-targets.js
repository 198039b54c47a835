import { pairMedian } from './http-suite.js'

const MB = 1024 * 1024

/**
 * The targets of issue #15 (and the earlier ones still standing), checked against one run. The tracing
 * limits depend on the Node major the servers ran under (Node 20's AsyncLocalStorage rides on
 * async_hooks and costs more): Node 20 and older get the Node 20 limits, newer ones the Node 24 limits.
 * Micro timings use CPU time per call: on a shared machine wall-clock samples also count the time other
 * processes held the core. A target whose input is missing is 'n/a'.
 */
export function evaluateTargets ({ meta, http, micro, memory }) {
  const v = http?.variants ?? {}
  const ratio = (name, path) => v[name]?.paths?.[path]?.medianRatio ?? null
  const cpu = (name, path) => v[name]?.paths?.[path]?.medianCpuRatio ?? null
  const ns = (name) => micro?.[name]?.cpuNs ?? null
  const hostile = [ns('i18n negotiate() hostile 16 KiB, many ranges'), ns('i18n negotiate() hostile 16 KiB, one token')]
  const major = Number(/^v?(\d+)/.exec(meta?.node ?? process.version)?.[1] ?? 0)
  const old = major <= 20
  const vs = (name, path, limit, label) => withCpu(atLeast(label, ratio(name, path), limit, '×'), cpu(name, path))
  const modelled = (path, limit, against, label) => withCpu(
    atLeast(label, modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', path, 'rps', against), limit, '×'),
    modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', path, 'cpuUsPerRequest', against))
  return [
    vs('errcodes-all', 'error', 1, 'All features (json, i18n, metrics), error path vs bare Fastify'),
    vs('errcodes-core', 'error', 1.05, 'Core only, error path vs bare Fastify'),
    vs('errcodes-all', 'happy', 0.97, 'All features, happy path vs bare Fastify'),
    vs('errcodes-all-tracing', 'happy', old ? 0.75 : 0.85, `All features + tracing, happy path vs bare Fastify (Node ${old ? '≤ 20' : '≥ 22'} limit)`),
    vs('errcodes-all-tracing', 'error', old ? 0.7 : 0.8, `All features + tracing, error path vs bare Fastify (Node ${old ? '≤ 20' : '≥ 22'} limit)`),
    withCpu(atLeast('All features + tracing vs @fastify/otel, error path', crossRatio(v, 'errcodes-all-tracing', 'fastify-otel', 'error'), 1.5, '×'), crossRatio(v, 'fastify-otel', 'errcodes-all-tracing', 'error', 'cpuUsPerRequest')),
    withCpu(atLeast('All features + tracing vs @fastify/otel, happy path', crossRatio(v, 'errcodes-all-tracing', 'fastify-otel', 'happy'), 1.5, '×'), crossRatio(v, 'fastify-otel', 'errcodes-all-tracing', 'happy', 'cpuUsPerRequest')),
    withCpu(atLeast('All features, error path vs fastify-http-errors-enhanced', crossRatio(v, 'errcodes-all', 'fhee', 'error'), 2, '×'), crossRatio(v, 'fhee', 'errcodes-all', 'error', 'cpuUsPerRequest')),
    vs('errcodes-tracing', 'error', 0.7, 'Tracing alone, error path vs bare Fastify'),
    vs('errcodes-tracing', 'happy', 0.75, 'Tracing alone, happy path vs bare Fastify'),
    // Not targets of ours: the same limits applied to a hand-written SDK tracer with our span's contents on
    // bare Fastify. Where this floor misses a limit, no SDK-based tracer that does at least as much can meet it.
    vs('otel-semconv-floor', 'happy', old ? 0.75 : 0.85, 'Floor (not ours): SDK span + context + semantic conventions on bare Fastify, happy path'),
    vs('otel-semconv-floor', 'error', old ? 0.7 : 0.8, 'Floor (not ours): SDK span + context + semantic conventions on bare Fastify, error path'),
    // The same floor added to our features without tracing: what all features + any SDK tracer with our
    // span's contents would cost if the two costs simply added up. A limit this misses is out of reach of
    // such a tracer on the measured machine, whatever our own tracing does.
    modelled('happy', old ? 0.75 : 0.85, 'bare', 'Floor (not ours, modelled): all features + what that floor adds to bare Fastify, happy path'),
    modelled('error', old ? 0.7 : 0.8, 'bare', 'Floor (not ours, modelled): all features + what that floor adds to bare Fastify, error path'),
    modelled('happy', 1.5, 'fastify-otel', 'Floor (not ours, modelled): all features + that floor vs @fastify/otel, happy path'),
    below('metrics record()', ns('metrics record()'), 1000, 'ns'),
    below('i18n translate() cached (worse of fresh and full cache)', worst(ns('i18n translate() cached'), ns('i18n translate() cached, cache full')), 1000, 'ns'),
    below('i18n negotiate() cached (worse of fresh and full cache)', worst(ns('i18n negotiate() cached'), ns('i18n negotiate() cached, cache full')), 500, 'ns'),
    below('i18n negotiate() hostile 16 KiB header (worse of two shapes)', worst(...hostile), 1_000_000, 'ns'),
    below('Heap growth after the memory run', memory?.heapGrowth ?? null, 2 * MB, 'B'),
    below('RSS growth after the memory run', memory?.rssGrowth ?? null, 20 * MB, 'B')
  ]
}

function worst (...values) {
  return values.includes(null) ? null : Math.max(...values)
}

/** Median (per process pair, see pairMedian) of a's `field` ÷ b's, both measured in the same round. */
export function crossRatio (variants, a, b, path, field = 'rps') {
  return medianOverRounds(variants, [a, b], path, (ra, rb) => rb[field] > 0 && ra[field] !== null ? ra[field] / rb[field] : null)
}

/**
 * Median (per process pair, see pairMedian) of `against`'s time per request ÷ a modelled variant's: `name`'s time plus what
 * `floor` adds to bare Fastify, all three from the same round. Time per request is 1 ÷ req/s, or the
 * server CPU µs per request.
 */
export function modelledRatio (variants, name, floor, path, field, against = 'bare') {
  const time = (round) => field === 'rps' ? (round.rps > 0 ? 1 / round.rps : null) : round[field]
  return medianOverRounds(variants, [name, floor, 'bare', against], path, (...rounds) => {
    const [t, f, bare, other] = rounds.map(time)
    const composed = t + f - bare
    return [t, f, bare, other].some(x => x === null || x === undefined) || !(composed > 0) ? null : other / composed
  })
}

/**
 * pairMedian of `valueOf(round of each named variant)`, round by round (the rounds of one index ran
 * together, on the same process number); null when a variant has no rounds or a different count.
 */
function medianOverRounds (variants, names, path, valueOf) {
  const rounds = names.map(n => variants[n]?.paths?.[path]?.rounds)
  if (rounds.some(r => !Array.isArray(r) || r.length === 0 || r.length !== rounds[0].length)) return null
  return pairMedian(rounds[0].map((round, i) => ({ server: round.server, value: valueOf(...rounds.map(r => r[i])) })), x => x.value)
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
