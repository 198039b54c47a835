#!/usr/bin/env node
// `pnpm bench`: HTTP variants side by side, micro-benchmarks, the memory run; writes latest.md and latest.json.
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluateTargets } from './evaluate-targets.js'
import { forkChild } from './fork-child.js'
import { runHttpSuite } from './http-suite.js'
import { parseOptions } from './parse-options.js'
import { renderMarkdown } from './render-markdown.js'

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
  if (options.help) { log(options.help); return 0 }
  const out = path.resolve(options.out ?? path.join(here, '..', 'results', options.smoke ? 'smoke' : ''))
  const started = Date.now()
  const cpus = os.cpus()
  const meta = {
    date: new Date(started).toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    loadBefore: os.loadavg(),
    command: ['node', path.relative(process.cwd(), process.argv[1]) || process.argv[1], ...process.argv.slice(2)].join(' '),
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
  await stage('micro', () => childResult('micro.js', [String(options.microTime)], [], 600_000))
  await stage('memory', () => childResult('memory.js', [String(options.memoryEvents), String(options.memoryKeys)], ['--expose-gc'], 600_000))
  await stage('http', () => runHttpSuite(options, log))
  meta.loadAfter = os.loadavg()
  meta.seconds = (Date.now() - started) / 1000
  run.targets = evaluateTargets(run)
  const markdown = renderMarkdown(run)
  await mkdir(out, { recursive: true })
  await writeFile(path.join(out, 'latest.json'), JSON.stringify(run, null, 2) + '\n')
  await writeFile(path.join(out, 'latest.md'), markdown + '\n')
  process.stdout.write(markdown + '\n')
  log(`wrote ${path.join(out, 'latest.md')} and latest.json`)
  return failed ? 1 : 0
}

/** Runs a harness script in its own process and returns its data, or its unavailability. */
async function childResult (script, args, execArgv, timeoutMs) {
  const handle = forkChild(path.join(here, script), args, { execArgv, timeoutMs })
  try {
    const answer = await handle.first
    if (answer.type === 'result') return answer.data
    throw new Error(`${script}: ${answer.reason}`)
  } finally {
    await handle.close()
  }
}

main().then((code) => { process.exitCode = code }, (err) => { log(err?.stack ?? String(err)); process.exitCode = 1 })
