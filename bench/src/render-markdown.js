/** Renders one run's JSON as the markdown committed to bench/results/latest.md and quoted in the README. */
export function renderMarkdown (run) {
  const { meta, options, http, micro, memory, targets } = run
  const out = []
  out.push('# @errcodes benchmark results', '')
  out.push(`- Date: ${meta.date}`)
  out.push(`- Node ${meta.node} (${meta.v8 ? 'V8 ' + meta.v8 : ''}) on ${meta.platform}; CPU: ${meta.cpu} × ${meta.cpus}`)
  if (meta.harnessNode !== undefined && meta.harnessNode !== meta.node) out.push(`- Servers, micro-benchmarks and memory run under Node ${meta.node} (\`${meta.nodePath}\`); the load generator under Node ${meta.harnessNode}`)
  out.push(pinningLine(meta.pinning))
  out.push(`- Load average before / after: ${meta.loadBefore.map(n => n.toFixed(2)).join(' ')} / ${meta.loadAfter?.map(n => n.toFixed(2)).join(' ') ?? '?'}`)
  out.push(`- Command: \`${meta.command}\` (in ${meta.cwd})`)
  out.push(`- Options: ${roundsText(options)}, ${options.warmup > 0 ? (options.requests === undefined ? options.warmup + ' s' : options.requests + ' requests') : 'no'} warm-up, ${options.connections} connections, pipelining ${options.pipelining}, logger ${options.logger ? 'pino → /dev/null' : 'off'}${options.smoke ? ', **smoke mode: numbers are meaningless**' : ''}`)
  out.push(`- Took ${meta.seconds.toFixed(0)} s`, '')

  out.push('## Targets', '', 'HTTP targets are judged on the same-round req/s ratio (Result) and, beside it, on the server-CPU-per-request ratio ' +
    '(CPU-based), which a busy machine distorts far less. Micro targets use CPU time per call.', '')
  out.push('| Target | Measured | Limit | Result | CPU-based | Result (CPU) |', '|---|---|---|---|---|---|')
  for (const t of targets) {
    const cpu = 'cpuStatus' in t ? [show(t.cpuValue, t.unit), t.cpuStatus] : ['', '']
    out.push(`| ${t.name} | ${show(t.value, t.unit)} | ${t.op} ${show(t.limit, t.unit)} | ${t.status} | ${cpu.join(' | ')} |`)
  }
  out.push('')

  if (http?.variants) {
    out.push('## HTTP: requests per second and ratio to bare Fastify from the same round', '')
    out.push(`Error path: \`GET ${http.paths.error}\` → ${http.expectedStatus.error}; happy path: \`GET ${http.paths.happy}\` → ${http.expectedStatus.happy}. ` +
      'Every request carries `Accept-Language: ko-KR,…`. Ratio = median over rounds of (variant ÷ bare in the same round), taken per server process pair first when each variant ran in several; [min–max] over rounds.', '')
    out.push('Server CPU µs/req: CPU time of the server process per request (median over rounds); CPU × bare = bare\'s CPU per request ÷ the variant\'s, ' +
      'the throughput ratio if CPU were the only limit. It is far less sensitive to a busy machine than req/s.', '')
    out.push('| Variant | Error req/s | Error × bare | Error CPU µs/req | Error CPU × bare | Happy req/s | Happy × bare | Happy CPU µs/req | Happy CPU × bare |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const [name, r] of Object.entries(http.variants)) {
      if (r.status !== 'ok') { out.push(`| ${name} | ${r.status} | | | | | | | |`); continue }
      const cell = (p) => p === undefined
        ? ['', '', '', '']
        : [fmtInt(p.medianRps) + warn(p), `${fix(p.medianRatio)} [${fix(p.minRatio)}–${fix(p.maxRatio)}]`, fix(p.medianCpuUsPerRequest, 1), fix(p.medianCpuRatio)]
      out.push(`| ${name} | ${cell(r.paths.error).join(' | ')} | ${cell(r.paths.happy).join(' | ')} |`)
    }
    out.push('', 'Variants:', '')
    for (const [name, r] of Object.entries(http.variants)) out.push(`- \`${name}\`: ${r.description}${r.status === 'ok' ? '' : ` — ${r.status}: ${r.reason}`}`)
    out.push('')
  } else if (http?.status) out.push('## HTTP', '', `${http.status}: ${http.reason}`, '')

  if (micro && !micro.status) {
    out.push('## Micro-benchmarks (tinybench)', '', 'Per call. Wall clock from tinybench (sub-microsecond functions timed in batches of 1000 calls); ' +
      'CPU = process CPU time per call over a loop, the figure the targets use, since a busy machine inflates wall time with other processes\' turns.', '')
    out.push('| Function | CPU | wall median | wall mean | wall p99 | calls/s (wall mean) |', '|---|---:|---:|---:|---:|---:|')
    for (const [name, m] of Object.entries(micro)) {
      if (m.status) { out.push(`| ${name} | ${m.status} | | | | |`); continue }
      out.push(`| ${name} | ${show(m.cpuNs, 'ns')} | ${show(m.p50Ns, 'ns')} | ${show(m.meanNs, 'ns')} | ${show(m.p99Ns, 'ns')} | ${fmtInt(m.opsPerSec)} |`)
    }
    out.push('')
  } else if (micro?.status) out.push('## Micro-benchmarks', '', `${micro.status}: ${micro.reason}`, '')

  if (memory && !memory.status) {
    out.push('## Memory', '')
    out.push(`${fmtInt(memory.events)} errors recorded through one \`createMetrics({ labels: { method: true, route: true } })\` across ` +
      `${fmtInt(memory.keys)} distinct code/route/path keys (half the codes outside its catalog). Measured after two full GCs.`, '')
    out.push('| Heap growth | RSS growth | Wall time per record() | Series exposed | /metrics size |', '|---:|---:|---:|---:|---:|')
    out.push(`| ${show(memory.heapGrowth, 'B')} | ${show(memory.rssGrowth, 'B')} | ${show(memory.nsPerRecord, 'ns')} | ${fmtInt(memory.exposedSeries)} | ${show(memory.expositionBytes, 'B')} |`, '')
  } else if (memory?.status) out.push('## Memory', '', `${memory.status}: ${memory.reason}`, '')
  return out.join('\n')
}

function warn (p) {
  const problems = []
  if (p.wrongStatus > 0) problems.push(`${p.wrongStatus} wrong status`)
  if (p.errors > 0) problems.push(`${p.errors} errors`)
  return problems.length ? ` ⚠ ${problems.join(', ')}` : ''
}

export function fix (n, digits = 2) { return n === null || n === undefined ? '–' : n.toFixed(digits) }
export function fmtInt (n) { return n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US') }

export function show (value, unit) {
  if (value === null || value === undefined) return '–'
  if (unit === '×') return value.toFixed(2) + '×'
  if (unit === 'B') {
    const abs = Math.abs(value)
    return abs >= 1024 * 1024 ? (value / 1024 / 1024).toFixed(1) + ' MiB' : abs >= 1024 ? (value / 1024).toFixed(1) + ' KiB' : value + ' B'
  }
  if (unit === 'ns') return value >= 1e6 ? (value / 1e6).toFixed(2) + ' ms' : value >= 1e3 ? (value / 1e3).toFixed(2) + ' µs' : value.toFixed(0) + ' ns'
  return String(value)
}

/** The results line saying where `--pin` put the measured processes and the load generator. */
export function pinningLine (p) {
  if (p === undefined) return '- Not pinned (no `--pin`): the scheduler puts the servers and the load generator on any CPU'
  return `- Pinned (\`--pin\`): servers, micro-benchmarks and memory run on CPU ${p.server}; the load generator on CPU ${p.harness ?? p.load}`
}

/** Rounds, load per measurement and server processes; results from before --servers had one process per variant. */
export function roundsText ({ rounds, requests, duration, servers = 1 }) {
  const load = requests === undefined ? `${duration} s` : `${requests} requests`
  const processes = servers === 1 ? 'one server process per variant' : `${servers} server processes per variant (round r on process r mod ${servers})`
  return `${rounds} rounds × ${load} per variant and path, on ${processes}`
}
