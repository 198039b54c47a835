#!/usr/bin/env node
// `pnpm bench`: HTTP variants side by side, micro-benchmarks, the memory run; writes latest.md and latest.json
// (or, with --invocations N, node-<major>.md and .json with the spread over N separate invocations).
import { spawn } from 'node:child_process'
import { accessSync, constants, rmSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { aggregateRuns, renderAggregate } from './aggregate-runs.js'
import { evaluateTargets } from './evaluate-targets.js'
import { forkChild } from './fork-child.js'
import { makeFolder } from './make-folder.js'
import { runHttpSuite } from './http-suite.js'
import { parseOptions, withoutOptions } from './parse-options.js'
import { allowedCpus, inheritedPlan, measuredLaunch, PINNING_ENV, pinSelf, planPinning } from './pin-cpus.js'
import { renderMarkdown } from './render-markdown.js'
import { resolveNode } from './resolve-node.js'
import { writeResults } from './write-results.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const log = (line) => process.stderr.write(line + '\n')

async function main () {
  let options
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (err) {
    log(err.message)
    return 2
  }
  // Asked for, so on stdout (`pnpm bench -- --help | less`); a usage error goes to stderr with exit 2.
  if (options.help) { process.stdout.write(options.help + '\n'); return 0 }
  let node
  try {
    node = options.node === undefined
      ? { path: process.execPath, version: process.version, v8: process.versions.v8, major: Number(process.versions.node.split('.')[0]) }
      : resolveNode(options.node, { log })
  } catch (err) {
    log(err.message)
    return 2
  }
  options.nodePath = node.path
  if (options.pin) {
    try {
      // An invocation child runs on the load CPUs already: it takes the parent's plan, not its own.
      options.pinning = process.env[PINNING_ENV] === undefined ? planPinning() : inheritedPlan(process.env[PINNING_ENV])
      pinSelf(options.pinning.load)
      process.env[PINNING_ENV] = JSON.stringify(options.pinning)
    } catch (err) {
      log(err.message)
      return 2
    }
  }
  // Node reports a profile directory it cannot create only on the server's stderr, which the harness drops;
  // a results folder that cannot be made would fail only after the whole run.
  const out = path.resolve(options.out ?? path.join(here, '..', 'results', options.smoke ? 'smoke' : ''))
  for (const [name, dir] of [['--profile', options.profile], ['--profile-rounds', options.profileRounds], ['--out', out]]) {
    if (dir === undefined) continue
    try {
      makeFolder(dir)
      accessSync(dir, constants.W_OK)
    } catch (err) {
      log(`option ${name} ${dir}: not a writable directory (${err.code ?? err.message})`)
      return 2
    }
  }
  if (options.invocations !== undefined) return invocations(options, node, out)
  const started = Date.now()
  const cpus = os.cpus()
  const meta = {
    date: new Date(started).toISOString(),
    // The Node the measured code (servers, micro-benchmarks, memory run) ran under.
    node: node.version,
    v8: node.v8,
    nodePath: node.path,
    // autocannon's Node: the load generator, the same whatever --node says.
    harnessNode: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    // Where --pin put each side (the servers report their own CPUs in the http results).
    pinning: options.pinning === undefined ? undefined : { ...options.pinning, harness: allowedCpus() },
    loadBefore: os.loadavg(),
    command: commandLine(),
    cwd: process.cwd()
  }
  const run = { meta, options }
  let failed = false
  const stage = async (name, fn) => {
    if (options.skip.includes(name)) { run[name] = { status: 'skipped', reason: '--skip' }; return }
    log(`== ${name}`)
    try {
      run[name] = await fn()
    } catch (err) {
      failed = true
      run[name] = { status: 'failed', reason: String(err?.stack ?? err) }
      log(`${name} failed: ${err?.stack ?? err}`)
    }
  }
  // The CPUs the micro-benchmarks and the memory run were allowed (with --pin: the servers' CPU).
  meta.measuredCpus = {}
  await stage('micro', () => childResult('micro.js', [String(options.microTime)], [], 600_000, node.path, options.pinning, meta.measuredCpus))
  await stage('memory', () => childResult('memory.js', [String(options.memoryEvents), String(options.memoryKeys)], ['--expose-gc'], 600_000, node.path, options.pinning, meta.measuredCpus))
  await stage('http', () => runHttpSuite(options, log))
  meta.loadAfter = os.loadavg()
  meta.seconds = (Date.now() - started) / 1000
  run.targets = evaluateTargets(run)
  const markdown = renderMarkdown(run)
  await writeResults(path.join(out, 'latest.json'), run, markdown)
  process.stdout.write(markdown + '\n')
  log(`wrote ${path.join(out, 'latest.md')} and latest.json`)
  return failed ? 1 : 0
}

/**
 * `--invocations N`: the same command N times, each a separate process with its own servers (so JIT
 * state, heap layout and the machine's mood differ between them, as between two users' runs); then one
 * file per Node major with each invocation's medians and the spread between them.
 */
async function invocations (options, node, out) {
  const started = Date.now()
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'errcodes-bench-'))
  const args = withoutOptions(process.argv.slice(2), ['--invocations', '--out', '--profile', '--profile-rounds'])
  const runs = []
  let failed = false
  let current
  // Killed (timeout, kill PID), the harness takes the running invocation, and with it its servers, along.
  const stop = (signal) => {
    current?.kill('SIGTERM')
    rmSync(tmp, { recursive: true, force: true })
    process.exit(128 + (os.constants.signals[signal] ?? 15))
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.once(signal, stop)
  try {
    for (let k = 1; k <= options.invocations; k++) {
      log(`=== invocation ${k}/${options.invocations} (Node ${node.version})`)
      const dir = path.join(tmp, `invocation-${k}`)
      // Each invocation's profiles in a folder of its own: the names repeat from one invocation to the next.
      const profile = [['--profile', options.profile], ['--profile-rounds', options.profileRounds]]
        .flatMap(([name, folder]) => folder === undefined ? [] : [name, path.join(folder, `invocation-${k}`)])
      const code = await new Promise((resolve) => {
        current = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args, ...profile, '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] })
        current.on('exit', (c, signal) => resolve(c ?? signal))
      })
      if (code !== 0) failed = true
      try {
        runs.push(JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8')))
      } catch (err) {
        log(`invocation ${k} wrote no results (exit ${code}): ${err.message}`)
        failed = true
      }
    }
  } finally {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.off(signal, stop)
    await rm(tmp, { recursive: true, force: true })
  }
  if (runs.length === 0) return 1
  // The invocations ran with a temporary --out and their own --profile folders: record what was asked.
  const asked = { ...runs[0].options, out: options.out, profile: options.profile, profileRounds: options.profileRounds }
  const aggregate = aggregateRuns(runs, { command: commandLine(), seconds: (Date.now() - started) / 1000, options: asked })
  const markdown = renderAggregate(aggregate)
  const name = `node-${node.major}`
  await writeResults(path.join(out, `${name}.json`), { ...aggregate, runs }, markdown)
  process.stdout.write(markdown + '\n')
  log(`wrote ${path.join(out, name + '.md')} and ${name}.json`)
  return failed ? 1 : 0
}

function commandLine () {
  // Without pnpm's `--`: the recorded command is the one to type with node.
  return ['node', path.relative(process.cwd(), process.argv[1]) || process.argv[1], ...process.argv.slice(2).filter(a => a !== '--')].join(' ')
}

/** Runs a harness script in its own process and returns its data, or its unavailability. */
async function childResult (script, args, execArgv, timeoutMs, execPath, pinning, cpusOf) {
  const handle = forkChild(path.join(here, script), args, { ...measuredLaunch(pinning, execPath, execArgv), timeoutMs })
  try {
    const answer = await handle.first
    cpusOf[script.replace(/\.js$/, '')] = answer.cpus
    if (answer.type === 'result') return answer.data
    throw new Error(`${script}: ${answer.reason}`)
  } finally {
    await handle.close()
  }
}

main().then((code) => { process.exitCode = code }, (err) => { log(err?.stack ?? String(err)); process.exitCode = 1 })
