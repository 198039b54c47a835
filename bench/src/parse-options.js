import { variants } from './variants.js'

/** Defaults of a full run: about twenty minutes on a two-core machine with every variant. */
export const DEFAULTS = Object.freeze({
  rounds: 5,
  // Server processes per variant; round r measures process r mod N. Processes of one build differ in
  // CPU per request (bench/README.md, Round 8): with one process per variant, one run was one draw.
  servers: 3,
  duration: 3,
  // One second left the first round 30–60 % slow on a loaded machine (optimizing tiers still compiling).
  warmup: 3,
  requests: undefined,
  connections: 50,
  pipelining: 1,
  microTime: 500,
  memoryEvents: 1_000_000,
  memoryKeys: 10_000,
  logger: false,
  only: undefined,
  skip: [],
  out: undefined,
  profile: undefined,
  profileRounds: undefined,
  serverFlags: [],
  node: undefined,
  invocations: undefined,
  pin: false,
  smoke: false
})

/** What `--smoke` changes: every stage runs, briefly, so CI proves the harness works without timing anything. */
const SMOKE = Object.freeze({ rounds: 2, servers: 1, requests: 200, connections: 4, microTime: 10, memoryEvents: 20_000, memoryKeys: 2_000 })

/** Options without a value, and the option each sets. */
const FLAGS = new Map([['--smoke', 'smoke'], ['--logger', 'logger'], ['--pin', 'pin']])
const STAGES = new Set(['http', 'micro', 'memory'])
const VALUED = new Set(['--rounds', '--servers', '--duration', '--warmup', '--requests', '--connections', '--pipelining', '--micro-time', '--memory-events', '--memory-keys', '--only', '--skip', '--out', '--profile', '--profile-rounds', '--server-flags', '--node', '--invocations'])

const USAGE = `Usage: pnpm bench [-- options]
  --rounds N          alternating rounds per variant and path (default ${DEFAULTS.rounds})
  --servers N         server processes per variant, 1 to 10 (default ${DEFAULTS.servers}, smoke: 1, at most the
                      rounds): round r measures process r mod N of every variant, so the medians
                      span N process pairs rather than one
  --duration S        whole seconds of load per variant per round (default ${DEFAULTS.duration})
  --warmup S          whole seconds of warm-up per server process and path before round 1; 0 for none (default ${DEFAULTS.warmup})
  --requests N        a fixed number of requests per measurement instead of --duration (smoke: 200);
                      req/s then move in steps of autocannon's 100 ms tick: compare CPU per request
  --connections N     autocannon connections (default ${DEFAULTS.connections})
  --pipelining N      autocannon requests per connection in flight (default ${DEFAULTS.pipelining})
  --micro-time MS     tinybench time per task (default ${DEFAULTS.microTime})
  --memory-events N   errors recorded by the memory run (default ${DEFAULTS.memoryEvents})
  --memory-keys N     distinct code/route/path combinations in the memory run (default ${DEFAULTS.memoryKeys})
  --logger            servers log to /dev/null through pino at info (default off: Fastify's no-op logger)
  --only a,b          run only these variants (bare is always kept: it is the baseline)
  --skip http,micro,memory   leave stages out
  --profile DIR       write a V8 CPU profile of every server process to DIR (node --cpu-prof);
                      each invocation's in DIR/invocation-K with --invocations
  --profile-rounds DIR   a V8 CPU profile of every server process for each path's measured rounds only
                      (no start-up, no warm-up): DIR/VARIANT.PATH.cpuprofile (VARIANT-K.PATH with
                      several processes per variant) and the requests each answered in them in
                      DIR/requests.json; \`pnpm bench:profile -- DIR\` tabulates them in µs per
                      request (DIR/invocation-K with --invocations)
  --server-flags "F"  Node/V8 flags for every server process, e.g. "--perf-basic-prof" so that
                      \`perf record -p PID\` names the JIT-compiled functions (space-separated)
  --node V            run the servers, micro-benchmarks and memory run under another Node: a path to a
                      binary, or a major version (24), found in (or installed with npm into)
                      ~/.cache/errcodes/node-24; the load generator stays on the Node running this script
  --invocations N     run the whole suite N times as separate processes (a fresh set of servers each)
                      and write node-<major>.md/.json with the spread over invocations (the per-Node
                      results files) instead of latest.md/.json
  --pin               the servers, micro-benchmarks and memory run on the last CPU this process may use,
                      the load generator on the others (Linux, taskset, 2+ CPUs): steadier CPU per
                      request on a small machine; req/s are not comparable with an unpinned run
  --out DIR           where the results go (default bench/results, smoke: bench/results/smoke)
  --smoke             tiny durations; checks the harness, not the numbers
  --help`

/** Parses argv into run options; a bad value throws a TypeError naming the option. */
export function parseOptions (argv) {
  // Asked for anywhere (not as an option's value), help wins over a mistake elsewhere on the line.
  if ([...optionsOf(argv)].some(([arg]) => arg === '--help' || arg === '-h')) return { help: USAGE }
  const o = { ...DEFAULTS, skip: [] }
  const seen = new Set()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') continue
    if (FLAGS.has(arg)) { o[FLAGS.get(arg)] = true; continue }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (FLAGS.has(name)) throw new TypeError(`option ${name} takes no value`)
    if (!VALUED.has(name)) throw new TypeError(`unknown option ${name}\n${USAGE}`)
    // `--servers --skip micro`: the next option is no value (no option value here starts with --).
    if (eq === -1 && !valueFollows(argv, i)) throw new TypeError(`option ${name} needs a value`)
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    // One value per option: a repeated one would silently drop the first (`--only a --only b`).
    if (seen.has(name)) throw new TypeError(`option ${name} is given twice`)
    seen.add(name)
    switch (name) {
      case '--rounds': o.rounds = int(name, value, 1, 100); break
      case '--servers': o.servers = int(name, value, 1, 10); break
      // autocannon stops on its one-second tick: fractions of a second would silently round up.
      case '--duration': o.duration = int(name, value, 1, 600); break
      case '--warmup': o.warmup = int(name, value, 0, 600); break
      case '--requests': o.requests = int(name, value, 1, 10_000_000); break
      case '--connections': o.connections = int(name, value, 1, 1000); break
      case '--pipelining': o.pipelining = int(name, value, 1, 100); break
      case '--micro-time': o.microTime = int(name, value, 1, 60_000); break
      case '--memory-events': o.memoryEvents = int(name, value, 1, 100_000_000); break
      case '--memory-keys': o.memoryKeys = int(name, value, 1, 1_000_000); break
      case '--only': {
        o.only = list(name, value)
        for (const v of o.only) if (!variants.some(known => known.name === v)) throw new TypeError(`option --only: unknown variant "${v}" (${variants.map(k => k.name).join(', ')})`)
        break
      }
      case '--skip': {
        o.skip = list(name, value)
        for (const s of o.skip) if (!STAGES.has(s)) throw new TypeError(`option --skip: unknown stage "${s}" (http, micro, memory)`)
        break
      }
      case '--out': o.out = value; break
      case '--profile': o.profile = folder(name, value); break
      case '--profile-rounds': o.profileRounds = folder(name, value); break
      case '--server-flags': {
        o.serverFlags = value.split(/\s+/).filter(f => f !== '')
        if (o.serverFlags.length === 0) throw new TypeError('option --server-flags needs one or more Node or V8 flags')
        const odd = o.serverFlags.find(f => !f.startsWith('--'))
        if (odd !== undefined) throw new TypeError(`option --server-flags: "${odd}" is not a flag (each starts with --)`)
        break
      }
      case '--node':
        if (value === '') throw new TypeError('option --node needs a path to a node binary or a major version such as 24')
        o.node = value
        break
      case '--invocations': o.invocations = int(name, value, 1, 20); break
    }
  }
  if (o.smoke) {
    // Explicit options win over the smoke defaults, so CI can still shorten or widen one stage.
    for (const [key, value] of Object.entries(SMOKE)) {
      if (!seen.has('--' + key.replace(/[A-Z]/g, c => '-' + c.toLowerCase()))) o[key] = value
    }
    // A duration given beside --smoke wins over its fixed request count.
    if (seen.has('--duration') && !seen.has('--requests')) o.requests = undefined
  }
  if (seen.has('--duration') && seen.has('--requests')) throw new TypeError('options --duration and --requests exclude each other: a measurement is a duration or a request count')
  if (o.servers > o.rounds) {
    // A process no round measures would only be started and warmed up: the default follows the rounds.
    if (seen.has('--servers')) throw new TypeError(`option --servers ${o.servers} needs at least ${o.servers} rounds (--rounds is ${o.rounds}${seen.has('--rounds') ? '' : o.smoke ? ', from --smoke' : ', the default'})`)
    o.servers = o.rounds
  }
  return o
}

/**
 * argv without the named valued options (both `--name value` and `--name=value`). Walked as the parser
 * reads it: the value of another option is kept whatever it looks like (`--server-flags --out`).
 */
export function withoutOptions (argv, names) {
  return [...optionsOf(argv)].filter(([arg]) => !names.includes(arg.split('=')[0])).flatMap(([arg, value]) => value === undefined ? [arg] : [arg, value])
}

/** Each option or flag of argv with the value that follows it, if it takes one (`--name=value` is one argument). */
function * optionsOf (argv) {
  for (let i = 0; i < argv.length; i++) yield valueFollows(argv, i) ? [argv[i], argv[++i]] : [argv[i], undefined]
}

/** Whether argv[i] is a valued option whose value is the next argument, as parseOptions reads it. */
function valueFollows (argv, i) {
  const arg = argv[i]
  const next = argv[i + 1]
  return VALUED.has(arg) && next !== undefined && (arg === '--server-flags' || !next.startsWith('--'))
}

// Plain decimal digits: Number() would also read 0x10, 1e3, " 2" and "" as numbers.
export function int (name, value, min, max) {
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max)) throw new TypeError(`option ${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`)
  return n
}

function folder (name, value) {
  if (value === '') throw new TypeError(`option ${name} needs a folder`)
  return value
}

function list (name, value) {
  const items = value.split(',').map(s => s.trim()).filter(Boolean)
  if (items.length === 0) throw new TypeError(`option ${name} needs a comma-separated list`)
  return items
}
