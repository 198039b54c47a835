// `node bench/src/sentry-cost.js`: CPU per failed request (a handler crash, 500) with Sentry reporting
// off, on for every event, and with the default volume control, each variant in its own process.
// The Sentry endpoint runs in another process, so only the server's own work is measured: building
// the event (stack parsing, scrubbing) and handing it to the SDK's transport.
// Options: --requests N (2000), --runs N (3, each variant in a new process per run), --only a,b (variants;
// the `logged-*` pair, with a pino logger, only when named), --metrics <module> (another build of
// @errcodes/metrics, e.g. a copy of an older dist, for a before/after comparison). Results and how to read
// them: bench/results/sentry-cost.md.
import { fork } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'

const VARIANTS = {
  'no-sentry': null,
  'sentry-every-event': { rateLimit: false },
  'sentry-sampled-0.1': { rateLimit: false, sampleRate: 0.1 },
  'sentry-default-cap': {},
  // With a logger (the error handler logs each 5xx with its masked stack), as a deployed service runs.
  'logged-no-sentry': null,
  'logged-default-cap': {}
}

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]
}

if (args[0] === '--child') await child(args[1], args[2], option('--metrics', '@errcodes/metrics'), Number(option('--requests', 2000)))
else if (args[0] === '--sink') sinkChild()
else await parent()

async function parent () {
  const requests = Number(option('--requests', 2000))
  const runs = Number(option('--runs', 3))
  const metrics = option('--metrics', '@errcodes/metrics')
  const only = option('--only', Object.keys(VARIANTS).filter(name => !name.startsWith('logged-')).join(',')).split(',')
  const sink = await startSink()
  const dsn = `http://public@127.0.0.1:${sink.port}/1`
  const results = {}
  for (let run = 0; run < runs; run++) {
    for (const name of only) {
      const sentBefore = await sink.count()
      const r = await new Promise((resolve, reject) => {
        const proc = fork(fileURLToPath(import.meta.url), ['--child', name, dsn, '--metrics', metrics, '--requests', String(requests)])
        proc.on('message', resolve)
        proc.on('exit', code => { if (code !== 0) reject(new Error(`${name} exited with ${code}`)) })
      })
      r.sent = (await sink.count()) - sentBefore
      ;(results[name] ??= []).push(r)
    }
  }
  sink.close()
  const baseOf = (name) => results[name.startsWith('logged-') ? 'logged-no-sentry' : 'no-sentry']?.map(r => r.cpuPerRequest)
  const line = (name, list) => {
    const base = baseOf(name)
    const cpu = list.map(r => r.cpuPerRequest)
    const extra = base === undefined ? ' | –' : ` | +${fmt(median(cpu) - median(base))} µs`
    const reported = median(list.map(r => r.reported))
    const sent = median(list.map(r => r.sent))
    const perEvent = base === undefined || reported === 0 ? ' | – |' : ` | ${fmt((median(cpu) - median(base)) * requests / reported)} µs |`
    return `| ${name} | ${fmt(median(cpu))} µs (${fmt(Math.min(...cpu))}–${fmt(Math.max(...cpu))}) | ${reported} / ${sent}${extra}${perEvent}`
  }
  console.log(`Node ${process.version}, ${requests} requests per run, ${runs} runs, median (min–max) CPU per failed request`)
  console.log('| variant | CPU per 5xx | events handed to the SDK / envelopes received | over no-sentry | per handed event |')
  console.log('|---|---|---|---|---|')
  for (const [name, list] of Object.entries(results)) console.log(line(name, list))
}

async function child (name, dsn, metricsPath, requests) {
  const { default: Fastify } = await import('fastify')
  const { default: errorCodes } = await import('@errcodes/fastify')
  const { createMetrics } = await import(metricsPath)
  const sentry = VARIANTS[name] ?? (name === 'before' ? {} : null)
  const metrics = createMetrics(sentry === null ? {} : { sentry: { dsn, ...sentry } })
  // A logger that formats every line (JSON to /dev/null), so the cost of logging is in the measure.
  const app = Fastify(name.startsWith('logged-') ? { logger: { level: 'info', stream: createWriteStream('/dev/null') } } : {})
  await app.register(errorCodes, { metrics })
  // A new error from a few frames deep each time, as a real crash would be.
  const deep = (n) => { if (n === 0) throw new TypeError('cannot read x of undefined'); return deep(n - 1) }
  app.get('/crash', async () => deep(8))
  await app.ready()
  for (let i = 0; i < 300; i++) await app.inject('/crash')
  await metrics.flush?.(10_000)
  const reportedBefore = metrics.sentryStats?.reported ?? 0
  const start = process.cpuUsage()
  for (let i = 0; i < requests; i++) await app.inject('/crash')
  // The SDK's own work after record() (serializing, sending) belongs to the measurement.
  await metrics.flush?.(30_000)
  const used = process.cpuUsage(start)
  const reported = metrics.sentryStats === undefined ? (sentry === null ? 0 : requests) : metrics.sentryStats.reported - reportedBefore
  process.send({ cpuPerRequest: (used.user + used.system) / requests, reported })
  await metrics.close?.(1000)
  await app.close()
  process.exit(0)
}

function startSink () {
  return new Promise(resolve => {
    const proc = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: 'inherit' })
    const waiting = []
    proc.on('message', m => {
      if (m.type === 'count') waiting.shift()?.(m.count)
      else resolve({ port: m.port, close: () => proc.kill(), count: () => new Promise(resolve => { waiting.push(resolve); proc.send({ type: 'count' }) }) })
    })
  })
}

function sinkChild () {
  let count = 0
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { count++; res.end('{}') }) })
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }))
  process.on('message', m => { if (m?.type === 'count') process.send({ type: 'count', count }) })
  process.on('disconnect', () => process.exit(0))
}

function median (list) {
  const s = [...list].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function fmt (n) {
  return n.toFixed(1)
}
