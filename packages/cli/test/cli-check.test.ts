import { join } from 'node:path'
import t, { type Test } from 'tap'
import { FIXTURES, spawnCli } from './fixtures/spawn-cli.js'

// A project folder as a user has it: its own errors module.
function project (t: Test): string {
  return t.testdir({
    'errors.mjs': `export { errors } from ${JSON.stringify(new URL('./fixtures/catalog.mjs', import.meta.url).href)}\n`
  })
}

t.test('a valid catalog passes; entries without a description are warnings', async t => {
  const run = await spawnCli(['check', 'catalog.mjs'])
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stdout, 'errcodes check catalog.mjs: 5 codes in 4 domains\n✓ catalog is valid\n')
  const merged = await spawnCli(['check', 'colliding-catalogs.mjs'])
  t.equal(merged.code, 1)
  const bare = t.testdir({ 'bare.mjs': `import { defineErrors } from ${JSON.stringify(new URL('../../core/dist/index.js', import.meta.url).href)}\nexport default defineErrors({ BARE: { code: 901, domain: 'CUSTOM', status: 400, message: 'Bare' } })\n` })
  const warned = await spawnCli(['check', 'bare.mjs', '--json'], { cwd: bare })
  t.equal(warned.code, 0)
  t.same(JSON.parse(warned.stdout), { module: 'bare.mjs', codes: 1, domains: 1, errors: 0, warnings: 1, findings: [{ key: 'BARE', problem: 'BARE has no description for the generated docs', severity: 'warning' }] })
})

t.test('the readable report of warnings only: valid, with the warnings counted', async t => {
  const bare = t.testdir({ 'bare.mjs': `import { defineErrors } from ${JSON.stringify(new URL('../../core/dist/index.js', import.meta.url).href)}\nexport default defineErrors({ BARE: { code: 901, domain: 'CUSTOM', status: 400, message: 'Bare' } })\n` })
  const run = await spawnCli(['check', 'bare.mjs'], { cwd: bare })
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stdout, 'errcodes check bare.mjs: 1 codes in 1 domains\n  ! warning BARE: BARE has no description for the generated docs\n✓ catalog is valid (1 warning(s))\n')
  const strict = await spawnCli(['check', 'bare.mjs', '--strict'], { cwd: bare })
  t.equal(strict.code, 1, '--strict fails on a warning')
})

t.test('a definition error surfaces as one clear message and exit 1', async t => {
  const run = await spawnCli(['check', 'bad-definition.mjs'])
  t.equal(run.code, 1)
  t.equal(run.stderr, 'errcodes: invalid catalog in bad-definition.mjs: error WRONG_RANGE: code 1234 is outside domain RESOURCE (300–399)\n')
})

t.test('a code that collides with a built-in entry is an error', async t => {
  const run = await spawnCli(['check', 'builtin-clash.mjs'])
  t.equal(run.code, 1)
  t.match(run.stdout, '✗ error   error THING_GONE: code 390 is taken by built-in NOT_FOUND')
  t.match(run.stdout, '✗ 1 error(s), 0 warning(s)')
})

t.test('--locales runs the @errcodes/i18n checker', async t => {
  const dir = project(t)
  const good = await spawnCli(['check', 'errors.mjs', '--locales', join(FIXTURES, 'locales-good')], { cwd: dir })
  t.equal(good.code, 0, good.stdout + good.stderr)
  t.match(good.stdout, '✓ catalog is valid')

  const bad = await spawnCli(['check', 'errors.mjs', '--locales', join(FIXTURES, 'locales-reserved'), '--json'], { cwd: dir })
  t.equal(bad.code, 1, bad.stderr)
  const result = JSON.parse(bad.stdout)
  t.ok(result.errors > 0)
  t.match(result.findings, [{ file: /ko\.json$/, problem: /__proto__/, severity: 'error' }])
  t.ok(result.findings.some((f: { key?: string, problem: string }) => f.key === 'errors.card_declined' && /missing in ko/.test(f.problem)))

  const badTag = await spawnCli(['check', 'errors.mjs', '--locales', join(FIXTURES, 'locales-good'), '--default-locale', 'not a tag'], { cwd: dir })
  t.equal(badTag.code, 2)
  t.match(badTag.stderr, /^errcodes: cannot check --locales [^\n]+: checkLocales: defaultLocale must be a canonical BCP 47 tag \(see errcodes check --help\)\n$/)

  const noDefault = await spawnCli(['check', 'errors.mjs', '--locales', join(FIXTURES, 'locales-good'), '--default-locale', 'fr'], { cwd: dir })
  t.equal(noDefault.code, 1)
  t.match(noDefault.stdout, 'the default locale fr has no file')
})
