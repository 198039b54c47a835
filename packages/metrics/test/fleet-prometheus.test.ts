import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { findTool } from './fixtures/tools.js'
import { freePort, startNode, until, type Started } from './fixtures/processes.js'

// Two instances of a service (fleet-app.mjs) and one Node cluster host (cluster-app.mjs, two workers
// summed by AggregatorRegistry) scraped every second by a real Prometheus; instance A answers the
// dashboard for the fleet. Prometheus is then stopped and A falls back to its own view.

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
const fleetApp = fileURLToPath(new URL('./fixtures/fleet-app.mjs', import.meta.url))
const clusterApp = fileURLToPath(new URL('./fixtures/cluster-app.mjs', import.meta.url))
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const JOB = 'errcodes-fleet'
const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736'
const TRACE_B = '0af7651916cd43dd8448eb211c80319c'

interface View { source: string, label: string, instances: number, read_at: string, notice: string | null }
interface Summary { total_errors: number, totals_window_seconds: number | null, bucket_seconds: number, name_counts: Record<string, number>, status_counts: Record<string, number>, buckets: Array<{ total: number, counts: Record<string, number> }>, view: View }

async function getJson<T> (url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return await res.json() as T
}

async function fail (port: number, name: string, times: number, trace?: string): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/fail/${name}${trace === undefined ? '' : `?trace=${trace}`}`)
    await res.arrayBuffer()
    if (res.status < 400) throw new Error(`/fail/${name} answered ${res.status}`)
  }
}

t.test('two instances and a cluster host behind one Prometheus: one combined dashboard, exemplars, and a fallback when Prometheus stops', async t => {
  const prometheus = findTool('prometheus', ['/usr/bin/prometheus'])
  if (prometheus === undefined) { t.skip('prometheus missing'); return }
  const haveChromium = existsSync(CHROMIUM)
  if (!haveChromium) {
    if (process.env.ERRCODES_REQUIRE_TOOLS === '1') throw new Error(`${CHROMIUM} is missing and ERRCODES_REQUIRE_TOOLS=1`)
    console.log(`# skipping the page checks: ${CHROMIUM} is not installed (Debian package: chromium)`)
  }
  // The examples are the plain JavaScript a user would run, so they import the built package.
  if (!existsSync(dist)) throw new Error('packages/metrics/dist is missing: run `pnpm run build` first')

  const promPort = await freePort()
  const promUrl = `http://127.0.0.1:${promPort}`
  const started: Started[] = []
  t.teardown(async () => { for (const s of started) await s.stop() })
  const a = await startNode(fleetApp, { FLEET_URL: promUrl, FLEET_RETRY_MS: '500' })
  started.push(a)
  const b = await startNode(fleetApp)
  started.push(b)
  const cluster = await startNode(clusterApp, { LIFETIME_MS: '120000' })
  started.push(cluster)

  // Errors before the first scrape: their series are born with a count above zero.
  await fail(a.port, 'USER_NOT_FOUND', 3)
  await fail(b.port, 'DB_DOWN', 2, TRACE_B)

  const tmp = mkdtempSync(join(tmpdir(), 'errcodes-prometheus-'))
  const targets = [a.port, b.port, cluster.port].map(p => `'127.0.0.1:${p}'`).join(', ')
  writeFileSync(join(tmp, 'prometheus.yml'), `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: ${JOB}
    static_configs:
      - targets: [${targets}]
`)
  const server = spawn(prometheus, [
    `--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`, '--enable-feature=exemplar-storage', '--log.level=warn'
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  let promLog = ''
  server.stderr.on('data', (c: Buffer) => { promLog += c.toString() })
  const promExited = new Promise<number | null>(resolve => server.on('exit', code => resolve(code)))
  const stopPrometheus = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM')
    await promExited
  }
  // Prometheus writes into tmp until it exits, so the folder goes after it.
  t.teardown(async () => { await stopPrometheus(); rmSync(tmp, { recursive: true, force: true }) })

  await until('Prometheus ready', async () => (await fetch(`${promUrl}/-/ready`)).ok ? true : undefined)
  const health = await until('three healthy targets', async () => {
    const body = await getJson<{ data: { activeTargets: Array<{ health: string, lastError: string, scrapeUrl: string }> } }>(`${promUrl}/api/v1/targets`)
    const active = body.data.activeTargets
    if (active.length !== 3 || active.some(x => x.health !== 'up')) throw new Error(JSON.stringify(active))
    return active
  })
  t.same(health.map(x => x.lastError), ['', '', ''], 'every scrape, OpenMetrics text included, parsed')

  // Errors after scrapes began: growth of existing series, and a traced error.
  await fail(a.port, 'USER_NOT_FOUND', 1, TRACE_A)
  await fail(a.port, 'DB_DOWN', 1)
  await fail(b.port, 'USER_NOT_FOUND', 2)
  // A: 4 USER_NOT_FOUND + 1 DB_DOWN; B: 2 + 2; cluster: 3 + 4 USER_NOT_FOUND and 1 DB_DOWN over two workers.
  const expected = { USER_NOT_FOUND: 4 + 2 + 7, DB_DOWN: 1 + 2 + 1 }
  const total = expected.USER_NOT_FOUND + expected.DB_DOWN

  const base = `http://127.0.0.1:${a.port}`
  const summary = await until('the fleet summary to count every instance', async () => {
    const s = await getJson<Summary>(`${base}/api/metrics/summary`)
    if (s.view.source !== 'fleet' || s.total_errors !== total || s.view.instances !== 3) throw new Error(JSON.stringify({ view: s.view, total: s.total_errors, names: s.name_counts }))
    return s
  })
  t.equal(summary.view.label, 'fleet: 3 instances')
  t.equal(summary.view.notice, null)
  t.ok(Math.abs(Date.parse(summary.view.read_at) - Date.now()) < 60_000, 'read_at is the time of the reading')
  t.same(summary.name_counts, expected, 'totals are the sum of the instances (the cluster host counts both workers)')
  t.equal(summary.totals_window_seconds, summary.bucket_seconds * summary.buckets.length, 'the totals cover the chart\'s window')
  t.same(summary.status_counts, { 404: expected.USER_NOT_FOUND, 503: expected.DB_DOWN })
  const chartTotals: Record<string, number> = {}
  for (const bucket of summary.buckets) for (const [name, n] of Object.entries(bucket.counts)) chartTotals[name] = (chartTotals[name] ?? 0) + n
  t.same(chartTotals, expected, 'the chart counts every error of every instance once')

  const local = await getJson<Summary>(`http://127.0.0.1:${b.port}/api/metrics/summary`)
  t.equal(local.view.label, 'this instance', 'an instance without the fleet option shows itself')
  t.same(local.name_counts, { USER_NOT_FOUND: 2, DB_DOWN: 2 })

  const top = await getJson<{ errors: Array<{ error_name: string, error_code: number, count: number }>, view: View }>(`${base}/api/metrics/top-errors`)
  t.equal(top.view.source, 'fleet')
  t.same(top.errors.map(e => [e.error_code, e.error_name, e.count]), [[301, 'USER_NOT_FOUND', 13], [501, 'DB_DOWN', 4]])
  const byCode = await getJson<{ count: number, status_counts: Record<string, number>, recent: Array<{ trace_id: string | null }>, view: View }>(`${base}/api/metrics/by-code/501`)
  t.equal(byCode.count, 4)
  t.equal(byCode.view.label, 'fleet: 3 instances')
  t.equal(byCode.recent.length, 1, 'recent events are those of the instance that answered')
  const recent = await getJson<{ count: number, view: View }>(`${base}/api/metrics/recent`)
  t.equal(recent.count, 5)
  t.equal(recent.view.label, 'this instance', 'recent events say they are per instance')

  // Exemplars: the OpenMetrics text of A carries the traced error's id, and Prometheus stored it.
  const om = await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })
  t.match(om.headers.get('content-type'), /^application\/openmetrics-text/)
  t.match(await om.text(), new RegExp(`^errcodes_errors_total\\{[^}]*error_name="USER_NOT_FOUND"[^}]*\\} \\d+ # \\{trace_id="${TRACE_A}"\\} 1 \\d+(?:\\.\\d+)?$`, 'm'))
  const stored = await until('Prometheus to store both exemplars', async () => {
    const now = Date.now() / 1000
    const body = await getJson<{ status: string, data: Array<{ seriesLabels: Record<string, string>, exemplars: Array<{ labels: Record<string, string>, value: string }> }> }>(
      `${promUrl}/api/v1/query_exemplars?${new URLSearchParams({ query: `errcodes_errors_total{job="${JOB}"}`, start: String(now - 600), end: String(now + 60) }).toString()}`)
    const ids = body.data.flatMap(s => s.exemplars.map(e => `${s.seriesLabels.error_name}:${e.labels.trace_id}`))
    if (!ids.includes(`USER_NOT_FOUND:${TRACE_A}`) || !ids.includes(`DB_DOWN:${TRACE_B}`)) throw new Error(JSON.stringify(body))
    return ids
  })
  t.ok(stored.every(id => /:[0-9a-f]{32}$/.test(id)), `exemplars: ${stored.join(', ')}`)

  const browser = haveChromium ? await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 }) : undefined
  t.teardown(() => browser?.close())
  const page = await browser?.newPage()
  const problems: string[] = []
  page?.on('pageerror', e => problems.push(`pageerror: ${e.message}`))
  if (page !== undefined) {
    await page.goto(`${base}/api/metrics/dashboard`)
    await page.waitForFunction(() => document.body.dataset.view === 'fleet', undefined, { timeout: 20_000 })
    t.equal(await page.textContent('#view'), 'fleet: 3 instances')
    t.equal(await page.textContent('#total'), String(total))
    t.match(await page.textContent('#total-window'), /^in the last \d+ (?:h|min|s)$/, 'the page says the totals cover the chart\'s window')
    t.equal(await page.isVisible('#notice'), false, 'no notice while Prometheus answers')
    t.match(await page.textContent('#legend'), `USER_NOT_FOUND (${expected.USER_NOT_FOUND})`)
    t.match(await page.textContent('#legend'), `DB_DOWN (${expected.DB_DOWN})`)
    t.ok(Number(await page.$eval('#chart', c => (c as HTMLCanvasElement).dataset.bars)) >= 2, 'the combined chart has bars')
    t.match(await page.textContent('#recent-card h2'), /this instance/)
  }

  // Pull the plug: the API and the page fall back to A's own counts, with a notice, and A logs once.
  // A loaded machine may have had a slow query before this point: only the outage's lines count.
  const logBefore = a.stderr().length
  await stopPrometheus()
  const fallback = await until('the local view with a notice', async () => {
    const s = await getJson<Summary>(`${base}/api/metrics/summary`)
    if (s.view.source !== 'instance') throw new Error(JSON.stringify(s.view))
    return s
  })
  t.equal(fallback.view.label, 'this instance')
  t.match(fallback.view.notice, /^Prometheus unavailable since .*\(unreachable \(ECONNREFUSED\)\): showing this instance only; next try after /)
  t.same(fallback.name_counts, { USER_NOT_FOUND: 4, DB_DOWN: 1 })
  const topDown = await getJson<{ view: View }>(`${base}/api/metrics/top-errors`)
  t.match(topDown.view.notice, /Prometheus unavailable/)
  if (page !== undefined) {
    await page.waitForFunction(() => document.body.dataset.view === 'instance', undefined, { timeout: 20_000 })
    t.equal(await page.textContent('#view'), 'this instance')
    t.equal(await page.isVisible('#notice'), true)
    t.match(await page.textContent('#notice'), /Prometheus unavailable/)
    t.equal(await page.textContent('#total'), '5')
    t.equal(await page.textContent('#total-window'), 'recorded since start')
  }
  // Several more reads, retries among them (retry is 500 ms), and still one log line for the outage.
  await until('a retry to fail again', async () => {
    const s = await getJson<Summary>(`${base}/api/metrics/summary`)
    const next = /next try after (\S+)$/.exec(s.view.notice ?? '')?.[1]
    return next !== undefined && Date.parse(next) - Date.parse(fallback.view.notice?.match(/next try after (\S+)$/)?.[1] ?? '') >= 500 ? true : undefined
  })
  const lines = a.stderr().slice(logBefore).split('\n').filter(l => l.includes('Prometheus at'))
  t.equal(lines.length, 1, lines.join('\n'))
  t.match(lines[0], /failed \(unreachable \(ECONNREFUSED\)\); the dashboard shows this instance only/)
  t.same(problems, [], 'no script errors on the page')
  t.notMatch(promLog, /level=error/, 'Prometheus logged no error')
})
