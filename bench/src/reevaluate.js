#!/usr/bin/env node
// `node bench/src/reevaluate.js FILE.json ...`: recomputes the targets of results already on record from
// what they hold (each variant's medians, the rounds where a row compares two variants, the
// micro-benchmarks and the memory run), and rewrites the .json and .md beside them. A target is a
// function of what was measured: a row added to evaluate-targets.js needs no new run.
import { fileURLToPath } from 'node:url'
import { aggregateRuns, renderAggregate } from './aggregate-runs.js'
import { evaluateTargets } from './evaluate-targets.js'
import { readResults } from './read-results.js'
import { renderMarkdown } from './render-markdown.js'
import { writeResults } from './write-results.js'

/** The file's results with every target evaluated again: a per-Node aggregate (with `runs`) or one run. */
export function reevaluate (results) {
  if (!Array.isArray(results.runs)) return { ...results, targets: evaluateTargets(results) }
  const runs = results.runs.map(run => ({ ...run, targets: evaluateTargets(run) }))
  return { ...aggregateRuns(runs, { command: results.meta.command, seconds: results.meta.seconds, options: results.meta.options }), runs }
}

async function main (files) {
  if (files.length === 0) { process.stderr.write('usage: node bench/src/reevaluate.js results/node-24.json ...\n'); return 2 }
  // Every file is read and checked before any is written: one bad file leaves all of them as they were.
  const done = []
  for (const file of files) {
    try {
      const recorded = await readResults(file)
      const results = reevaluate(recorded)
      done.push({ file, results, markdown: Array.isArray(results.runs) ? renderAggregate(results) : renderMarkdown(results) })
    } catch (err) {
      process.stderr.write(`${file}: ${err.message}\n`)
      return 2
    }
  }
  for (const { file, results, markdown } of done) {
    await writeResults(file, results, markdown)
    process.stderr.write(`re-evaluated ${file} and its .md\n`)
  }
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2)).then(code => { process.exitCode = code })
