import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))

// Options are checked before anything starts: a bad one exits 2 with a message naming it.
function cli (...args: string[]): { status: number | null, stdout: string, stderr: string } {
  const r = spawnSync(process.execPath, [run, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const bad: Array<[string[], RegExp]> = [
  [['--rounds', '0'], /option --rounds must be a whole number from 1 to 100/],
  [['--rounds', '2.5'], /option --rounds must be a whole number from 1 to 100 \(got "2.5"\)/],
  [['--servers', '0'], /option --servers must be a whole number from 1 to 10/],
  [['--servers', '4', '--rounds', '3'], /option --servers 4 needs at least 4 rounds \(--rounds is 3\)/],
  [['--smoke', '--servers', '3'], /option --servers 3 needs at least 3 rounds \(--rounds is 2, from --smoke\)/],
  [['--servers', '--skip', 'micro'], /option --servers needs a value/],
  [['--requests', '100', '--duration', '2'], /options --duration and --requests exclude each other/],
  [['--profile', '/etc/passwd/x'], /option --profile \/etc\/passwd\/x: not a writable directory \(ENOTDIR\)/],
  [['--profile-rounds='], /option --profile-rounds needs a folder/],
  [['--profile-rounds', '/etc/passwd/x'], /option --profile-rounds \/etc\/passwd\/x: not a writable directory \(ENOTDIR\)/],
  // Under /proc Node's recursive mkdir never returns: these would hang (the spawn's 30 s timeout) without make-folder.js.
  [['--profile-rounds', '/proc/errcodes-bench/x'], /option --profile-rounds \/proc\/errcodes-bench\/x: not a writable directory \((ENOENT|EACCES)\)/],
  [['--out', '/proc/errcodes-bench/x'], /option --out \/proc\/errcodes-bench\/x: not a writable directory \((ENOENT|EACCES)\)/],
  [['--duration', 'abc'], /option --duration must be a whole number from 1 to 600/],
  [['--duration', '2.5'], /option --duration must be a whole number/],
  [['--warmup', '-1'], /option --warmup must be a whole number from 0/],
  [['--connections', '0'], /option --connections must be a whole number from 1/],
  [['--pipelining', '1000'], /option --pipelining must be a whole number from 1 to 100/],
  [['--requests', '0'], /option --requests must be a whole number from 1/],
  [['--micro-time', 'x'], /option --micro-time must be a whole number/],
  [['--rounds', '0x3'], /option --rounds must be a whole number from 1 to 100 \(got "0x3"\)/],
  [['--servers', '2e0'], /option --servers must be a whole number/],
  [['--duration', ''], /option --duration must be a whole number/],
  [['--rounds=+3'], /option --rounds must be a whole number/],
  [['--only', 'bare', '--only', 'errcodes-core'], /option --only is given twice/],
  [['--rounds', '3', '--rounds=4'], /option --rounds is given twice/],
  [['--memory-events', '0'], /option --memory-events must be a whole number from 1/],
  [['--memory-keys', '1e9'], /option --memory-keys must be a whole number from 1 to 1000000/],
  [['--only', ','], /option --only needs a comma-separated list/],
  [['--only', 'bare,express'], /option --only: unknown variant "express"/],
  [['--skip', 'disk'], /option --skip: unknown stage "disk"/],
  [['--out'], /option --out needs a value/],
  [['--fast'], /unknown option --fast/],
  [['--pin=1'], /option --pin takes no value/],
  [['--smoke=yes'], /option --smoke takes no value/],
  [['--invocations', '0'], /option --invocations must be a whole number from 1 to 20/],
  [['--server-flags', ' '], /option --server-flags needs one or more Node or V8 flags/],
  [['--server-flags', '--perf-basic-prof perf'], /option --server-flags: "perf" is not a flag/],
  [['--node', ''], /option --node needs a path to a node binary or a major version/],
  [['--node', '/nonexistent/bin/node'], /--node \/nonexistent\/bin\/node: no executable file there/]
]

for (const [args, message] of bad) {
  t.test(`rejects ${args.join(' ')}`, async t => {
    const r = cli(...args)
    t.equal(r.status, 2)
    t.match(r.stderr, message)
  })
}

t.test('--help prints the usage on stdout and exits 0', async t => {
  const r = cli('--help')
  t.equal(r.status, 0)
  t.match(r.stdout, /Usage: pnpm bench/)
  t.equal(r.stderr, '')
})

t.test('--help anywhere but as a value wins over a mistake elsewhere on the line', async t => {
  for (const args of [['--rounds=', '--help'], ['--rounds', '0', '-h'], ['--only', 'nosuch', '--help']]) {
    const r = cli(...args)
    t.equal(r.status, 0, args.join(' '))
    t.match(r.stdout, /^Usage: pnpm bench/, args.join(' '))
  }
  // The value of --server-flags is flags: it is not asking for help.
  const r = cli('--server-flags', '--help', '--rounds', '0')
  t.equal(r.status, 2)
  t.match(r.stderr, /option --rounds must be a whole number/)
})

t.test('withoutOptions drops the named options and keeps every other option\'s value, whatever it looks like', async t => {
  const { withoutOptions } = await import('../src/parse-options.js')
  const names = ['--invocations', '--out', '--profile', '--profile-rounds']
  t.same(withoutOptions(['--invocations', '3', '--rounds', '2', '--out=/tmp/x', '--profile', 'P', '--smoke'], names), ['--rounds', '2', '--smoke'])
  t.same(withoutOptions(['--server-flags', '--out', '--invocations=2', '--out', 'o'], names), ['--server-flags', '--out'], 'a --server-flags value of --out stays, the real --out goes')
  t.same(withoutOptions(['--server-flags', '--cpu-prof --profile', '--profile-rounds', 'R', '--only', 'bare'], names), ['--server-flags', '--cpu-prof --profile', '--only', 'bare'])
})

// The flags reach every server process: with --cpu-prof each server writes a profile where it is told to.
t.test('--server-flags are passed to the server processes', async t => {
  const dir = t.testdir({})
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--out', dir, '--server-flags', `--cpu-prof --cpu-prof-dir=${dir}`], { encoding: 'utf8', timeout: 120_000 })
  t.equal(r.status, 0, r.stderr.slice(-2000))
  // Under tap a loader thread may write profiles of its own: the servers' are those that ran server.js.
  const servers = readdirSync(dir).filter(f => f.endsWith('.cpuprofile')).filter(f => {
    const profile = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nodes: Array<{ callFrame: { url: string } }> }
    return profile.nodes.some(n => n.callFrame.url.endsWith('/bench/src/server.js'))
  })
  t.equal(servers.length, 2, 'one profile per server: bare and errcodes-core')
})

// bench/README.md's options table and --help name the same options (--help itself aside).
t.test('the README options table lists exactly the options --help lists', async t => {
  const lines = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8').split('\n')
  const at = lines.findIndex(l => l.startsWith('| Option | Default | Meaning |'))
  t.ok(at >= 0, 'the table is there')
  const documented: string[] = []
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break
    documented.push(...[...(line.split('|')[1] ?? '').matchAll(/--[a-z-]+/g)].map(m => m[0]))
  }
  const help = cli('--help').stdout
  const listed = [...help.matchAll(/^\s+(--[a-z-]+)/gm)].map(m => m[1]).filter(o => o !== '--help')
  t.ok(listed.length > 10, 'the usage lists the options')
  t.same([...documented].sort(), [...listed].sort())
})
