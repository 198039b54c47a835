// `--pin`: the measured processes on one CPU, the load generator on the others. Unpinned, on a two-core
// machine the scheduler moves the server, autocannon and the kernel's loopback work between both cores,
// and a server's CPU per request moves by about ±10 % from one process to the next (kernel TCP functions
// were what differed between a fast and a slow process of the same variant in `perf`).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'

/**
 * The CPU lists of each side: the servers (and micro-benchmarks, memory run) get the last CPU, the load
 * generator the others. Throws where pinning cannot work, so a run never silently measures unpinned.
 */
export function planPinning (cpus = os.cpus().length, platform = os.platform()) {
  if (platform !== 'linux') throw new Error(`--pin needs Linux and taskset; this is ${platform}`)
  if (cpus < 2) throw new Error(`--pin needs at least two CPUs; this machine has ${cpus}`)
  const last = cpus - 1
  return { server: String(last), load: last === 1 ? '0' : `0-${last - 1}` }
}

/** Moves every thread of this process to `list` (a taskset CPU list). */
export function pinSelf (list) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', list, String(process.pid)], { encoding: 'utf8' })
  if (r.error?.code === 'ENOENT') throw new Error('--pin needs taskset (Debian: apt-get install util-linux)')
  if (r.error !== undefined || r.status !== 0) throw new Error(`taskset could not pin the harness to CPU ${list}: ${r.error?.message ?? r.stderr.trim()}`)
}

/** How to start a measured child: under taskset on the servers' CPU when pinned, else plain. */
export function measuredLaunch (pinning, nodePath, execArgv) {
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
