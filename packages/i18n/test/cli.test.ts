import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runCli } from '../src/cli.js'

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

async function run (...argv: string[]): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: l => out.push(l), err: l => err.push(l), cwd: FIX })
  return { code, out, err }
}

t.test('clean locales exit 0', async (t) => {
  const core = fileURLToPath(new URL('../../core/dist/builtin-errors.js', import.meta.url))
  const r = await run('check', '--catalog', core, '--dir', `${ROOT}locales`)
  t.equal(r.code, 0)
  t.same(r.out, [])
  t.match(r.err, [/0 error\(s\), 0 warning\(s\)/])
})

t.test('findings exit 1 with one line per finding', async (t) => {
  const r = await run('check', '--catalog', 'catalog.mjs', '--dir', 'broken')
  t.equal(r.code, 1)
  t.ok(r.out.length >= 10)
  t.ok(r.out.every(l => /^(error|warning): \S+ (\[[^\]]+\]: )?/.test(l)), 'file, key and problem on each line')
  t.ok(r.out.some(l => l.includes('ko.json [errors.user_not_found]: placeholder {mail} is not a param of USER_NOT_FOUND')))
  const warnOnly = await run('check', '--catalog', 'catalog.mjs', '--dir', 'seed', '--default-locale', 'en', '--strict')
  t.equal(warnOnly.code, 1, 'seed lacks catalog keys')
})

t.test('bad input gets one clear message and exit 2, never a stack', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /missing command/],
    [['lint'], /unknown command "lint"/],
    [['check', '--dir', 'broken'], /--catalog <module> is required/],
    [['check', '--catalog', 'catalog.mjs'], /--dir <locales> is required/],
    [['check', '--catalog'], /--catalog needs a value/],
    [['check', '--catalog', 'catalog.mjs', '--dir', 'broken', '--wat'], /unknown option "--wat"/],
    [['check', '--catalog', 'nope.mjs', '--dir', 'broken'], /cannot import .*nope\.mjs/],
    [['check', '--catalog', 'throws.mjs', '--dir', 'broken'], /cannot import .*throws\.mjs: boom at import/],
    [['check', '--catalog', 'no-catalog.mjs', '--dir', 'broken'], /exports no catalog/],
    [['check', '--catalog', 'catalog.mjs', '--dir', 'broken', '--default-locale', 'en_US'], /defaultLocale must be a canonical/]
  ]
  for (const [argv, re] of cases) {
    const r = await run(...argv)
    t.equal(r.code, 2, argv.join(' '))
    t.match(r.err[0], re)
    t.notOk(r.err.join('\n').includes('    at '), 'no stack')
  }
})

t.test('the built bin runs as a program', async (t) => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
  t.ok(existsSync(bin), 'dist/bin.js exists (pnpm run build runs before the tests)')
  const ok = spawnSync(process.execPath, [bin, 'check', '--catalog', 'catalog.mjs', '--dir', 'broken'], { cwd: FIX, encoding: 'utf8', timeout: 30_000 })
  t.equal(ok.status, 1)
  t.match(ok.stdout, /error: .*ko\.json \[errors\.user_not_found\]/)
  const bad = spawnSync(process.execPath, [bin, 'check'], { cwd: FIX, encoding: 'utf8', timeout: 30_000 })
  t.equal(bad.status, 2)
  t.match(bad.stderr, /--catalog <module> is required/)
})
