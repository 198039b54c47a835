import t from 'tap'
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { defineErrors } from '@errcodes/core'
import { createMetrics } from '../src/create-metrics.js'
import { dashboardHtml } from '../src/dashboard-page.js'
import { serve } from './fixtures/serve.js'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

const errors = defineErrors({
  USER_NOT_FOUND: { code: 301, domain: 'RESOURCE', status: 404, message: 'User not found' },
  DB_DOWN: { code: 501, domain: 'SERVER', status: 503, message: 'Database down' }
})

t.test('the page is self-contained: no external URL, a CSP pinning its inline code', async t => {
  const html = dashboardHtml({ bucketSeconds: 60 })
  t.notMatch(html, /(?:src|href)=["']?https?:/i, 'no external script or stylesheet')
  t.notMatch(html, /innerHTML|insertAdjacentHTML|document\.write/, 'never parses data as HTML')
  t.match(html, /script-src 'sha256-[A-Za-z0-9+/=]+'/)
  t.match(html, /connect-src 'self'/)
})

t.test('in headless Chromium the dashboard loads, draws the chart and shows a fresh error, escaped', async t => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.ERRCODES_REQUIRE_TOOLS === '1') throw new Error(`${CHROMIUM} is missing and ERRCODES_REQUIRE_TOOLS=1`)
    return t.skip(`${CHROMIUM} is not installed (Debian package: chromium)`)
  }
  const metrics = createMetrics({ catalog: errors, bucketSeconds: 24 })
  for (let i = 0; i < 4; i++) metrics.record({ error: errors.USER_NOT_FOUND.create(), status: 404, method: 'GET', route: '/users/:id', path: `/users/${i}`, timestamp: Date.now() })
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, method: 'POST', route: '/orders', path: '/orders', timestamp: Date.now() })
  const external: string[] = []
  const { server, base } = await serve(metrics, {}, url => external.push(url))
  t.teardown(() => server.close())

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('pageerror', e => problems.push(`pageerror: ${e.message}`))
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('dialog', d => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}) })
  const outside: string[] = []
  page.on('request', r => { if (!r.url().startsWith(base)) outside.push(r.url()) })

  const res = await page.goto(`${base}/api/metrics/dashboard`)
  t.equal(res?.status(), 200)
  await page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 1, undefined, { timeout: 15_000 })
  t.equal(await page.textContent('#total'), '5')
  t.equal(await page.textContent('#view'), 'this instance', 'the page says which view it shows')
  t.equal(await page.isVisible('#notice'), false, 'no notice without a fleet option')
  t.match(await page.textContent('#status'), /^data read \d/)
  t.match(await page.textContent('#top'), /USER_NOT_FOUND/)
  t.match(await page.textContent('#legend'), /DB_DOWN/)

  const chart = await page.evaluate(() => {
    const canvas = document.getElementById('chart') as HTMLCanvasElement
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray()
    let coloured = 0
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) coloured++
    return { bars: Number(canvas.dataset.bars), coloured, width: canvas.width }
  })
  t.ok(chart.width > 0)
  t.ok(chart.bars >= 2, `bars drawn: ${chart.bars}`)
  t.ok(chart.coloured > 500, `painted pixels: ${chart.coloured}`)

  // An error produced now, with an attacker-controlled path and message, shows up on the next refresh.
  const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
  metrics.record({ error: errors.DB_DOWN.create(), status: 503, method: 'GET', path: `/x/${hostile}`, message: `boom ${hostile} jane@example.com`, requestId: 'req-fresh-1', timestamp: Date.now() })
  await page.waitForFunction(() => (document.getElementById('recent')?.textContent ?? '').includes('req-fresh-1'), undefined, { timeout: 15_000 })
  const firstRow = await page.$$eval('#recent tr:first-child td', tds => tds.map(td => td.textContent))
  t.ok(firstRow.includes('DB_DOWN'))
  t.ok(firstRow.some(text => text?.includes('<script>alert(2)</script>')), 'hostile text is shown as text')
  t.notOk(firstRow.some(text => text?.includes('jane@example.com')), 'emails are masked')
  t.equal(await page.$$eval('#recent img, #recent script', els => els.length), 0, 'no element was created from data')
  t.equal(await page.textContent('#total'), '6')

  t.same(problems, [], 'no script errors, dialogs or CSP violations')
  t.same(outside, [], 'no request leaves the service')
  t.same(external, [], 'every request hit a metrics route')
})
