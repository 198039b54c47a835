import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

// Findings 3, 7 and 8 of the security review: the documented guards failed open when the token
// variable was unset, the demo served its ops routes unguarded, and a guarded dashboard could not be
// opened in a browser. These tests run what users copy: the snippets of SECURITY.md and the fastify
// README, and the demo's own server.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TOKEN = 'hardening-ops-token-0123456789'
const CHALLENGE = /Basic realm="[^"]+"/
const basic = (password: string): string => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`

/** The first fenced code block after `heading` in a Markdown file. */
function snippetAfter (file: string, heading: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const at = text.indexOf(heading)
  if (at === -1) throw new Error(`${file}: no heading "${heading}"`)
  const block = /```(?:js|ts)\n([\s\S]*?)```/.exec(text.slice(at))
  if (block === null) throw new Error(`${file}: no code block after "${heading}"`)
  return block[1]
}

/** A runnable module: the snippet with its imports resolved, plus an `app`, a catalog and metrics it may use. */
function moduleOf (snippet: string): string {
  const resolved = snippet.replace(/from '(@errcodes\/[a-z]+|fastify)'/g, (_m, name: string) => `from '${import.meta.resolve(name)}'`)
  const declares = (name: string): boolean => new RegExp(`import[^;]*\\b${name}\\b[^;]*from|(?:const|let|var)\\s+${name}\\b`).test(snippet)
  const prelude = [
    `import __Fastify from '${import.meta.resolve('fastify')}'`,
    `import * as __core from '${import.meta.resolve('@errcodes/core')}'`,
    `import * as __metrics from '${import.meta.resolve('@errcodes/metrics')}'`,
    `import __errorCodes from '${import.meta.resolve('@errcodes/fastify')}'`,
    'const app = __Fastify()',
    ...['errorCodes:__errorCodes', 'catalog:__core.builtinErrors', 'builtinErrors:__core.builtinErrors', 'createMetrics:__metrics.createMetrics', 'metrics:__metrics.createMetrics()']
      .map(pair => pair.split(':')).filter(([name]) => !declares(name)).map(([name, value]) => `const ${name} = ${value}`)
  ]
  return `${prelude.join('\n')}\n${resolved}\nawait app.listen({ port: 0, host: '127.0.0.1' })\nconsole.log('LISTENING http://127.0.0.1:' + app.server.address().port)\n`
}

interface Started { readonly child: ChildProcess, readonly out: string, readonly err: string, readonly code: number | null, readonly base?: string }

/** Runs a module until it prints its URL or exits. */
async function start (args: string[], env: Record<string, string | undefined>, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, args, { env: { ...process.env, OPS_TOKEN: undefined, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  return await new Promise<Started>((resolve) => {
    const check = (): void => {
      const m = ready.exec(out)
      if (m !== null) resolve({ child, out, err, code: null, base: m[1] })
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => resolve({ child, out, err, code }))
  })
}

for (const [file, heading] of [['SECURITY.md', '## 5. Protecting the metrics'], ['packages/fastify/README.md', '### Protecting the metrics routes']]) {
  t.test(`${file}: the documented guard refuses to start without OPS_TOKEN and accepts Bearer and Basic`, async t => {
    const dir = mkdtempSync(join(tmpdir(), 'errcodes-guard-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const module = join(dir, 'snippet.mjs')
    writeFileSync(module, moduleOf(snippetAfter(file, heading)))

    for (const unset of [undefined, '', 'undefined']) {
      const run = await start([module], { OPS_TOKEN: unset }, /LISTENING (\S+)/)
      if (run.base !== undefined) {
        t.teardown(() => { run.child.kill() })
        const res = await fetch(`${run.base}/internal/metrics`, { headers: { authorization: `Bearer ${String(unset)}` } })
        t.fail(`started with OPS_TOKEN=${JSON.stringify(unset)}; "Bearer ${String(unset)}" got ${res.status}`)
        continue
      }
      t.not(run.code, 0, `OPS_TOKEN=${JSON.stringify(unset)}: the process exits`)
      t.match(run.err, /TypeError[^\n]*"token"/, 'with a TypeError naming the option')
    }

    const run = await start([module], { OPS_TOKEN: TOKEN }, /LISTENING (\S+)/)
    t.teardown(() => { run.child.kill() })
    t.ok(run.base, `starts with OPS_TOKEN set (${run.err.slice(0, 300)})`)
    if (run.base === undefined) return
    const url = `${run.base}/internal/metrics`
    for (const authorization of [undefined, 'Bearer undefined', 'Bearer ', `Bearer ${TOKEN.slice(1)}`, basic('undefined')]) {
      const res = await fetch(`${url}?token=${TOKEN}`, { headers: authorization === undefined ? {} : { authorization } })
      t.equal(res.status, 401, `${String(authorization)}: 401`)
      t.match(res.headers.get('www-authenticate'), CHALLENGE, 'with a Basic challenge')
    }
    t.equal((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200, 'Bearer: 200')
    t.equal((await fetch(url, { headers: { authorization: basic(TOKEN) } })).status, 200, 'Basic (what a browser sends): 200')
  })
}

const SERVER = join(ROOT, 'examples/fastify-demo/src/server.js')
const LISTENING = /listening on (http:\/\/\S+?)\s/
const OPS_ROUTES = ['/metrics', '/api/metrics/summary', '/api/metrics/recent', '/api/metrics/top-errors', '/api/metrics/by-code/301', '/api/metrics/dashboard']

t.test('the demo guards its ops routes with a printed token, or OPS_TOKEN; a short OPS_TOKEN stops it', async t => {
  const run = await start([SERVER], { PORT: '0', HOST: '127.0.0.1' }, /Sample failing requests()/)
  t.teardown(() => { run.child.kill() })
  const base = LISTENING.exec(run.out)?.[1]
  t.ok(base, 'the demo started')
  const token = /Ops token\s+(\S+)/.exec(run.out)?.[1] ?? ''
  t.match(token, /^[A-Za-z0-9_-]{32}$/, 'it printed a generated token')
  t.equal((await fetch(`${base}/users/42`)).status, 404, 'the API is open')
  for (const route of OPS_ROUTES) {
    const res = await fetch(base + route)
    t.equal(res.status, 401, `${route} without the token: 401`)
    t.match(res.headers.get('www-authenticate'), CHALLENGE)
    t.equal((await fetch(base + route, { headers: { authorization: `Bearer ${token}` } })).status, 200, `${route} with the printed token: 200`)
  }

  const short = await start([SERVER], { PORT: '0', OPS_TOKEN: 'short' }, /Sample failing requests()/)
  if (short.code === null) short.child.kill()
  t.not(short.code, 0, 'OPS_TOKEN=short: the demo does not start')
  t.match(short.err, /"token"/)
})

const CHROMIUM = '/usr/bin/chromium'

t.test('a browser opens the guarded dashboard with HTTP Basic (token as password), and not without it', async t => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.ERRCODES_REQUIRE_TOOLS === '1') throw new Error(`${CHROMIUM} is missing and ERRCODES_REQUIRE_TOOLS=1`)
    return t.skip(`${CHROMIUM} is not installed (Debian package: chromium)`)
  }
  const run = await start([SERVER], { PORT: '0', OPS_TOKEN: TOKEN }, /Sample failing requests()/)
  t.teardown(() => { run.child.kill() })
  const base = LISTENING.exec(run.out)?.[1] ?? ''
  t.ok(base, 'the demo started')
  await fetch(`${base}/users/42`)
  await fetch(`${base}/orders/7`)

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 30_000 })
  t.teardown(() => browser.close())
  // Without credentials Playwright cancels the login prompt, which Chromium reports as a failed navigation.
  const anonymous = await (await browser.newContext()).newPage()
  const denied = await anonymous.goto(`${base}/api/metrics/dashboard`).then(r => `HTTP ${r?.status() ?? '?'}`, (err: Error) => err.message)
  t.match(denied, /HTTP 401|ERR_INVALID_AUTH_CREDENTIALS/, `without credentials: no page (${denied.split('\n')[0]})`)

  const context = await browser.newContext({ httpCredentials: { username: 'ops', password: TOKEN } })
  const page = await context.newPage()
  const res = await page.goto(`${base}/api/metrics/dashboard`)
  t.equal(res?.status(), 200, 'with the token as Basic password: the page')
  await page.waitForFunction(() => Number(document.body.dataset.refreshes ?? 0) >= 1, undefined, { timeout: 15_000 })
  t.notMatch(await page.textContent('#status'), /fail|error|401/i, 'its own fetches of /api/metrics/* succeeded')
  const rows = await page.textContent('#recent') ?? ''
  t.match(rows, /USER_NOT_FOUND/, 'and show the API\'s errors')
  t.match(rows, /ORDER_NOT_FOUND/)
  // The guard's own 401s are counted like any error: refused attempts show on the dashboard.
  t.match(rows, /UNAUTHENTICATED/, 'refused attempts are recorded too')
})
