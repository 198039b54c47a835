/// <reference lib="dom" />
// The page callbacks run in Chromium, hence the DOM types.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { chromium, type Browser } from 'playwright-core'
import { spawnCli } from './fixtures/spawn-cli.js'

const CHROMIUM = '/usr/bin/chromium'
const NAMES = ['USER_NOT_FOUND', 'LEGACY_LOOKUP_FAILED', 'EMAIL_TAKEN', 'LEDGER_UNAVAILABLE', 'CARD_DECLINED']

if (!existsSync(CHROMIUM)) {
  if (process.env.ERRCODES_REQUIRE_TOOLS === '1') t.fail(`${CHROMIUM} is missing and ERRCODES_REQUIRE_TOOLS=1`)
  else t.plan(0, `${CHROMIUM} is not installed: the generated HTML is not checked in a browser`)
} else {
  const dir = t.testdir({})
  const file = join(dir, 'errors.html')
  const pageUrl = pathToFileURL(file).href
  // The page's own URL plus '#': every problem `type` URI then points at its entry on this page.
  const run = await spawnCli(['docs', 'catalog.mjs', '--format', 'html', '--locales', 'locales', '--out', file, '--type-base-url', pageUrl + '#'])
  t.equal(run.code, 0, run.stderr)

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 900, height: 500 } })
  const requests: string[] = []
  page.on('request', r => { requests.push(r.url()) })
  const consoleErrors: string[] = []
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()) })

  t.test('one entry per code, each with its anchor, and a table of contents that links to it', async t => {
    await page.goto(pageUrl)
    t.same(await page.$$eval('article.entry', els => els.map(e => e.id)), NAMES)
    for (const name of NAMES) {
      t.equal(await page.locator(`[id="${name}"]`).count(), 1, `exactly one element with id ${name}`)
      t.equal(await page.locator(`nav a[href="#${name}"]`).count(), 1, `the contents link to ${name}`)
    }
    const tocTargets = await page.$$eval('nav a', links => links.map(a => (a as HTMLAnchorElement).hash.slice(1)))
    for (const id of tocTargets) t.equal(await page.locator(`[id="${id}"]`).count(), 1, `contents target #${id} exists`)
    t.same(await page.$$eval('section.domain > h2', hs => hs.map(h => h.firstChild?.textContent?.trim())), ['RESOURCE', 'VALIDATION', 'SERVER', 'PAYMENT'])
  })

  t.test('navigating to #NAME scrolls to that entry', async t => {
    for (const name of ['CARD_DECLINED', 'EMAIL_TAKEN', 'USER_NOT_FOUND']) {
      await page.goto(`${pageUrl}#${name}`)
      const box = await page.locator(`[id="${name}"]`).evaluate(el => {
        const r = el.getBoundingClientRect()
        return { top: r.top, scrollY: window.scrollY, target: document.querySelector(':target')?.id }
      })
      t.equal(box.target, name, `${name} is the :target`)
      t.ok(box.top >= 0 && box.top < 20, `${name} is at the top of the viewport (top=${box.top})`)
    }
    const last = await page.evaluate(() => window.scrollY)
    await page.goto(`${pageUrl}#CARD_DECLINED`)
    t.ok(await page.evaluate(() => window.scrollY) > last, 'the last entry is further down than the first')
  })

  t.test('a problem type URI from the page lands on its entry', async t => {
    await page.goto(pageUrl)
    const example = await page.locator('[id="EMAIL_TAKEN"] figure:nth-of-type(2) code').textContent()
    const type = JSON.parse(example ?? '{}').type as string
    t.equal(type, `${pageUrl}#EMAIL_TAKEN`)
    await page.goto(type)
    t.equal(await page.evaluate(() => document.querySelector(':target')?.id), 'EMAIL_TAKEN')
  })

  t.test('text is escaped, nothing runs, nothing is fetched', async t => {
    await page.goto(pageUrl)
    t.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'the <script> in a description did not run')
    t.match(await page.locator('[id="EMAIL_TAKEN"] .description').textContent(), '<script>window.__pwned = 1</script> & "quotes"')
    t.equal(await page.locator('[id="EMAIL_TAKEN"] td[lang="ko"]').textContent(), '이메일 {email}은(는) 이미 등록되어 있습니다 <b>')
    t.equal(await page.locator('script, link, img, iframe').count(), 0)
    t.same(requests.filter(u => !u.startsWith('file:')), [], 'no request leaves the page')
    t.same(consoleErrors, [], 'no CSP violation or other console error')
    const styled = await page.locator('[id="EMAIL_TAKEN"]').evaluate(el => getComputedStyle(el).borderTopStyle)
    t.equal(styled, 'solid', 'the inline stylesheet applies')
  })
}
