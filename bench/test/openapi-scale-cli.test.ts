import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeResults } from '../src/write-results.js'

const script = fileURLToPath(new URL('../src/openapi-scale.js', import.meta.url))
const cli = (...args: string[]): { status: number | null, stderr: string } => {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 })
  return { status: r.status, stderr: r.stderr }
}

t.test('pnpm bench:openapi refuses bad options with exit 2 and a message', async t => {
  const cases: Array<[string[], RegExp]> = [
    [['--fast'], /openapi-scale: unknown option --fast\nusage: pnpm bench:openapi/],
    [['--sizes'], /option --sizes needs a value/],
    [['--repeat', '--out', 'x'], /option --repeat needs a value/],
    [['--repeat', '0x3'], /option --repeat must be a whole number from 1 to 100 \(got "0x3"\)/],
    [['--sizes', '100,1e3'], /option --sizes must be a whole number from 1 to 100000 \(got "1e3"\)/],
    [['--legacy', '10,'], /option --legacy must be a whole number/]
  ]
  for (const [args, message] of cases) {
    const r = cli(...args)
    t.equal(r.status, 2, args.join(' '))
    t.match(r.stderr, message)
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace')
  }
})

t.test('the `--` pnpm passes on is accepted, and the results pair is written', async t => {
  const out = t.testdir({})
  const r = cli('--', '--sizes', '20', '--legacy', 'none', '--repeat', '1', '--out', out)
  t.equal(r.status, 0, r.stderr)
  const results = JSON.parse(readFileSync(join(out, 'openapi-scale.json'), 'utf8'))
  t.equal(results.meta.command, `node bench/src/openapi-scale.js --sizes 20 --legacy none --repeat 1 --out ${out}`, 'recorded without pnpm\'s --')
  t.match(results.rows, [{ variant: 'errcodes', size: 20, runs: [{ bytes: Number }] }])
  t.match(readFileSync(join(out, 'openapi-scale.md'), 'utf8'), /^# OpenAPI document at scale\n[\s\S]*\| errcodes \| 20 \|/)
})

t.test('writeResults makes the folder, writes the pair, and refuses a path whose .md would overwrite it', async t => {
  const dir = t.testdir({})
  await writeResults(join(dir, 'new', 'deeper', 'results.json'), { a: 1 }, '# x')
  t.same(JSON.parse(readFileSync(join(dir, 'new', 'deeper', 'results.json'), 'utf8')), { a: 1 })
  t.equal(readFileSync(join(dir, 'new', 'deeper', 'results.md'), 'utf8'), '# x\n')
  await t.rejects(writeResults(join(dir, 'results.txt'), {}, '# x'), /is not a \.json path/)
})
