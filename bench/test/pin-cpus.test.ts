import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { allowedCpus, planPinning } from '../src/pin-cpus.js'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
const canPin = os.platform() === 'linux' && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0

t.test('the servers get the last CPU, the load generator the others', async t => {
  t.same(planPinning(2, 'linux'), { server: '1', load: '0' })
  t.same(planPinning(8, 'linux'), { server: '7', load: '0-6' })
  t.throws(() => planPinning(1, 'linux'), /--pin needs at least two CPUs; this machine has 1/)
  t.throws(() => planPinning(4, 'darwin'), /--pin needs Linux and taskset; this is darwin/)
})

// Through the CLI: each server reports the CPUs /proc says it may use, so the results prove the pinning.
t.test('--pin runs every server on the last CPU and the load generator on the others', { skip: !canPin && 'needs Linux, taskset and two CPUs' }, async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'memory', '--only', 'errcodes-core', '--pin', '--out', dir], { encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const plan = planPinning()
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { meta: { pinning: { server: string, load: string, harness: string } }, http: { variants: Record<string, { cpus?: string }> }, micro: unknown }
  t.same(result.meta.pinning, { ...plan, harness: plan.load })
  t.same(Object.keys(result.http.variants).sort(), ['bare', 'errcodes-core'])
  for (const [name, v] of Object.entries(result.http.variants)) t.equal(v.cpus, plan.server, `${name} ran on CPU ${plan.server}`)
  t.not((result.micro as { status?: string }).status, 'failed', 'the micro-benchmarks start through taskset as well')
  t.match(readFileSync(join(dir, 'latest.md'), 'utf8'), `- Pinned (\`--pin\`): servers, micro-benchmarks and memory run on CPU ${plan.server}; the load generator on CPU ${plan.load}`)
})

t.test('without --pin nothing is pinned', { skip: !canPin && 'needs Linux, taskset and two CPUs' }, async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--out', dir], { encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { meta: { pinning?: unknown }, http: { variants: Record<string, { cpus?: string }> } }
  t.equal(result.meta.pinning, undefined)
  t.equal(result.http.variants.bare.cpus, allowedCpus(), 'the servers keep the CPUs the harness has')
})
