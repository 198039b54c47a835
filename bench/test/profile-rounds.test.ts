import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { packageOf, selfTimePerRequest } from '../src/profile-table.js'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
const table = fileURLToPath(new URL('../src/profile-table.js', import.meta.url))

interface Profile { nodes: Array<{ callFrame: { functionName: string, url: string } }>, samples: number[] }
interface Result { http: { variants: Record<string, { paths: Record<string, { rounds: Array<{ server: number, requests: number }> }> }> } }

// Through the CLI, with two processes per variant: one profile per process and path, of its measured rounds alone.
t.test('--profile-rounds profiles each process\'s measured rounds per path, and profile-table reads them per request', async t => {
  const dir = t.testdir({})
  const profiles = join(dir, 'profiles')
  const r = spawnSync(process.execPath, [run, '--smoke', '--skip', 'micro,memory', '--only', 'errcodes-core', '--servers', '2', '--rounds', '2', '--requests', '3000', '--warmup', '1', '--out', dir, '--profile-rounds', profiles], { encoding: 'utf8', timeout: 180_000 })
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
  const framesOf = new Map<string, string[]>()
  for (const name of names) {
    const profile = JSON.parse(readFileSync(join(profiles, `${name}.cpuprofile`), 'utf8')) as Profile
    t.ok(profile.samples.length > 0, `${name} has samples`)
    framesOf.set(name, profile.nodes.map(node => `${node.callFrame.functionName} ${node.callFrame.url}`))
  }
  const frames = (name: string): string[] => framesOf.get(name)!
  for (const name of names) {
    t.notOk(frames(name).some(frame => /node:internal\/modules\/esm|buildErrcodes|buildBare/.test(frame)), `${name}: no start-up frames`)
  }
  t.ok(frames('errcodes-core-0.error').concat(frames('errcodes-core-1.error')).some(frame => frame.includes('/packages/fastify/dist/')), 'the error path of errcodes-core ran the plugin')
  t.notOk(frames('bare-0.error').concat(frames('bare-1.error')).some(frame => frame.includes('/packages/fastify/dist/')), 'bare never did')
  // The happy path answers no error: a profile that ran on into or began in the error rounds would hold the handler.
  t.notOk(frames('errcodes-core-0.happy').concat(frames('errcodes-core-1.happy')).some(frame => frame.includes('/packages/fastify/dist/error-handler.js')), 'the happy-path profiles hold no error-path frame')

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

t.test('profile-table refuses what it cannot read, with a reason that names the file', async t => {
  const profile = { nodes: [{ id: 1, callFrame: { functionName: '(root)', url: '' } }], samples: [1, 1], timeDeltas: [5, 5] }
  const root = t.testdir({
    good: { 'requests.json': JSON.stringify({ 'bare.error': 10 }), 'bare.error.cpuprofile': JSON.stringify(profile) },
    zero: { 'requests.json': JSON.stringify({ 'bare.error': 0 }) },
    fraction: { 'requests.json': JSON.stringify({ 'bare.error': 0.001 }) },
    text: { 'requests.json': JSON.stringify({ 'bare.error': '400' }) },
    empty: { 'requests.json': '{}' },
    broken: { 'requests.json': '{"bare.error": 4' },
    climbing: { 'requests.json': JSON.stringify({ '../good/bare.error': 10 }) },
    truncated: { 'requests.json': JSON.stringify({ 'bare.error': 10 }), 'bare.error.cpuprofile': '{"nodes": [' },
    shapeless: { 'requests.json': JSON.stringify({ 'bare.error': 10 }), 'bare.error.cpuprofile': JSON.stringify({ nodes: [], samples: [1], timeDeltas: [] }) },
    unsampled: { 'requests.json': JSON.stringify({ 'bare.error': 10 }), 'bare.error.cpuprofile': JSON.stringify({ ...profile, samples: [1], timeDeltas: [5] }) },
    invocations: { 'invocation-1': {} }
  })
  const dir = join(root, 'good')
  const cases: Array<[string[], number, RegExp]> = [
    [[], 2, /no folder given\nUsage: pnpm bench:profile/],
    [[dir, '--by', 'file'], 2, /--by takes package or function, not file/],
    [[dir, '--top', '0'], 2, /--top takes a whole number from 1 to 999999 in plain digits, not 0/],
    [[dir, '--top=1e3'], 2, /--top takes a whole number from 1 to 999999 in plain digits, not 1e3/],
    [[dir, '--by'], 2, /--by needs a value/],
    [[dir, '-h'], 2, /unknown option -h/],
    [[dir, '--frobnicate'], 2, /unknown option --frobnicate/],
    [[dir, 'errcodes-all.error'], 1, /no profile "errcodes-all\.error" in .* \(bare\.error\)/],
    [[dir, 'toString'], 1, /no profile "toString"/],
    [[join(root, 'missing')], 1, /missing is not a folder/],
    [[join(root, 'zero')], 1, /zero\/requests\.json: the request count of "bare\.error" is not a whole number above 0 \(0\)/],
    [[join(root, 'fraction')], 1, /the request count of "bare\.error" is not a whole number above 0 \(0\.001\)/],
    [[join(root, 'text')], 1, /the request count of "bare\.error" is not a whole number above 0 \("400"\)/],
    [[join(root, 'empty')], 1, /empty\/requests\.json names no profiles/],
    [[join(root, 'broken')], 1, /broken\/requests\.json is not JSON/],
    [[join(root, 'climbing')], 1, /"\.\.\/good\/bare\.error" is not a profile name/],
    [[join(root, 'truncated')], 1, /truncated\/bare\.error\.cpuprofile is not JSON/],
    [[join(root, 'shapeless')], 1, /shapeless\/bare\.error\.cpuprofile is not a V8 CPU profile/],
    [[join(root, 'unsampled')], 1, /unsampled\/bare\.error\.cpuprofile has no samples of the rounds/],
    [[join(root, 'invocations')], 1, /with --invocations each invocation has its own folder/]
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

t.test('selfTimePerRequest leaves out idle samples and the delta before the first sample', async t => {
  const frame = (functionName: string, url = '', scriptId = '0') => ({ functionName, url, scriptId, lineNumber: 0 })
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('handleError', 'file:///x/node_modules/.pnpm/fastify@5.0.0/node_modules/fastify/lib/reply.js', '7') },
      { id: 4, callFrame: frame('post', 'node:inspector', '9') }
    ],
    // The first sample (the profiler's own start, 150 ms before it) is not counted.
    samples: [4, 3, 2, 3],
    timeDeltas: [150_000, 1_000, 5_000, 1_000]
  }
  t.same([...selfTimePerRequest(profile, 10, 'package')], [['fastify', 200]], '2 ms of fastify over 10 requests; no idle, no start')
})

t.test('packageOf groups frames by package, workspace folder, Node module, native or generated code', async t => {
  const root = pathToFileURL('/home/me/packages/errcodes/').href
  const cases: Array<[{ url: string, functionName: string, scriptId: string }, string]> = [
    [{ url: `${root}node_modules/.pnpm/@opentelemetry+sdk-trace-base@2.0.0/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js`, functionName: 'setAttribute', scriptId: '5' }, '@opentelemetry/sdk-trace-base'],
    [{ url: `${root}node_modules/.pnpm/fastify@5.0.0/node_modules/fastify/lib/reply.js`, functionName: 'send', scriptId: '5' }, 'fastify'],
    // A checkout under a folder named packages: the workspace package is the one under the root.
    [{ url: `${root}packages/tracing/dist/create-tracing.js`, functionName: 'startRequest', scriptId: '5' }, '@errcodes/tracing'],
    [{ url: `${root}bench/src/variants.js`, functionName: '', scriptId: '5' }, 'bench (the route handlers)'],
    [{ url: `${root}examples/fastify-demo/src/app.js`, functionName: 'build', scriptId: '5' }, 'examples'],
    [{ url: 'node:internal/streams/writable', functionName: 'write', scriptId: '5' }, 'node:internal (streams, timers, …)'],
    [{ url: 'node:_http_server', functionName: 'resOnFinish', scriptId: '5' }, 'node:_http_server'],
    [{ url: '', functionName: 'writeUtf8String', scriptId: '0' }, 'native writeUtf8String'],
    [{ url: '', functionName: '(garbage collector)', scriptId: '0' }, '(garbage collector)'],
    [{ url: '', functionName: 'check', scriptId: '925' }, 'generated code check']
  ]
  for (const [frame, expected] of cases) t.equal(packageOf(frame, root), expected, `${frame.url || frame.functionName}`)
})
