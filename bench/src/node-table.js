#!/usr/bin/env node
// `pnpm bench:table`: one markdown table of every per-Node results file (results/node-*.json) side by
// side, the table the root README quotes.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readResults } from './read-results.js'
import { fix, roundsText, show } from './render-markdown.js'

const here = path.dirname(fileURLToPath(import.meta.url))

/** Markdown of the targets and ratios of several aggregates (one per Node major), side by side. */
export function renderNodeTable (aggregates) {
  const sorted = [...aggregates].sort((a, b) => major(a) - major(b))
  const heads = sorted.map(a => `Node ${a.meta.node.replace(/^v/, '')}`)
  const out = []
  out.push('| Target | Limit | ' + heads.join(' | ') + ' |', '|---|---|' + heads.map(() => '---|').join(''))
  const names = [...new Set(sorted.flatMap(a => a.targets.map(t => baseName(t.name))))]
  for (const name of names) {
    const cells = sorted.map(a => {
      const t = a.targets.find(x => baseName(x.name) === name)
      if (t === undefined || t.value.median === null) return 'n/a'
      const n = a.meta.invocations.length
      const cpu = t.cpuValue === undefined || t.cpuValue.median === null ? '' : `; CPU ${range(t.cpuValue, t.unit)} (${t.cpuPasses}/${n})`
      return `${range(t.value, t.unit)} (${t.passes}/${n})${cpu}`
    })
    const limits = [...new Set(sorted.map(a => a.targets.find(x => baseName(x.name) === name)).filter(Boolean).map(t => `${t.op} ${show(t.limit, t.unit)}`))]
    out.push(`| ${name} | ${limits.join(' / ')} | ${cells.join(' | ')} |`)
  }
  out.push('')
  out.push('| Variant | ' + sorted.flatMap(a => [`${head(a)} error × bare (CPU µs/req)`, `${head(a)} happy × bare (CPU µs/req)`]).join(' | ') + ' |',
    '|---|' + sorted.flatMap(() => ['---:|', '---:|']).join(''))
  const variants = [...new Set(sorted.flatMap(a => Object.keys(a.variants)))]
  for (const v of variants) {
    const cells = sorted.flatMap(a => ['error', 'happy'].map(p => {
      const x = a.variants[v]?.paths[p]
      return x === undefined || x.ratio.median === null ? '–' : `${range(x.ratio, '×')} (${fix(x.cpuUsPerRequest.median, 1)})`
    }))
    out.push(`| ${v} | ${cells.join(' | ')} |`)
  }
  // Files measured with different options (one server process per variant before --servers) say so.
  out.push('', ...sorted.map(a => `- ${head(a)}: ${a.meta.invocations.length} invocations, each ${roundsText(a.meta.options)}${a.meta.pinning === undefined ? '' : ', pinned (`--pin`)'}${a.meta.options.logger ? ', servers logging through pino (`--logger`)' : ''}${a.meta.options.smoke ? ', smoke mode' : ''}`))
  return out.join('\n')
}

// The tracing targets carry the Node major in their name; the table lines them up without it.
function baseName (name) { return name.replace(/ \(Node [^)]*limit\)$/, '') }
function major (a) { return Number(/^v(\d+)/.exec(a.meta.node)?.[1] ?? 0) }
function head (a) { return `Node ${major(a)}` }
function range (s, unit) { return `${show(s.median, unit)} [${show(s.min, unit)}–${show(s.max, unit)}]` }

const USAGE = 'Usage: pnpm bench:table [-- DIR]   (DIR: a folder of node-<major>.json files; default bench/results)'

async function main () {
  // `pnpm bench:table -- DIR` passes the `--` on.
  const args = process.argv.slice(2).filter(a => a !== '--')
  if (args.includes('--help') || args.includes('-h')) { process.stdout.write(USAGE + '\n'); return 0 }
  if (args.length > 1 || args[0]?.startsWith('-')) { process.stderr.write(`${args.length > 1 ? 'one folder at most' : `unknown option ${args[0]}`}\n${USAGE}\n`); return 2 }
  const dir = path.resolve(args[0] ?? path.join(here, '..', 'results'))
  let files
  try {
    files = (await readdir(dir)).filter(f => /^node-\d+\.json$/.test(f))
  } catch (err) {
    process.stderr.write(`${dir}: ${err.code === 'ENOENT' ? 'no such folder' : err.code === 'ENOTDIR' ? 'not a folder' : err.message}\n${USAGE}\n`)
    return 2
  }
  if (files.length === 0) { process.stderr.write(`no node-*.json in ${dir}: run pnpm bench -- --node N --invocations 3 first\n`); return 1 }
  const aggregates = []
  for (const f of files) {
    const file = path.join(dir, f)
    try {
      const recorded = await readResults(file)
      if (!Array.isArray(recorded.runs)) throw new Error('one run, not a per-Node file (pnpm bench -- --node N --invocations 3 writes those)')
      aggregates.push(recorded)
    } catch (err) {
      process.stderr.write(`${file}: ${err.message}\n`)
      return 2
    }
  }
  process.stdout.write(renderNodeTable(aggregates) + '\n')
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main().then(code => { process.exitCode = code })
