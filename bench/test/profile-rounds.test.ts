import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
const table = fileURLToPath(new URL('../src/profile-table.js', import.meta.url))

interface Profile { nodes: Array<{ callFrame: { functionName: string, url: string } }>, samples: number[] }
interface Result { http: { variants: Record<string, { paths: Record<string, { rounds: Array<{ server: number, requests: number }> }> }> } }

// Through the CLI, with two processes per variant: one profile per process and path, of its measured rounds alone.
t.test('--profile-rounds profiles each process\'s measured rounds per path, and profile-table reads them per request', async t => {
  const dir = t.testdir({})
  const profiles = join(dir, 'profiles')
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--servers', '2', '--rounds', '2', '--requests', '1500', '--warmup', '1', '--out', dir, '--profile-rounds', profiles], { encoding: 'utf8', timeout: 180_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const names = ['bare-0', 'bare-1', 'errcodes-core-0', 'errcodes-core-1'].flatMap(server => [`${server}.error`, `${server}.happy`])
  t.same(readdirSync(profiles).sort(), [...names.map(name => `${name}.cpuprofile`), 'requests.json'].sort())

  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Result
  const requests = JSON.parse(readFileSync(join(profiles, 'requests.json'), 'utf8')) as Record<string, number>
  for (const name of names) {
    const [, variant, server, path] = /^(.+)-(\d)\.(\w+)$/.exec(name)!
    const rounds = result.http.variants[variant].paths[path].rounds.filter(round => round.server === Number(server))
    t.equal(requests[name], rounds.reduce((sum, round) => sum + round.requests, 0), `${name}: the requests of its process's rounds`)
  }

  // No start-up in them (module loading, the app's build) and the error path's own code: they cover the rounds alone.
  const frames = (name: string): string[] => {
    const profile = JSON.parse(readFileSync(join(profiles, `${name}.cpuprofile`), 'utf8')) as Profile
    t.ok(profile.samples.length > 0, `${name} has samples`)
    return profile.nodes.map(node => `${node.callFrame.functionName} ${node.callFrame.url}`)
  }
  for (const name of names) {
    t.notOk(frames(name).some(frame => /node:internal\/modules\/esm|buildErrcodes|buildBare/.test(frame)), `${name}: no start-up frames`)
  }
  t.ok(frames('errcodes-core-0.error').concat(frames('errcodes-core-1.error')).some(frame => frame.includes('/packages/fastify/dist/')), 'the error path of errcodes-core ran the plugin')
  t.notOk(frames('bare-0.error').concat(frames('bare-1.error')).some(frame => frame.includes('/packages/fastify/dist/')), 'bare never did')

  // As `pnpm bench:profile -- DIR …` calls it: pnpm passes the `--` through.
  const out = spawnSync(process.execPath, [table, '--', profiles, 'bare-0.error', 'errcodes-core-0.error'], { encoding: 'utf8' })
  t.equal(out.status, 0, out.stderr)
  t.match(out.stdout, /^\| package \| bare-0\.error \| errcodes-core-0\.error \| last − first \|$/m)
  t.match(out.stdout, /^\| \*\*busy \(every sample but idle\)\*\* \| \*\*\d+\.\d\d\*\* \| \*\*\d+\.\d\d\*\* \| \*\*-?\d+\.\d\d\*\* \|$/m)
  t.match(out.stdout, /^\| @errcodes\/fastify \| 0\.00 \| \d+\.\d\d \| \d+\.\d\d \|$/m, 'the plugin\'s own row, absent from bare')
  const byFunction = spawnSync(process.execPath, [table, profiles, '--by', 'function', '--top', '3', 'errcodes-core-0.error'], { encoding: 'utf8' })
  t.equal(byFunction.status, 0, byFunction.stderr)
  t.equal(byFunction.stdout.trim().split('\n').filter(line => line.startsWith('| ') && !line.startsWith('| function') && !line.startsWith('| **busy')).length, 3, '--top 3: three function rows')
})

t.test('profile-table refuses what it cannot read, with a reason', async t => {
  const dir = t.testdir({ 'requests.json': JSON.stringify({ 'bare.error': 0 }) })
  const cases: Array<[string[], number, RegExp]> = [
    [[], 2, /no folder given\nUsage: pnpm bench:profile/],
    [[dir, '--by', 'file'], 2, /--by takes package or function, not file/],
    [[dir, '--top', '0'], 2, /--top takes a whole number above 0, not 0/],
    [[dir, '--frobnicate'], 2, /unknown option --frobnicate/],
    [[dir, 'errcodes-all.error'], 1, /no profile "errcodes-all\.error" in .* \(bare\.error\)/],
    [[dir, 'bare.error'], 1, /profile "bare\.error" answered no requests/],
    [[join(dir, 'missing')], 1, /ENOENT/]
  ]
  for (const [args, status, message] of cases) {
    const r = spawnSync(process.execPath, [table, ...args], { encoding: 'utf8' })
    t.equal(r.status, status, args.join(' '))
    t.match(r.stderr, message, args.join(' '))
  }
  const help = spawnSync(process.execPath, [table, '--help'], { encoding: 'utf8' })
  t.equal(help.status, 0)
  t.match(help.stdout, /^Usage: pnpm bench:profile -- DIR/)
})
