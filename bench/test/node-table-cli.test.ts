import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const table = fileURLToPath(new URL('../src/node-table.js', import.meta.url))
const cli = (...args: string[]): { status: number | null, stdout: string, stderr: string } => {
  const r = spawnSync(process.execPath, [table, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

t.test('pnpm bench:table -- --help prints the usage and exits 0', async t => {
  const r = cli('--', '--help')
  t.equal(r.status, 0)
  t.match(r.stdout, /^Usage: pnpm bench:table \[-- DIR\]/)
})

t.test('a bad argument or folder exits 2 with a message, never a stack trace', async t => {
  const latest = readFileSync(fileURLToPath(new URL('../results/round10/logger-node-24-setbindings-1.json', import.meta.url)), 'utf8')
  const dir = t.testdir({ file: 'x', empty: {}, broken: { 'node-24.json': '{' }, shapeless: { 'node-24.json': '{"meta":{}}' }, single: { 'node-24.json': latest } })
  const cases: Array<[string[], number, RegExp]> = [
    [['--fast'], 2, /unknown option --fast/],
    [['a', 'b'], 2, /one folder at most/],
    [[join(dir, 'missing')], 2, /missing: no such folder/],
    [[join(dir, 'file')], 2, /file: not a folder/],
    [[join(dir, 'empty')], 1, /no node-\*\.json in .*empty/],
    [[join(dir, 'broken')], 2, /broken\/node-24\.json: not valid JSON/],
    [[join(dir, 'shapeless')], 2, /shapeless\/node-24\.json: not the results of bench\/src\/run\.js/],
    [[join(dir, 'single')], 2, /single\/node-24\.json: one run, not a per-Node file/]
  ]
  for (const [args, status, message] of cases) {
    const r = cli(...args)
    t.equal(r.status, status, args.join(' '))
    t.match(r.stderr, message)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
})

t.test('the committed results print as one table, and a set run with --logger says so', async t => {
  const r = cli()
  t.equal(r.status, 0)
  t.match(r.stdout, /^\| Target \| Limit \| Node 20\.[\d.]+ \| Node 24\.[\d.]+ \|/)
  t.notMatch(r.stdout, /--logger/)
  const logged = cli(fileURLToPath(new URL('../results/logger', import.meta.url)))
  t.equal(logged.status, 0)
  t.match(logged.stdout, /- Node 24: 3 invocations, .*, servers logging through pino \(`--logger`\)/)
})
