import { fileURLToPath } from 'node:url'
import { EXPECTED_STATUS, HEADERS, PATHS } from './bench-catalog.js'
import { forkChild } from './fork-child.js'
import { measureLoad } from './measure-load.js'
import { measuredLaunch } from './pin-cpus.js'
import { variants } from './variants.js'

const SERVER = fileURLToPath(new URL('./server.js', import.meta.url))
// Every variant starts at once; on a loaded two-core machine a dozen processes loading OpenTelemetry
// can take more than half a minute before they listen.
const START_TIMEOUT_MS = 120_000
/** The baseline every ratio is taken against, from the same round. */
export const BASELINE = 'bare'

/**
 * Starts every variant in `options.servers` processes, checks what each answers, warms each up, then
 * measures them in alternation (the order rotates every round; round r measures process r mod N of
 * every variant) and reports medians and same-round ratios.
 */
export async function runHttpSuite (options, log = () => {}) {
  const chosen = variants.filter(v => v.name === BASELINE || options.only === undefined || options.only.includes(v.name))
  const count = options.servers ?? 1
  const servers = []
  // One set at a time: a dozen processes loading OpenTelemetry at once already take half a minute.
  for (let index = 0; index < count; index++) {
    servers.push(...await Promise.all(chosen.map(v => startServer(v, index, count, options))))
  }
  try {
    const results = {}
    for (const v of chosen) results[v.name] = { description: v.description, status: 'ok', reason: undefined, servers: [], paths: {} }
    for (const s of servers) {
      const r = results[s.variant.name]
      r.servers.push({ cpus: s.answer.cpus })
      if (s.answer.type !== 'ready') {
        // One process that cannot start takes its variant out: its rounds would compare fewer processes.
        if (r.status === 'ok') { r.status = s.answer.type; r.reason = s.answer.reason; log(`  ${s.variant.name}: ${s.answer.type} (${s.answer.reason})`) }
        continue
      }
      s.base = `http://127.0.0.1:${s.answer.port}`
      if (s.index === 0) for (const path of Object.keys(PATHS)) r.paths[path] = { sample: await sample(s.base + PATHS[path]), rounds: [] }
    }
    const running = servers.filter(s => results[s.variant.name].status === 'ok')
    if (!running.some(s => s.variant.name === BASELINE)) throw new Error(`the baseline variant "${BASELINE}" did not start: ${results[BASELINE]?.reason}`)
    const load = async (s, path, seconds, amount) => {
      const before = await cpuOf(s.handle.child)
      const m = await measureLoad(s.base + PATHS[path], { duration: seconds, amount, connections: options.connections, pipelining: options.pipelining, expectedStatus: EXPECTED_STATUS[path] })
      const after = await cpuOf(s.handle.child)
      const cpu = after.user + after.system - before.user - before.system
      return { ...m, cpuUsPerRequest: m.requests > 0 ? cpu / m.requests : null }
    }
    for (const path of Object.keys(PATHS)) {
      if (options.warmup > 0) {
        log(`warm-up ${path} path`)
        for (const s of running) await load(s, path, options.warmup, options.requests)
      }
      for (let round = 0; round < options.rounds; round++) {
        log(`${path} path, round ${round + 1}/${options.rounds}`)
        const measuring = running.filter(s => s.index === round % count)
        // Rotating the start keeps any one variant from always following the same neighbour.
        const order = measuring.map((_, i) => measuring[(i + round) % measuring.length])
        const measured = {}
        for (const s of order) measured[s.variant.name] = { server: s.index, ...await load(s, path, options.duration, options.requests) }
        const base = measured[BASELINE]
        for (const [name, m] of Object.entries(measured)) {
          results[name].paths[path].rounds.push({
            ...m,
            ratio: base.rps > 0 ? m.rps / base.rps : null,
            // Throughput a server would reach if CPU were the only limit, relative to bare: bare's CPU per request ÷ this one's.
            cpuRatio: m.cpuUsPerRequest > 0 && base.cpuUsPerRequest !== null ? base.cpuUsPerRequest / m.cpuUsPerRequest : null
          })
        }
      }
    }
    for (const r of Object.values(results)) {
      for (const p of Object.values(r.paths)) Object.assign(p, summarize(p.rounds))
    }
    return { baseline: BASELINE, paths: PATHS, expectedStatus: EXPECTED_STATUS, headers: HEADERS, variants: results }
  } finally {
    await Promise.all(servers.map(s => s.handle.close()))
  }
}

/** Starts process `index` of a variant; its answer is `ready` with a port, or why it is unavailable. */
async function startServer (variant, index, count, options) {
  const execArgv = [...options.serverFlags ?? []]
  if (options.profile !== undefined) {
    const name = count === 1 ? variant.name : `${variant.name}-${index + 1}`
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profile}`, `--cpu-prof-name=${name}.cpuprofile`)
  }
  const launch = measuredLaunch(options.pinning, options.nodePath, execArgv)
  const handle = forkChild(SERVER, options.logger ? [variant.name, '--logger'] : [variant.name], { ...launch, timeoutMs: START_TIMEOUT_MS })
  return { variant, index, handle, answer: await handle.first }
}

/** One request per path before the load: what each variant really answers, kept in the JSON. */
async function sample (url) {
  const res = await fetch(url, { headers: HEADERS, signal: AbortSignal.timeout(5000) })
  const body = await res.text()
  const headers = {}
  for (const name of ['content-type', 'content-language', 'vary', 'x-trace-id', 'x-request-id']) {
    const value = res.headers.get(name)
    if (value !== null) headers[name] = value
  }
  return { status: res.status, headers, body: body.slice(0, 600) }
}

/** The child's cumulative CPU time (µs), asked over IPC. */
function cpuOf (child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.off('message', on); reject(new Error('server did not report its CPU time')) }, 10_000)
    const on = (m) => {
      if (m?.type !== 'cpu') return
      clearTimeout(timer)
      child.off('message', on)
      resolve(m.usage)
    }
    child.on('message', on)
    child.send({ type: 'cpu' })
  })
}

function summarize (rounds) {
  const rps = rounds.map(r => r.rps)
  const cpu = rounds.map(r => r.cpuUsPerRequest).filter(c => c !== null)
  const cpuRatios = rounds.map(r => r.cpuRatio).filter(c => c !== null)
  const ratios = rounds.map(r => r.ratio).filter(r => r !== null)
  return {
    medianRps: median(rps),
    medianCpuUsPerRequest: median(cpu),
    medianCpuRatio: median(cpuRatios),
    medianRatio: median(ratios),
    minRatio: ratios.length ? Math.min(...ratios) : null,
    maxRatio: ratios.length ? Math.max(...ratios) : null,
    wrongStatus: rounds.reduce((n, r) => n + r.wrongStatus, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0)
  }
}

/** Median of a list of numbers; null for none. */
export function median (values) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
