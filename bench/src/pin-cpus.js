// `--pin`: the measured processes on one CPU, the load generator on the others. Unpinned, on a two-core
// machine the scheduler moves the server, autocannon and the kernel's loopback work between both cores,
// and the same variant's CPU per request differed by up to 20 % between processes (in the one pair
// sampled with `perf`, the slow process had more samples in the kernel's TCP functions; Round 8).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'

/** Where an invocation of `--invocations N` finds the parent's plan: its own CPUs are already narrowed. */
export const PINNING_ENV = 'ERRCODES_BENCH_PINNING'

/**
 * The CPU lists of each side, from the CPUs this process may use (a cpuset may allow 2 and 5 of 8): the
 * servers (and micro-benchmarks, memory run) get the last, the load generator the others. Throws where
 * pinning cannot work, so a run never silently measures unpinned.
 */
export function planPinning (allowed = allowedCpus(), platform = os.platform()) {
  if (platform !== 'linux' || allowed === undefined) throw new Error(`--pin needs Linux and taskset; this is ${platform}`)
  const ids = parseCpuList(allowed)
  if (ids.length < 2) throw new Error(`--pin needs at least two CPUs; this process may use ${ids.length} (${allowed})`)
  return { server: String(ids.at(-1)), load: ids.slice(0, -1).join(',') }
}

/** `0-2,5` → [0, 1, 2, 5]: the list format of /proc's Cpus_allowed_list and of taskset. */
export function parseCpuList (list) {
  const ids = []
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number)
    for (let id = from; id <= to; id++) ids.push(id)
  }
  return ids
}

/**
 * The plan an `--invocations` parent passed down in PINNING_ENV: checked, since a stale or hand-set value
 * would otherwise reach taskset or the results as is.
 */
export function inheritedPlan (value, online = onlineCpus()) {
  let plan
  try {
    plan = JSON.parse(value)
  } catch {}
  const valid = typeof plan?.server === 'string' && /^\d+$/.test(plan.server) && typeof plan.load === 'string' && /^\d+(,\d+)*$/.test(plan.load)
  const load = valid ? parseCpuList(plan.load) : []
  // The load generator never shares the servers' CPU, and every CPU named exists.
  const sound = valid && !load.includes(Number(plan.server)) && [Number(plan.server), ...load].every(id => online === undefined || online.includes(id))
  if (!sound) throw new Error(`${PINNING_ENV} holds no usable pinning plan (${JSON.stringify(String(value).slice(0, 60))}); unset it: --pin plans the CPUs itself`)
  return { server: plan.server, load: plan.load }
}

/** The CPU ids that are online (/sys), or undefined where /sys does not say. */
function onlineCpus () {
  try {
    return parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'utf8').trim())
  } catch {
    return undefined
  }
}

/** Moves every thread of this process to `list` (a taskset CPU list). */
export function pinSelf (list) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', list, String(process.pid)], { encoding: 'utf8' })
  if (r.error?.code === 'ENOENT') throw new Error('--pin needs taskset (Debian: apt-get install util-linux)')
  if (r.error !== undefined || r.status !== 0) throw new Error(`taskset could not pin the harness to CPU ${list}: ${r.error?.message ?? r.stderr.trim()}`)
}

/** How to start a measured child: under taskset on the servers' CPU when pinned, else plain. */
export function measuredLaunch (pinning, nodePath = process.execPath, execArgv = []) {
  if (pinning === undefined) return { execPath: nodePath, execArgv }
  // fork() runs execPath with execArgv before the script: taskset -c CPU node [flags] script [args].
  return { execPath: 'taskset', execArgv: ['-c', pinning.server, nodePath, ...execArgv] }
}

/** The CPUs this process may run on (`0-1`, `1`), from /proc; undefined where there is no /proc. */
export function allowedCpus () {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
  } catch {
    return undefined
  }
}
