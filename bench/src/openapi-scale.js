#!/usr/bin/env node
// `pnpm bench:openapi`: how the OpenAPI document grows with the catalog. For each size, a fresh child
// process builds a catalog of N codes and 50 routes (each a POST with a body schema listing 10 codes),
// registers @fastify/swagger and @errcodes/fastify, and measures start-up (`ready()`), the first
// `app.swagger()` (what the first hit on /docs/json pays), the document's size and the heap after it.
// The `swagger-shared` variant registers one shared schema per code and format, as @errcodes did
// before: it shows the cost @fastify/swagger adds per shared schema (capped: it is quadratic).
import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { int } from './parse-options.js'
import { writeResults } from './write-results.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROUTES = 50
const PER_ROUTE = 10

if (process.argv[2] === '--child') {
  process.send(await measure(process.argv[3], Number(process.argv[4])))
  process.exit(0)
}

async function measure (variant, size) {
  const { default: Fastify } = await import('fastify')
  const { default: swagger } = await import('@fastify/swagger')
  const { Type, defineDomain, defineErrors, errorResponseSchema } = await import('@errcodes/core')
  const { default: errorCodes, errcodesRefResolver, errcodesTransformObject } = await import('@errcodes/fastify')
  const BENCH = defineDomain('BENCH', [1000, 9999])
  const definitions = {}
  for (let i = 0; i < size; i++) {
    definitions[`BENCH_ERROR_${i}`] = {
      code: 1000 + i,
      domain: BENCH,
      status: 400 + (i % 30),
      message: `Bench error ${i} for {itemId}`,
      params: Type.Object({ itemId: Type.String() }),
      ...(i % 3 === 0 ? { detail: Type.Object({ attempts: Type.Integer({ minimum: 1 }) }) } : {}),
      ...(i % 7 === 0 ? { retryAfter: 30 } : {})
    }
  }
  const catalog = defineErrors(definitions)
  const entries = catalog.list().filter(e => e.domain === 'BENCH')
  const app = Fastify()
  await app.register(swagger, {
    openapi: { info: { title: 'scale', version: '1.0.0' } },
    refResolver: errcodesRefResolver,
    ...(variant === 'errcodes' ? { transformObject: errcodesTransformObject } : {})
  })
  if (variant === 'errcodes') {
    await app.register(errorCodes, { catalog })
  } else {
    // The old way: one shared schema per code and format, named by $id.
    for (const entry of entries) {
      for (const format of ['json', 'problem']) app.addSchema({ ...errorResponseSchema(entry, format), $id: `${format === 'json' ? 'Error' : 'Problem'}.${entry.name}` })
    }
  }
  for (let r = 0; r < ROUTES; r++) {
    const listed = entries.slice((r * PER_ROUTE) % Math.max(1, entries.length - PER_ROUTE), (r * PER_ROUTE) % Math.max(1, entries.length - PER_ROUTE) + PER_ROUTE)
    app.post(`/items/${r}/:id`, {
      schema: { params: Type.Object({ id: Type.String() }), body: Type.Object({ name: Type.String() }), response: { 200: Type.Object({ ok: Type.Boolean() }) } },
      ...(variant === 'errcodes' ? { errors: listed } : {})
    }, async () => ({ ok: true }))
  }
  const timed = async (fn) => {
    const cpu = process.cpuUsage()
    const start = process.hrtime.bigint()
    const value = await fn()
    const wall = Number(process.hrtime.bigint() - start) / 1e6
    const used = process.cpuUsage(cpu)
    return { value, wallMs: wall, cpuMs: (used.user + used.system) / 1000 }
  }
  const ready = await timed(() => app.ready())
  const first = await timed(() => app.swagger())
  const text = JSON.stringify(first.value)
  const again = await timed(() => app.swagger())
  globalThis.gc?.()
  const heap = process.memoryUsage().heapUsed
  const doc = first.value
  await app.close()
  return {
    variant,
    size,
    routes: ROUTES,
    readyWallMs: ready.wallMs,
    readyCpuMs: ready.cpuMs,
    documentWallMs: first.wallMs,
    documentCpuMs: first.cpuMs,
    cachedDocumentMs: again.wallMs,
    bytes: Buffer.byteLength(text),
    components: Object.keys(doc.components?.schemas ?? {}).length,
    heapUsedMiB: heap / 1048576
  }
}

function child (variant, size) {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', variant, String(size)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    let result
    proc.on('message', (m) => { result = m })
    proc.on('error', reject)
    proc.on('exit', (code) => code === 0 && result !== undefined ? resolve(result) : reject(new Error(`${variant} ${size}: child exited with ${code}`)))
  })
}

const USAGE = 'usage: pnpm bench:openapi [-- --sizes a,b --legacy a,b|none --repeat N --out DIR]'

function parse (args) {
  const options = { sizes: [100, 1000, 5000], repeat: 3, legacy: [100, 500, 1000], out: path.join(here, '..', 'results') }
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]]
    if (!['--sizes', '--legacy', '--repeat', '--out'].includes(name)) throw new TypeError(`unknown option ${name}\n${USAGE}`)
    if (value === undefined || value.startsWith('--')) throw new TypeError(`option ${name} needs a value\n${USAGE}`)
    const list = () => value.split(',').map(n => int(name, n, 1, 100_000))
    if (name === '--sizes') options.sizes = list()
    else if (name === '--legacy') options.legacy = value === 'none' ? [] : list()
    else if (name === '--repeat') options.repeat = int(name, value, 1, 100)
    else options.out = path.resolve(value)
  }
  return options
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

async function main () {
  // `pnpm bench:openapi -- …` passes the `--` on.
  const args = process.argv.slice(2).filter(a => a !== '--')
  let options
  try {
    options = parse(args)
  } catch (err) {
    process.stderr.write(`openapi-scale: ${err.message}\n`)
    return 2
  }
  const meta = { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model?.trim(), cpus: os.cpus().length, loadBefore: os.loadavg(), command: `node bench/src/openapi-scale.js ${args.join(' ')}`.trim() }
  const rows = []
  for (const [variant, sizes] of [['errcodes', options.sizes], ['swagger-shared', options.legacy]]) {
    for (const size of sizes) {
      const runs = []
      for (let i = 0; i < (variant === 'errcodes' ? options.repeat : 1); i++) {
        process.stderr.write(`${variant} ${size} codes, run ${i + 1}\n`)
        runs.push(await child(variant, size))
      }
      rows.push({ variant, size, runs })
    }
  }
  meta.loadAfter = os.loadavg()
  const lines = [
    '# OpenAPI document at scale',
    '',
    `- Date: ${meta.date}; Node ${meta.node}; ${meta.cpu} × ${meta.cpus}; load average before / after: ${meta.loadBefore.map(n => n.toFixed(2)).join(' ')} / ${meta.loadAfter.map(n => n.toFixed(2)).join(' ')}`,
    `- Command: \`${meta.command}\` (a fresh process per measurement; ${ROUTES} POST routes with a body schema, ${PER_ROUTE} listed codes each)`,
    '- Times are the median over runs, [min–max] beside; CPU is the process CPU time of the step (less distorted by a busy machine than wall time).',
    '',
    '| Variant | Codes | ready() wall ms | First document wall ms | First document CPU ms | Size | Bytes per code | Heap after |',
    '|---|---|---|---|---|---|---|---|'
  ]
  for (const { variant, size, runs } of rows) {
    const pick = (k) => runs.map(r => r[k])
    const spread = (k) => runs.length > 1 ? ` [${fmt(Math.min(...pick(k)))}–${fmt(Math.max(...pick(k)))}]` : ''
    const bytes = median(pick('bytes'))
    lines.push(`| ${variant} | ${fmt(size)} | ${fmt(median(pick('readyWallMs')))}${spread('readyWallMs')} | ${fmt(median(pick('documentWallMs')))}${spread('documentWallMs')} | ${fmt(median(pick('documentCpuMs')))}${spread('documentCpuMs')} | ${fmt(bytes / 1024, 1)} KiB | ${fmt(bytes / size)} | ${fmt(median(pick('heapUsedMiB')), 1)} MiB |`)
  }
  lines.push('', '`swagger-shared` registers one shared schema per code and format, as @errcodes did before: @fastify/swagger (json-schema-resolver) rebuilds its map of all shared schemas for each of them, so its cost grows with the square of the catalog. `errcodes` hands swagger one carrier schema and unpacks the components in `errcodesTransformObject`.', '')
  await writeResults(path.join(options.out, 'openapi-scale.json'), { meta, rows }, lines.join('\n'))
  process.stdout.write(lines.join('\n') + '\n')
  return 0
}

main().then((code) => { process.exitCode = code }, (err) => { process.stderr.write(`${err.stack ?? err}\n`); process.exitCode = 1 })
