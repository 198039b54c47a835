import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluateTargets, modelledRatio } from '../src/evaluate-targets.js'

// Two rounds of four variants; each round is one { rps, cpuUsPerRequest } per variant, as the harness records them.
function variants (perRound: Record<string, Array<[number, number]>>): Record<string, { paths: Record<string, { rounds: Array<{ rps: number, cpuUsPerRequest: number }> }> }> {
  const out: ReturnType<typeof variants> = {}
  for (const [name, rounds] of Object.entries(perRound)) {
    const list = rounds.map(([rps, cpuUsPerRequest]) => ({ rps, cpuUsPerRequest }))
    out[name] = { paths: { happy: { rounds: list }, error: { rounds: list } } }
  }
  return out
}

const near = (value: number | null | undefined, expected: number): boolean => typeof value === 'number' && Math.abs(value - expected) < 1e-9

t.test('the modelled floor adds what the floor tracer costs over bare to all features, round by round', async t => {
  const v = variants({
    bare: [[10_000, 10], [8_000, 12]],
    'errcodes-all': [[10_000, 10], [8_000, 12]],
    'otel-semconv-floor': [[8_000, 12.5], [6_400, 15]],
    'fastify-otel': [[5_000, 20], [4_000, 24]]
  })
  // All features as fast as bare, the floor 25 % slower than bare: the model is the floor, 0.8× bare.
  t.ok(near(modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', 'happy', 'cpuUsPerRequest'), 0.8))
  t.ok(near(modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', 'happy', 'rps'), 0.8))
  // Against @fastify/otel, twice bare's cost: 20 ÷ 12.5.
  t.ok(near(modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', 'happy', 'cpuUsPerRequest', 'fastify-otel'), 1.6))
  // All features 10 % cheaper than bare in the first round only: 10 ÷ (9 + 12.5 − 10) and 12 ÷ 15, median of the two.
  const cheaper = variants({ bare: [[10_000, 10], [8_000, 12]], 'errcodes-all': [[11_000, 9], [8_000, 12]], 'otel-semconv-floor': [[8_000, 12.5], [6_400, 15]] })
  t.ok(near(modelledRatio(cheaper, 'errcodes-all', 'otel-semconv-floor', 'happy', 'cpuUsPerRequest'), (10 / 11.5 + 0.8) / 2))
  const targets = evaluateTargets({ meta: { node: 'v24.0.0' }, http: { variants: v } })
  const row = (end: string): { value: number, limit: number, status: string, cpuValue: number, cpuStatus: string } => targets.find(x => x.name.endsWith(end)) as never
  const happy = row('what that floor adds to bare Fastify, happy path')
  t.ok(near(happy.value, 0.8) && near(happy.cpuValue, 0.8))
  t.match(happy, { limit: 0.85, status: 'FAIL', cpuStatus: 'FAIL' }, 'Node 24: the happy-path limit is 0.85×')
  t.match(row('what that floor adds to bare Fastify, error path'), { limit: 0.8 })
  const otel = row('that floor vs @fastify/otel, happy path')
  t.ok(near(otel.value, 1.6) && near(otel.cpuValue, 1.6))
  t.match(otel, { limit: 1.5, status: 'pass', cpuStatus: 'pass' })
})

t.test('the model is n/a when a variant or a round is missing', async t => {
  const v = variants({ bare: [[10_000, 10], [8_000, 12]], 'errcodes-all': [[10_000, 10]], 'otel-semconv-floor': [[8_000, 12.5], [6_400, 15]] })
  t.equal(modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', 'happy', 'rps'), null, 'rounds that do not line up')
  t.equal(modelledRatio(v, 'errcodes-all', 'otel-semconv-floor', 'happy', 'rps', 'fastify-otel'), null, 'no @fastify/otel measured')
  const targets = evaluateTargets({ meta: { node: 'v20.0.0' }, http: { variants: v } })
  t.equal(targets.find(x => x.name.endsWith('what that floor adds to bare Fastify, happy path'))?.status, 'n/a')
})

interface Aggregate { targets: Array<{ name: string, value: { median: number | null } }>, runs: Array<{ targets: Array<{ name: string }> }> }

// Through the CLI, on a results file on record: the rows it had come out the same, and the rows added since appear.
t.test('reevaluate.js recomputes the targets of a results file from its recorded rounds', async t => {
  const recorded = JSON.parse(readFileSync(fileURLToPath(new URL('../results/pinned/node-24.json', import.meta.url)), 'utf8')) as Aggregate
  const older = { ...recorded, targets: recorded.targets.filter(x => !x.name.includes('modelled')), runs: recorded.runs.map(r => ({ ...r, targets: r.targets.filter(x => !x.name.includes('modelled')) })) }
  const dir = t.testdir({ 'node-24.json': JSON.stringify(older) })
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../src/reevaluate.js', import.meta.url)), join(dir, 'node-24.json')], { encoding: 'utf8', timeout: 30_000 })
  t.equal(r.status, 0, r.stderr)
  const again = JSON.parse(readFileSync(join(dir, 'node-24.json'), 'utf8')) as Aggregate
  t.equal(again.targets.length, older.targets.length + 3, 'the three modelled floor rows are added')
  for (const before of older.targets) t.same(again.targets.find(x => x.name === before.name)?.value.median, before.value.median, `${before.name}: the same value from the same rounds`)
  t.match(readFileSync(join(dir, 'node-24.md'), 'utf8'), /\| Floor \(not ours, modelled\): all features \+ that floor vs @fastify\/otel, happy path \| >= 1\.50× \|/)
  t.equal(spawnSync(process.execPath, [fileURLToPath(new URL('../src/reevaluate.js', import.meta.url))], { encoding: 'utf8' }).status, 2, 'no file: exit 2 with the usage')
})

t.test('reevaluate.js refuses what is not a results file and then writes nothing', async t => {
  const good = readFileSync(fileURLToPath(new URL('../results/pinned/node-20.json', import.meta.url)), 'utf8')
  const dir = t.testdir({ 'good.json': good, 'empty.json': '{}', 'text.json': 'hello' })
  const script = fileURLToPath(new URL('../src/reevaluate.js', import.meta.url))
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'missing.json'), /missing\.json: no such file/],
    [join(dir, 'empty.json'), /empty\.json: not the results of bench\/src\/run\.js/],
    [join(dir, 'text.json'), /text\.json: .*not valid JSON/]
  ]
  for (const [file, message] of cases) {
    // The good file first: it must not be rewritten when a later one is refused.
    const r = spawnSync(process.execPath, [script, join(dir, 'good.json'), file], { encoding: 'utf8', timeout: 30_000 })
    t.equal(r.status, 2)
    t.match(r.stderr, message)
    t.equal(readFileSync(join(dir, 'good.json'), 'utf8'), good, 'the good file is untouched')
  }
})
