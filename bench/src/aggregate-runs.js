import { median } from './http-suite.js'
import { fix, fmtInt, pinningLine, roundsText, show } from './render-markdown.js'

/**
 * Summarises several invocations of the same suite (one Node version): for every target, variant and
 * micro-benchmark, each invocation's value (itself a median over that invocation's rounds), their
 * median and their [min–max]. The spread between invocations is what another run on this kind of
 * machine should expect; a single invocation's rounds understate it.
 */
export function aggregateRuns (runs, { command, seconds, options = runs[0].options }) {
  const first = runs[0].meta
  const spread = (values) => {
    const xs = values.filter(x => typeof x === 'number' && Number.isFinite(x))
    return { values, median: median(xs), min: xs.length ? Math.min(...xs) : null, max: xs.length ? Math.max(...xs) : null }
  }
  const targets = runs[0].targets.map((t, i) => {
    const each = runs.map(r => r.targets[i])
    return {
      name: t.name,
      op: t.op,
      limit: t.limit,
      unit: t.unit,
      value: spread(each.map(x => x?.value ?? null)),
      passes: each.filter(x => x?.status === 'pass').length,
      ...('cpuStatus' in t ? { cpuValue: spread(each.map(x => x?.cpuValue ?? null)), cpuPasses: each.filter(x => x?.cpuStatus === 'pass').length } : {})
    }
  })
  const variants = {}
  for (const name of Object.keys(runs[0].http?.variants ?? {})) {
    variants[name] = { description: runs[0].http.variants[name].description, paths: {} }
    for (const path of ['error', 'happy']) {
      const ps = runs.map(r => r.http?.variants?.[name]?.paths?.[path])
      variants[name].paths[path] = {
        rps: spread(ps.map(p => p?.medianRps ?? null)),
        ratio: spread(ps.map(p => p?.medianRatio ?? null)),
        cpuUsPerRequest: spread(ps.map(p => p?.medianCpuUsPerRequest ?? null)),
        cpuRatio: spread(ps.map(p => p?.medianCpuRatio ?? null)),
        wrongStatus: ps.reduce((n, p) => n + (p?.wrongStatus ?? 0), 0)
      }
    }
  }
  const micro = {}
  for (const name of Object.keys(runs[0].micro ?? {})) {
    if (runs[0].micro[name]?.cpuNs === undefined) continue
    micro[name] = spread(runs.map(r => r.micro?.[name]?.cpuNs ?? null))
  }
  const memory = runs[0].memory?.heapGrowth === undefined
    ? undefined
    : { heapGrowth: spread(runs.map(r => r.memory?.heapGrowth ?? null)), rssGrowth: spread(runs.map(r => r.memory?.rssGrowth ?? null)) }
  return {
    meta: {
      date: first.date,
      node: first.node,
      v8: first.v8,
      harnessNode: first.harnessNode,
      platform: first.platform,
      cpu: first.cpu,
      cpus: first.cpus,
      pinning: first.pinning,
      command,
      seconds,
      options,
      invocations: runs.map(r => ({ date: r.meta.date, loadBefore: r.meta.loadBefore, loadAfter: r.meta.loadAfter, seconds: r.meta.seconds }))
    },
    targets,
    variants,
    micro,
    memory
  }
}

/** The markdown of an aggregate: bench/results/node-<major>.md. */
export function renderAggregate (a) {
  const { meta } = a
  const o = meta.options
  const n = meta.invocations.length
  const loads = (l) => l?.map(x => x.toFixed(1)).join(' ') ?? '?'
  const out = ['# @errcodes benchmark results: Node ' + meta.node.replace(/^v/, ''), '']
  out.push(`- Date: ${meta.date} (${n} invocations, ${meta.seconds.toFixed(0)} s in all)`)
  out.push(`- Servers, micro-benchmarks, memory run: Node ${meta.node} (V8 ${meta.v8}); load generator: Node ${meta.harnessNode}`)
  out.push(`- Machine: ${meta.platform}; CPU: ${meta.cpu} × ${meta.cpus}`)
  out.push(pinningLine(meta.pinning))
  out.push(`- Command: \`${meta.command}\``)
  out.push(`- Each invocation: ${roundsText(o)}, ${o.connections} connections, logger ${o.logger ? 'pino → /dev/null' : 'off'}${o.smoke ? ', **smoke mode: numbers are meaningless**' : ''}`)
  out.push('- Load average (1, 5, 15 min) before → after each invocation: ' + meta.invocations.map((x, i) => `#${i + 1} ${loads(x.loadBefore)} → ${loads(x.loadAfter)}`).join('; '), '')
  out.push('Every value is one invocation\'s median over its rounds (per process pair first, with several server processes per variant); the tables show the median of the invocations and their [min–max]. ' +
    'The spread between invocations is what a repeat of the command on this kind of machine should expect.', '')

  out.push('## Targets', '')
  out.push('| Target | Limit | Median [min–max] | Passes | CPU-based median [min–max] | Passes (CPU) |', '|---|---|---|---|---|---|')
  for (const t of a.targets) {
    const cpu = t.cpuValue === undefined ? ['', ''] : [range(t.cpuValue, t.unit), t.cpuValue.median === null ? 'n/a' : `${t.cpuPasses}/${n}`]
    out.push(`| ${t.name} | ${t.op} ${show(t.limit, t.unit)} | ${range(t.value, t.unit)} | ${t.value.median === null ? 'n/a' : `${t.passes}/${n}`} | ${cpu.join(' | ')} |`)
  }
  out.push('')

  if (Object.keys(a.variants).length > 0) {
    out.push('## HTTP: ratio to bare Fastify from the same round', '')
    out.push('| Variant | Error × bare | Error CPU µs/req | Error CPU × bare | Happy × bare | Happy CPU µs/req | Happy CPU × bare |', '|---|---:|---:|---:|---:|---:|---:|')
    for (const [name, v] of Object.entries(a.variants)) {
      const cells = (p) => [range(p.ratio, '×'), range(p.cpuUsPerRequest, 'µs'), range(p.cpuRatio, '×')].join(' | ') + (p.wrongStatus > 0 ? ` ⚠ ${p.wrongStatus} wrong status` : '')
      out.push(`| ${name} | ${cells(v.paths.error)} | ${cells(v.paths.happy)} |`)
    }
    out.push('', 'Bare Fastify\'s req/s per invocation (error / happy): ' + a.variants.bare?.paths.error.rps.values.map((x, i) => `${fmtInt(x)} / ${fmtInt(a.variants.bare.paths.happy.rps.values[i])}`).join('; '), '')
  }
  if (Object.keys(a.micro).length > 0) {
    out.push('## Micro-benchmarks (CPU time per call)', '', '| Function | Median [min–max] |', '|---|---:|')
    for (const [name, s] of Object.entries(a.micro)) out.push(`| ${name} | ${range(s, 'ns')} |`)
    out.push('')
  }
  if (a.memory !== undefined) {
    out.push('## Memory', '', `${fmtInt(o.memoryEvents)} errors over ${fmtInt(o.memoryKeys)} keys through one recorder, after two full GCs.`, '')
    out.push('| Heap growth | RSS growth |', '|---:|---:|', `| ${range(a.memory.heapGrowth, 'B')} | ${range(a.memory.rssGrowth, 'B')} |`, '')
  }
  return out.join('\n')
}

function range (s, unit) {
  if (s.median === null) return '–'
  const one = (x) => unit === 'µs' ? fix(x, 1) : show(x, unit)
  return `${one(s.median)} [${one(s.min)}–${one(s.max)}]`
}
