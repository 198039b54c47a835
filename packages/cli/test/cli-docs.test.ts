import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { spawnCli } from './fixtures/spawn-cli.js'

const NAMES = ['USER_NOT_FOUND', 'LEGACY_LOOKUP_FAILED', 'EMAIL_TAKEN', 'LEDGER_UNAVAILABLE', 'CARD_DECLINED']

t.test('docs --format json: every code grouped by domain, with messages of every locale and both example bodies', async t => {
  const run = await spawnCli(['docs', 'catalog.mjs', '--format', 'json', '--locales', 'locales', '--type-base-url', 'https://docs.example.com/errors.html#'])
  t.equal(run.code, 0, run.stderr)
  const ref = JSON.parse(run.stdout)
  t.same(ref.locales, ['en', 'ko'])
  t.same(ref.domains.map((d: { name: string }) => d.name), ['RESOURCE', 'VALIDATION', 'SERVER', 'PAYMENT'])
  const entries = ref.domains.flatMap((d: { entries: unknown[] }) => d.entries)
  t.same(entries.map((e: { name: string }) => e.name), NAMES)
  const payment = ref.domains.find((d: { name: string }) => d.name === 'PAYMENT')
  t.match(payment, { from: 600, to: 699, entries: [{ name: 'CARD_DECLINED', code: 601, status: 402, severity: 'medium' }] })

  const email = entries.find((e: { name: string }) => e.name === 'EMAIL_TAKEN')
  t.equal(email.messageKey, 'errors.account.email_taken')
  t.same(email.messages, {
    default: 'Email {email} is already registered',
    en: 'Email {email} is already registered',
    ko: '이메일 {email}은(는) 이미 등록되어 있습니다 <b>'
  }, 'nested locale objects are flattened to the dot key of messageKey')
  t.same(email.params, [{ name: 'email', type: 'string (email)', required: true }, { name: 'hint', type: 'string', required: false }])
  t.same(email.detail, [{ name: 'field', type: 'string', required: true }, { name: 'suggestions', type: 'array<string>', required: false }])
  t.match(email.detailSchema, { type: 'object', properties: { field: { type: 'string' } }, required: ['field'] })
  t.match(email.examples.json, { error_code: 410, error_name: 'EMAIL_TAKEN', status_code: 409, message: 'Email ann@example.com is already registered' })
  t.match(email.examples.problem, { type: 'https://docs.example.com/errors.html#EMAIL_TAKEN', status: 409, error_code: 410, title: 'Email taken' })
  t.equal(email.type, 'https://docs.example.com/errors.html#EMAIL_TAKEN')

  const legacy = entries.find((e: { name: string }) => e.name === 'LEGACY_LOOKUP_FAILED')
  t.equal(legacy.deprecated, 'use USER_NOT_FOUND')
  t.equal(legacy.messages.ko, null, 'a key missing from a locale is null')
  const ledger = entries.find((e: { name: string }) => e.name === 'LEDGER_UNAVAILABLE')
  t.equal(ledger.retryAfter, 30)
  t.equal(ledger.expose, false)
  t.equal(ledger.examples.json.message, 'Internal server error', 'the example shows what a client of an unexposed 5xx really gets')

  t.equal(run.stderr, '', 'a clean folder reads without warnings')
})

t.test('docs defaults to Markdown with an anchor per code and escaped text', async t => {
  const run = await spawnCli(['docs', 'catalog.mjs', '--locales', 'locales'])
  t.equal(run.code, 0, run.stderr)
  const md = run.stdout
  for (const name of NAMES) {
    t.equal(md.split(`<a id="${name}"></a>`).length - 1, 1, `one anchor for ${name}`)
    t.match(md, `](#${name})`, `contents link to ${name}`)
  }
  t.match(md, '## <a id="domain-PAYMENT"></a>PAYMENT (600–699)')
  t.notMatch(md, '<script>', 'raw HTML from a description is escaped')
  t.match(md, '&lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt; &amp; "quotes" | pipes', 'HTML and Markdown escaped')
  t.match(md, '| ko | 이메일 {email}은(는) 이미 등록되어 있습니다 &lt;b&gt; |', 'table cells are escaped')
  t.match(md, '> **Deprecated**: use USER\\_NOT\\_FOUND')
  t.match(md, '| `hint` | string | no |  |')
  t.match(md, '**Example body (application/problem+json)**')
  t.match(md, '| ko | *missing* |')
})

t.test('docs --format html is one self-contained page', async t => {
  const run = await spawnCli(['docs', 'catalog.mjs', '--format', 'html', '--title', 'Payments <API>'])
  t.equal(run.code, 0, run.stderr)
  const html = run.stdout
  t.match(html, /^<!doctype html>/)
  t.match(html, '<title>Payments &lt;API&gt;</title>')
  t.notMatch(html, /<script|<link|\ssrc=|url\(/i, 'no script and no external resource')
  t.match(html, "default-src 'none'; style-src 'unsafe-inline'", 'a CSP forbids anything but the inline style')
  for (const name of NAMES) t.equal(html.split(`id="${name}"`).length - 1, 1, `one element with id ${name}`)
  t.match(html, '&lt;script&gt;window.__pwned = 1&lt;/script&gt; &amp; &quot;quotes&quot;')
  t.match(html, '<p class="deprecated">Deprecated: use USER_NOT_FOUND</p>')
  t.match(html, '<td>array&lt;string&gt;</td><td>no</td>', 'the detail fields are a table too')
})

t.test('docs --out writes the file and prints nothing', async t => {
  const dir = t.testdir({})
  const run = await spawnCli(['docs', join('..', 'catalog.mjs'), '--format', 'html', '--out', join(dir, 'site', 'errors.html')], { cwd: fileURLToPath(new URL('./fixtures/locales/', import.meta.url)) })
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stdout, '')
  t.match(await readFile(join(dir, 'site', 'errors.html'), 'utf8'), 'id="CARD_DECLINED"')
})

t.test('docs merges every catalog a module exports and accepts a file URL', async t => {
  const url = new URL('./fixtures/two-catalogs.mjs', import.meta.url).href
  const run = await spawnCli(['docs', url, '--format', 'json'])
  t.equal(run.code, 0, run.stderr)
  const names = JSON.parse(run.stdout).domains.flatMap((d: { entries: Array<{ name: string }> }) => d.entries.map(e => e.name))
  t.same(names, ['TOKEN_EXPIRED', 'ORDER_NOT_FOUND'])
})

t.test('export writes the catalog export that diff reads', async t => {
  const dir = t.testdir({})
  const run = await spawnCli(['export', 'catalog.mjs', '--out', join(dir, 'catalog.json')])
  t.equal(run.code, 0, run.stderr)
  const data = JSON.parse(await readFile(join(dir, 'catalog.json'), 'utf8'))
  t.equal(data.version, 1)
  t.same(data.errors.map((e: { name: string }) => e.name), NAMES)
  t.same(data.domains.find((d: { name: string }) => d.name === 'PAYMENT'), { name: 'PAYMENT', from: 600, to: 699 })
  const stdout = await spawnCli(['export', 'catalog.mjs'])
  t.same(JSON.parse(stdout.stdout), data, 'without --out the export goes to stdout')
})

t.test('--builtins adds the built-in entries the Fastify plugin serves; a clash with them is exit 1', async t => {
  const run = await spawnCli(['docs', 'catalog.mjs', '--builtins', '--format', 'json'])
  t.equal(run.code, 0, run.stderr)
  const names = JSON.parse(run.stdout).domains.flatMap((d: { entries: Array<{ name: string }> }) => d.entries.map(e => e.name))
  t.equal(names.length, NAMES.length + 16)
  t.ok(names.includes('ROUTE_NOT_FOUND') && names.includes('VALIDATION_FAILED') && names.includes('CARD_DECLINED'))
  const clash = await spawnCli(['export', 'builtin-clash.mjs', '--builtins'])
  t.equal(clash.code, 1)
  t.equal(clash.stderr, 'errcodes: the catalog of builtin-clash.mjs does not merge with the built-in entries: error THING_GONE: code 390 is taken by built-in NOT_FOUND; pick another code or override NOT_FOUND by name\n')
})

t.test('help and version', async t => {
  for (const command of ['docs', 'export', 'diff', 'check']) {
    const run = await spawnCli([command, '--help'])
    t.equal(run.code, 0)
    t.match(run.stdout, `Usage: errcodes ${command}`)
  }
  const main = await spawnCli(['--help'])
  t.match(main.stdout, 'Commands:')
  const none = await spawnCli([])
  t.equal(none.code, 2, 'no command is a usage error')
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
  t.equal((await spawnCli(['--version'])).stdout.trim(), pkg.version)
})
