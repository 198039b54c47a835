import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXPECTED_STATUS, HEADERS, PATHS } from './bench-catalog.js'
import { forkChild } from './fork-child.js'
import { measureLoad } from './measure-load.js'
import { measuredLaunch } from './pin-cpus.js'
import { variants } from './variants.js'

const SERVER = fileURLToPath(new URL('./server.js', import.meta.url))
// Every variant of a set starts at once; on a loaded two-core machine a dozen processes loading
// OpenTelemetry can take more than half a minute before they listen.
const START_TIMEOUT_MS = 120_000
/** The baseline every ratio is taken against, from the same round. */
export const BASELINE = 'bare'

/**
 * Starts every variant in `options.servers` processes, checks what each answers, warms each up, then
 * measures them in alternation and reports medians and same-round ratios. Round r measures process
 * r mod N of every variant (its `server` in the results), so a variant is always compared with bare's
 * process of the same number; the medians are taken per process pair first (see pairMedian).
 */
export async function runHttpSuite (options, log = () => {}) {
  const chosen = variants.filter(v => v.name === BASELINE || options.only === undefined || options.only.includes(v.name))
  const count = options.servers
  const sets = []
  const failed = new Map()
  // Without bare there is nothing to compare with: no further set is started.
  for (let index = 0; index < count && !failed.has(BASELINE); index++) {
    // A variant that could not start once is not started again: its rounds would compare fewer processes.
    const set = await Promise.all(chosen.filter(v => !failed.has(v.name)).map(v => startServer(v, index, options)))
    for (const s of set) {
      if (s.answer.type === 'ready' || failed.has(s.variant.name)) continue
      failed.set(s.variant.name, { type: s.answer.type, reason: count === 1 ? s.answer.reason : `process ${index}: ${s.answer.reason}` })
    }
    sets.push(set)
  }
  const servers = sets.flat()
  try {
    const results = {}
    for (const v of chosen) {
      const answer = failed.get(v.name)
      results[v.name] = { description: v.description, status: answer?.type ?? 'ok', reason: answer?.reason, servers: [], paths: {} }
      if (answer !== undefined) log(`  ${v.name}: ${answer.type} (${answer.reason})`)
    }
    // Each process started, in order: its CPUs, or why it did not start.
    for (const s of servers) results[s.variant.name].servers.push(s.answer.type === 'ready' ? { cpus: s.answer.cpus } : { [s.answer.type]: s.answer.reason })
    // The processes of a variant that is out are closed now, not left idle beside the measured ones.
    await Promise.all(servers.filter(s => failed.has(s.variant.name)).map(s => s.handle.close()))
    const running = servers.filter(s => !failed.has(s.variant.name))
    if (!running.some(s => s.variant.name === BASELINE)) throw new Error(`the baseline variant "${BASELINE}" did not start: ${results[BASELINE]?.reason}`)
    for (const s of running) {
      s.base = `http://127.0.0.1:${s.answer.port}`
      if (s.index === 0) for (const path of Object.keys(PATHS)) results[s.variant.name].paths[path] = { sample: await sample(s.base + PATHS[path]), rounds: [] }
    }
    const load = async (s, path, seconds, amount) => {
      const before = await cpuOf(s.handle.child)
      const m = await measureLoad(s.base + PATHS[path], { duration: seconds, amount, connections: options.connections, pipelining: options.pipelining, expectedStatus: EXPECTED_STATUS[path] })
      const after = await cpuOf(s.handle.child)
      const cpu = after.user + after.system - before.user - before.system
      return { ...m, cpuUsPerRequest: m.requests > 0 ? cpu / m.requests : null }
    }
    // Each profile's requests, for time per request (bench/src/profile-table.js), rewritten after each
    // path: a run that fails half-way leaves no counts of an earlier run beside its new profiles.
    const profiled = {}
    if (options.profileRounds !== undefined) await rm(join(options.profileRounds, 'requests.json'), { force: true })
    for (const path of Object.keys(PATHS)) {
      if (options.warmup > 0) {
        log(`warm-up ${path} path`)
        for (const s of running) await load(s, path, options.warmup, options.requests)
      }
      if (options.profileRounds !== undefined) for (const s of running) await ask(s.handle.child, { type: 'profile-start' }, 'profile')
      for (let round = 0; round < options.rounds; round++) {
        log(`${path} path, round ${round + 1}/${options.rounds}`)
        const index = round % count
        const measuring = running.filter(s => s.index === index)
        // Who goes first moves on at every visit of a process, so no process pair is always measured in
        // one order (with round alone, --servers 2 and two variants put bare first on process 0 every time).
        const shift = index + Math.floor(round / count)
        const order = measuring.map((_, i) => measuring[(i + shift) % measuring.length])
        const measured = {}
        for (const [position, s] of order.entries()) measured[s.variant.name] = { server: s.index, position, ...await load(s, path, options.duration, options.requests) }
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
      if (options.profileRounds !== undefined) {
        for (const s of running) {
          const name = `${serverName(s.variant, s.index, options)}.${path}`
          await ask(s.handle.child, { type: 'profile-stop', file: join(options.profileRounds, `${name}.cpuprofile`) }, 'profile')
          profiled[name] = results[s.variant.name].paths[path].rounds.filter(r => r.server === s.index).reduce((sum, r) => sum + r.requests, 0)
        }
        await writeFile(join(options.profileRounds, 'requests.json'), JSON.stringify(profiled, null, 2) + '\n')
      }
    }
    for (const r of Object.values(results)) {
      for (const p of Object.values(r.paths)) Object.assign(p, summarize(p.rounds))
    }
    return { baseline: BASELINE, paths: PATHS, expectedStatus: EXPECTED_STATUS, headers: HEADERS, variants: results }
  } finally {
    // One set at a time: processes writing CPU profiles on exit all at once could outlast close()'s 5 s.
    for (const set of sets) await Promise.all(set.map(s => s.handle.close()))
  }
}

/** Starts process `index` of a variant; its answer is `ready` with a port, or why it is unavailable. */
async function startServer (variant, index, options) {
  const execArgv = [...options.serverFlags ?? []]
  if (options.profile !== undefined) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profile}`, `--cpu-prof-name=${serverName(variant, index, options)}.cpuprofile`)
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
async function cpuOf (child) {
  return (await ask(child, { type: 'cpu' }, 'cpu')).usage
}

/** A server process's name in profile files: the variant, and its number when each variant runs several. */
function serverName (variant, index, options) {
  return options.servers === 1 ? variant.name : `${variant.name}-${index}`
}

/**
 * Sends a message to a server and resolves its answer of type `answer`; rejects on the server's error,
 * its exit, or after 10 s. The harness asks one server one thing at a time, so the type identifies the answer.
 */
function ask (child, message, answer) {
  return new Promise((resolve, reject) => {
    const done = (settle, value) => {
      clearTimeout(timer)
      child.off('message', on)
      child.off('exit', exited)
      settle(value)
    }
    const timer = setTimeout(() => done(reject, new Error(`server did not answer "${message.type}" within 10 s`)), 10_000)
    const exited = (code, signal) => done(reject, new Error(`server exited (${signal ?? code}) before answering "${message.type}"`))
    const on = (m) => {
      if (m?.type !== answer) return
      if (m.error !== undefined) done(reject, new Error(`server could not do "${message.type}": ${m.error}`))
      else done(resolve, m)
    }
    child.on('message', on)
    child.once('exit', exited)
    child.send(message)
  })
}

function summarize (rounds) {
  const ratios = rounds.map(r => r.ratio).filter(r => r !== null)
  return {
    medianRps: pairMedian(rounds, r => r.rps),
    medianCpuUsPerRequest: pairMedian(rounds, r => r.cpuUsPerRequest),
    medianCpuRatio: pairMedian(rounds, r => r.cpuRatio),
    medianRatio: pairMedian(rounds, r => r.ratio),
    minRatio: ratios.length ? Math.min(...ratios) : null,
    maxRatio: ratios.length ? Math.max(...ratios) : null,
    wrongStatus: rounds.reduce((n, r) => n + r.wrongStatus, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0)
  }
}

/**
 * The median over process pairs of each pair's median over its rounds: rounds of one process agree
 * closely and processes do not (Round 8 of bench/README.md), so every pair weighs the same however many
 * rounds it got. Rounds without a `server` (one process per variant) are one pair: the plain median.
 * `valueOf` answers a number or null (not measured).
 */
export function pairMedian (rounds, valueOf) {
  const byServer = new Map()
  for (const round of rounds) {
    const value = valueOf(round)
    if (value === null || value === undefined) continue
    const key = round.server ?? 0
    if (!byServer.has(key)) byServer.set(key, [])
    byServer.get(key).push(value)
  }
  return median([...byServer.values()].map(median))
}

/** Median of a list of numbers; null for none. */
export function median (values) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
