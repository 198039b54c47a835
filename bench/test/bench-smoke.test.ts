import t from 'tap'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
const VARIANTS = ['bare', 'bare-ticks-kept', 'fhee', 'sensible', 'errcodes-core', 'errcodes-i18n', 'errcodes-metrics', 'errcodes-tracing', 'errcodes-tracing-sampled', 'errcodes-tracing-no-cm', 'errcodes-null-tracer', 'errcodes-metrics-tracing', 'errcodes-metrics-tracing-no-routes', 'errcodes-metrics-tracing-no-cm', 'errcodes-all', 'errcodes-all-stacks', 'errcodes-all-tracing', 'errcodes-all-tracing-no-routes', 'fastify-otel', 'otel-span-floor', 'otel-span-floor-cm', 'otel-semconv-floor']

// The whole harness at smoke size: every stage and variant runs and the outputs are written.
// The numbers are not checked; speed is reported by `pnpm bench`, never asserted.
t.setTimeout(300_000)

t.test('pnpm bench --smoke runs every stage and writes latest.md and latest.json', async t => {
  const out = t.testdir({})
  const child = spawn(process.execPath, [run, '--smoke', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const kill = setTimeout(() => child.kill('SIGKILL'), 280_000)
  t.teardown(async () => {
    clearTimeout(kill)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  let stderr = ''
  let stdout = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  const code = await exited
  t.equal(code, 0, `harness exits 0 (stderr: ${stderr.slice(-2000)})`)

  const markdown = await readFile(join(out, 'latest.md'), 'utf8')
  t.equal(stdout.trim(), markdown.trim(), 'the markdown is printed and written')
  const result = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8'))

  t.match(result.meta, { node: process.version, cpu: String, cpus: Number, command: /run\.js --smoke --out / }, 'environment and the exact command are recorded')
  t.equal(result.options.smoke, true)

  t.same(Object.keys(result.http.variants), VARIANTS, 'every variant is measured, bare first')
  for (const name of VARIANTS) {
    const v = result.http.variants[name]
    t.equal(v.status, 'ok', `${name} started (${v.reason ?? ''})`)
    t.equal(v.paths.error.sample.status, 404, `${name} answers the error path with 404`)
    t.equal(v.paths.happy.sample.status, 200, `${name} answers the happy path with 200`)
    for (const path of ['error', 'happy']) {
      t.equal(v.paths[path].rounds.length, 2, `${name} ${path}: one measurement per round`)
      t.equal(v.paths[path].wrongStatus, 0, `${name} ${path}: every load response had the expected status`)
      t.type(v.paths[path].medianRatio, 'number', `${name} ${path}: ratio to bare computed`)
      t.type(v.paths[path].medianCpuUsPerRequest, 'number', `${name} ${path}: server CPU per request measured`)
    }
  }
  t.equal(result.http.variants.bare.paths.error.medianRatio, 1, 'bare is its own baseline')
  t.match(result.http.variants['errcodes-i18n'].paths.error.sample.headers, { 'content-language': 'ko' }, 'the i18n variant really answers in Korean')

  const micro = ['metrics record()', 'metrics record() traced', 'i18n translate() cached', 'i18n translate() cached, cache full', 'i18n negotiate() cached',
    'i18n negotiate() cached, cache full', 'i18n negotiate() hostile 16 KiB, many ranges',
    'i18n negotiate() hostile 16 KiB, one token', 'core create() 404, no stack (production policy)', 'core create() 404, with stack (stackTraces: all)', 'core create() params and detail checked', 'core create() params checked, detail without schema', 'core create() no schemas (nothing checked)', 'core redact() 20 fields', 'core normalizeError() AppError', 'core normalizeError() foreign Error',
    'core formatError() json', 'core formatError() problem']
  t.same(Object.keys(result.micro).sort(), [...micro].sort(), 'every micro-benchmark ran')
  for (const name of micro) t.match(result.micro[name], { p50Ns: Number, cpuNs: Number }, `${name} has a median and a CPU time`)

  t.match(result.memory, { events: 20_000, keys: 2_000, heapGrowth: Number, rssGrowth: Number }, 'the memory run reports growth')

  t.equal(result.targets.length, 21, 'every target is evaluated')
  for (const target of result.targets) t.not(target.status, 'n/a', `${target.name} has a measurement`)
  t.match(markdown, /\| Variant \| Error req\/s \| Error × bare \| Error CPU µs\/req \| Error CPU × bare \| Happy req\/s \| Happy × bare \|/, 'the ratio table is in the markdown')
  t.match(markdown, /## Targets/)
  t.match(markdown, /smoke mode/, 'a smoke result says its numbers mean nothing')
})
