#!/usr/bin/env node
// `node bench/src/reevaluate.js FILE.json ...`: recomputes the targets of results already on record from
// their recorded rounds, micro-benchmarks and memory run, and rewrites the .json and .md beside them. A
// target is a function of what was measured: a row added to evaluate-targets.js needs no new run.
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { aggregateRuns, renderAggregate } from './aggregate-runs.js'
import { evaluateTargets } from './evaluate-targets.js'
import { renderMarkdown } from './render-markdown.js'

/** The file's results with every target evaluated again: a per-Node aggregate (with `runs`) or one run. */
export function reevaluate (results) {
  if (!Array.isArray(results.runs)) return { ...results, targets: evaluateTargets(results) }
  const runs = results.runs.map(run => ({ ...run, targets: evaluateTargets(run) }))
  return { ...aggregateRuns(runs, { command: results.meta.command, seconds: results.meta.seconds }), runs }
}

async function main (files) {
  if (files.length === 0) { process.stderr.write('usage: node bench/src/reevaluate.js results/node-24.json ...\n'); return 2 }
  for (const file of files) {
    if (!file.endsWith('.json')) { process.stderr.write(`${file}: not a .json results file\n`); return 2 }
    const results = reevaluate(JSON.parse(await readFile(file, 'utf8')))
    const markdown = Array.isArray(results.runs) ? renderAggregate(results) : renderMarkdown(results)
    await writeFile(file, JSON.stringify(results, null, 2) + '\n')
    await writeFile(file.replace(/\.json$/, '.md'), markdown + '\n')
    process.stderr.write(`re-evaluated ${file} and its .md\n`)
  }
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2)).then(code => { process.exitCode = code })
