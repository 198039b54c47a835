import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pairMedian } from '../src/http-suite.js'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))

interface Round { server: number, position: number }
interface Result { options: { servers: number }, http: { variants: Record<string, { servers: Array<{ cpus?: string }>, paths: Record<string, { rounds: Round[] }> }> } }

// Through the CLI: each variant runs in two processes and the rounds take turns between them.
t.test('--servers 2 starts two processes per variant and measures them in turn', async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--servers', '2', '--rounds', '4', '--out', dir, '--profile', dir], { encoding: 'utf8', timeout: 180_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Result
  t.equal(result.options.servers, 2)
  for (const name of ['bare', 'errcodes-core']) {
    const v = result.http.variants[name]
    t.equal(v.servers.length, 2, `${name}: two processes reported their CPUs`)
    for (const path of ['error', 'happy']) t.same(v.paths[path].rounds.map(round => round.server), [0, 1, 0, 1], `${name} ${path}: rounds alternate between the processes`)
  }
  // Each process pair is measured once in each order: bare first, then second on process 0 (rounds 1 and 3).
  for (const path of ['error', 'happy']) t.same(result.http.variants.bare.paths[path].rounds.map(round => round.position), [0, 1, 1, 0], `${path}: who goes first moves on at every visit`)
  // Each process wrote its own profile on exit: two processes per variant really ran.
  const profiles = readdirSync(dir).filter(f => f.endsWith('.cpuprofile')).sort()
  t.same(profiles, ['bare-0.cpuprofile', 'bare-1.cpuprofile', 'errcodes-core-0.cpuprofile', 'errcodes-core-1.cpuprofile'], 'named by the server number the rounds carry')
  t.match(readFileSync(join(dir, 'latest.md'), 'utf8'), '- Options: 4 rounds × 200 requests per variant and path, on 2 server processes per variant (round r on process r mod 2)')
})

t.test('the default is three processes per variant, never more than the rounds; a smoke run uses one', async t => {
  const help = spawnSync(process.execPath, [run, '--help'], { encoding: 'utf8' })
  t.match(help.stdout, /--servers N\s+server processes per variant, 1 to 10 \(default 3, smoke: 1, at most the\s+rounds\)/)
  const cases: Array<[string[], number]> = [
    [['--smoke'], 1],
    // Not a smoke run: without --servers, two rounds get two processes, not an unmeasured third.
    [['--rounds', '2', '--requests', '100', '--warmup', '0', '--connections', '4'], 2]
  ]
  for (const [args, servers] of cases) {
    const dir = t.testdir({})
    const r = spawnSync(process.execPath, [run, ...args, '--skip', 'micro,memory', '--only', 'errcodes-core', '--out', dir], { encoding: 'utf8', timeout: 120_000 })
    t.equal(r.status, 0, r.stderr.slice(-2000))
    const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Result
    t.equal(result.options.servers, servers, `${args.join(' ')}: ${servers} per variant`)
    t.equal(result.http.variants.bare.servers.length, servers)
  }
})

t.test('medians are taken per process pair first, so a pair with more rounds weighs no more', async t => {
  const rounds = [{ server: 0, v: 1 }, { server: 1, v: 5 }, { server: 2, v: 6 }, { server: 0, v: 1.5 }, { server: 1, v: 5.5 }]
  // Pairs: 1.25, 5.25, 6 → 5.25 (the plain median of the five rounds would be 5).
  t.equal(pairMedian(rounds, r => r.v), 5.25)
  t.equal(pairMedian([{ v: 3 }, { v: 1 }, { v: 2 }], (r: { v: number }) => r.v), 2, 'rounds without a server: the plain median')
  t.equal(pairMedian([{ server: 0, v: null }], (r: { v: null }) => r.v), null, 'nothing measured')
})

// Killed with SIGTERM (timeout, kill PID), an --invocations run takes its invocation and the servers along.
t.test('killing an --invocations run leaves no invocation or server behind', async t => {
  const { spawn, execFileSync } = await import('node:child_process')
  const child = spawn(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--invocations', '2', '--out', t.testdir({})], { stdio: 'ignore' })
  const descendants = (pid: number): number[] => {
    let kids: number[] = []
    try { kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number) } catch {}
    return kids.flatMap(k => [k, ...descendants(k)])
  }
  let seen: number[] = []
  for (let i = 0; i < 100 && seen.length < 3; i++) {
    await new Promise(resolve => setTimeout(resolve, 200))
    seen = descendants(child.pid as number)
  }
  t.ok(seen.length >= 3, `an invocation and its servers were running (${seen.length} processes)`)
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  child.kill('SIGTERM')
  t.equal(await exited, 143, 'the harness exits as killed by SIGTERM')
  // A server gives its app 3 s to close before it exits: poll past that (a loaded CI machine raced a fixed
  // 3 s wait), and count a zombie (exited, not yet reaped by its new parent) as gone.
  const running = (pid: number): boolean => {
    try { process.kill(pid, 0) } catch { return false }
    try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) } catch { return false }
  }
  let alive = seen.filter(running)
  for (let i = 0; i < 60 && alive.length > 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 250))
    alive = alive.filter(running)
  }
  t.same(alive, [], 'none of them is left running')
})
