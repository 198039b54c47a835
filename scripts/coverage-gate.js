#!/usr/bin/env node
// Per-package coverage gate, run after `tap` by `pnpm test`: tap measures coverage of every test run
// (.tap/), this reads its summary and fails when a package's src/ falls under its floor: 95 % of its
// lines and 95 % of its branches. Exclusions are `/* c8 ignore next|start: <reason> */` comments in the
// source; test/coverage-ignores.test.ts refuses one without a reason.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const FLOORS = { lines: 95, branches: 95 }
const root = fileURLToPath(new URL('..', import.meta.url))

execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/tap/dist/esm/run.mjs', import.meta.url)), 'report', 'json-summary'], { cwd: root, stdio: 'ignore' })
const summary = JSON.parse(readFileSync(new URL('../.tap/report/coverage-summary.json', import.meta.url), 'utf8'))

const packages = new Map()
for (const [file, counts] of Object.entries(summary)) {
  const name = /packages\/([a-z0-9-]+)\/src\//.exec(file)?.[1]
  if (name === undefined) continue
  const p = packages.get(name) ?? { lines: [0, 0], branches: [0, 0] }
  for (const kind of ['lines', 'branches']) { p[kind][0] += counts[kind].covered; p[kind][1] += counts[kind].total }
  packages.set(name, p)
}

let failed = false
for (const [name, p] of [...packages].sort()) {
  const pct = (kind) => p[kind][1] === 0 ? 100 : (100 * p[kind][0]) / p[kind][1]
  const low = Object.keys(FLOORS).filter(kind => pct(kind) < FLOORS[kind])
  console.log(`coverage @errcodes/${name}: lines ${pct('lines').toFixed(2)} %, branches ${pct('branches').toFixed(2)} %${low.length > 0 ? `  ✗ under the floor (${low.join(', ')})` : ''}`)
  if (low.length > 0) failed = true
}
if (packages.size === 0) { console.log('coverage: no package source in the tap coverage report'); failed = true }
process.exitCode = failed ? 1 : 0
