import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { allowedCpus, inheritedPlan, measuredLaunch, parseCpuList, planPinning } from '../src/pin-cpus.js'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
const canPin = os.platform() === 'linux' && spawnSync('taskset', ['-V']).status === 0 && parseCpuList(allowedCpus() ?? '0').length >= 2

interface Run { meta: { pinning?: { server: string, load: string, harness: string }, measuredCpus?: Record<string, string> }, http: { variants: Record<string, { servers: Array<{ cpus?: string }> }> } }

t.test('the servers get the last CPU this process may use, the load generator the others', async t => {
  t.same(parseCpuList('0-2,5,7-8'), [0, 1, 2, 5, 7, 8])
  t.same(planPinning('0-1', 'linux'), { server: '1', load: '0' })
  t.same(planPinning('0-7', 'linux'), { server: '7', load: '0,1,2,3,4,5,6' })
  // A cpuset that allows 2 and 5 of eight CPUs: CPU 7 would make taskset fail with EINVAL.
  t.same(planPinning('2,5', 'linux'), { server: '5', load: '2' })
  t.throws(() => planPinning('3', 'linux'), /--pin needs at least two CPUs; this process may use 1 \(3\)/)
  t.throws(() => planPinning('0-3', 'darwin'), /--pin needs Linux and taskset; this is darwin/)
})

t.test('a plan passed down by an --invocations parent is checked before use', async t => {
  t.same(inheritedPlan('{"server":"3","load":"0,1,2","extra":1}', [0, 1, 2, 3]), { server: '3', load: '0,1,2' })
  const bad = [
    'garbage', '{}', 'null', '{"server":"1; rm -rf /","load":"0"}', '{"server":"0-1","load":"0-1"}',
    // the load generator on the servers' CPU; a CPU that is not online
    '{"server":"1","load":"1"}', '{"server":"1","load":"0,1"}', '{"server":"7","load":"0"}'
  ]
  for (const value of bad) t.throws(() => inheritedPlan(value, [0, 1, 2, 3].slice(0, 2)), /ERRCODES_BENCH_PINNING holds no usable pinning plan .*unset it/, value)
})

t.test('a pinned child runs as taskset -c CPU node [flags] script', async t => {
  t.same(measuredLaunch({ server: '1', load: '0' }, '/opt/node', ['--cpu-prof']), { execPath: 'taskset', execArgv: ['-c', '1', '/opt/node', '--cpu-prof'] })
  t.same(measuredLaunch(undefined, '/opt/node', ['--cpu-prof']), { execPath: '/opt/node', execArgv: ['--cpu-prof'] })
  t.same(measuredLaunch(undefined), { execPath: process.execPath, execArgv: [] })
})

// Through the CLI: every measured process reports the CPUs /proc says it may use, so the results prove the pinning.
t.test('--pin runs the servers, micro-benchmarks and memory run on the last CPU, the load generator on the others', { skip: !canPin && 'needs Linux, taskset and two CPUs' }, async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--only', 'errcodes-core', '--pin', '--out', dir], { encoding: 'utf8', timeout: 180_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const plan = planPinning()
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Run
  t.same(result.meta.pinning, { ...plan, harness: plan.load })
  t.same(result.meta.measuredCpus, { micro: plan.server, memory: plan.server })
  t.same(Object.keys(result.http.variants).sort(), ['bare', 'errcodes-core'])
  for (const [name, v] of Object.entries(result.http.variants)) t.same(v.servers, [{ cpus: plan.server }], `${name} ran on CPU ${plan.server}`)
  t.match(readFileSync(join(dir, 'latest.md'), 'utf8'), `- Pinned (\`--pin\`): servers, micro-benchmarks and memory run on CPU ${plan.server}; the load generator on CPU ${plan.load}`)
})

// Each invocation is a child of a harness already narrowed to the load CPUs: it must keep the parent's plan.
t.test('--pin with --invocations pins every invocation the same way', { skip: !canPin && 'needs Linux, taskset and two CPUs' }, async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--pin', '--invocations', '2', '--servers', '2', '--out', dir], { encoding: 'utf8', timeout: 180_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const plan = planPinning()
  const file = readFileSync(join(dir, `node-${process.versions.node.split('.')[0]}.json`), 'utf8')
  const runs = (JSON.parse(file) as { runs: Run[] }).runs
  t.equal(runs.length, 2)
  for (const [i, one] of runs.entries()) {
    t.same(one.meta.pinning, { ...plan, harness: plan.load }, `invocation ${i + 1}: the harness on CPU ${plan.load}`)
    for (const [name, v] of Object.entries(one.http.variants)) t.same(v.servers, [{ cpus: plan.server }, { cpus: plan.server }], `invocation ${i + 1}: both ${name} servers ran on CPU ${plan.server}`)
  }
})

t.test('--pin with a bad inherited plan exits 2 and names the variable', async t => {
  const r = spawnSync(process.execPath, [run, '--smoke', '--pin', '--only', 'errcodes-core', '--out', t.testdir({})], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ERRCODES_BENCH_PINNING: 'garbage' } })
  t.equal(r.status, 2)
  t.match(r.stderr, /ERRCODES_BENCH_PINNING holds no usable pinning plan \("garbage"\)/)
})

t.test('without --pin nothing is pinned', { skip: !canPin && 'needs Linux, taskset and two CPUs' }, async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--out', dir], { encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Run
  t.equal(result.meta.pinning, undefined)
  t.match(readFileSync(join(dir, 'latest.md'), 'utf8'), '- Not pinned (no `--pin`): the scheduler puts the servers and the load generator on any CPU')
  t.same(result.http.variants.bare.servers, [{ cpus: allowedCpus() }], 'the servers keep the CPUs the harness has')
})
