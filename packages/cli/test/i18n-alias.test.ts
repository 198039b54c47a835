import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { I18N_ALIAS_NOTICE, runI18nAlias } from '../src/i18n-alias.js'

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

async function run (...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  let out = ''
  let err = ''
  const code = await runI18nAlias(argv, { cwd: FIX, stdout: s => { out += s }, stderr: s => { err += s } })
  return { code, out, err }
}

t.test('the former errcodes-i18n check maps onto errcodes check --locales, with a deprecation notice', async t => {
  const core = fileURLToPath(new URL('../../core/dist/builtin-errors.js', import.meta.url))
  const clean = await run('check', '--catalog', core, '--dir', `${ROOT}locales`)
  t.equal(clean.code, 0, clean.err)
  t.ok(clean.err.startsWith(I18N_ALIAS_NOTICE))
  t.match(clean.out, '✓ catalog is valid')

  const findings = await run('check', '--catalog', 'i18n-catalog.mjs', '--dir', 'broken')
  t.equal(findings.code, 1)
  t.match(findings.out, /ko\.json errors\.user_not_found: placeholder \{mail\} is not a param of USER_NOT_FOUND/)

  const strict = await run('check', '--catalog', 'i18n-catalog.mjs', '--dir', 'seed', '--default-locale', 'en', '--strict')
  t.equal(strict.code, 1, 'seed lacks catalog keys: warnings fail with --strict')
})

t.test('bad input gets one clear message and exit 2, never a stack', async t => {
  const help = await run('--help')
  t.equal(help.code, 0)
  t.match(help.out, /^usage: errcodes-i18n check --catalog <module> --dir <locales>/)
  const cases: Array<[string[], RegExp]> = [
    [[], /missing command/],
    [['lint'], /unknown command "lint"/],
    [['check', '--dir', 'broken'], /--catalog <module> is required/],
    [['check', '--catalog', 'i18n-catalog.mjs'], /--dir <locales> is required/],
    [['check', '--catalog'], /--catalog needs a value/],
    [['check', '--catalog', 'i18n-catalog.mjs', '--dir', 'broken', '--wat'], /unknown option "--wat"/],
    [['check', '--catalog', 'nope.mjs', '--dir', 'broken'], /module not found: nope\.mjs/],
    [['check', '--catalog', 'throws.mjs', '--dir', 'broken'], /throws\.mjs: it threw while loading/],
    [['check', '--catalog', 'no-catalog.mjs', '--dir', 'broken'], /exports no catalog/],
    [['check', '--catalog', 'i18n-catalog.mjs', '--dir', 'broken', '--default-locale', 'en_US'], /defaultLocale must be a canonical/]
  ]
  for (const [argv, re] of cases) {
    const r = await run(...argv)
    t.equal(r.code, 2, argv.join(' '))
    t.match(r.err, re, argv.join(' '))
    t.notMatch(r.err, /\n\s+at /, 'no stack')
  }
})

t.test('the installed bin runs as a program', async t => {
  const bin = fileURLToPath(new URL('../bin/errcodes-i18n.js', import.meta.url))
  const env = { ...process.env, NODE_OPTIONS: '' }
  const ok = spawnSync(process.execPath, [bin, 'check', '--catalog', 'i18n-catalog.mjs', '--dir', 'broken'], { cwd: FIX, encoding: 'utf8', timeout: 30_000, env })
  t.equal(ok.status, 1, ok.stderr)
  t.match(ok.stdout, /ko\.json errors\.user_not_found/)
  const bad = spawnSync(process.execPath, [bin, 'check'], { cwd: FIX, encoding: 'utf8', timeout: 30_000, env })
  t.equal(bad.status, 2)
  t.match(bad.stderr, /--catalog <module> is required/)
})
