import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './workspace-packages.js'
import { DEFINE_ERRORS_KEYS } from '../packages/core/src/catalog.js'
import { CREATE_KEYS, DEFINITION_KEYS } from '../packages/core/src/error-entry.js'
import { CONTEXT_KEYS } from '../packages/core/src/format-error.js'
import { OPTION_KEYS as FASTIFY } from '../packages/fastify/src/options.js'
import { OPTION_KEYS as I18N } from '../packages/i18n/src/options.js'
import { OPTION_KEYS as METRICS } from '../packages/metrics/src/options.js'
import { FLEET_KEYS } from '../packages/metrics/src/fleet-options.js'
import { SENTRY_KEYS } from '../packages/metrics/src/sentry-options.js'
import { OPTION_KEYS as TRACING } from '../packages/tracing/src/options.js'

// Each package README's options table lists exactly the keys its validator accepts: an option the
// README documents is never refused as unknown, and one the validator takes is never undocumented.

/** The option names in the first column of the table that starts at the first line matching `start`. */
function tableKeys (readme: string, start: RegExp): string[] {
  const lines = readme.split('\n')
  const at = lines.findIndex(l => start.test(l))
  if (at < 0) return []
  const keys: string[] = []
  let inTable = false
  for (const line of lines.slice(at)) {
    if (!line.startsWith('|')) {
      if (inTable) break
      continue
    }
    inTable = true
    if (/^\|\s*:?-/.test(line)) { keys.length = 0; continue } // the row above was the header
    // Every `name` in the first cell: `dsn` / `client`, `environment`, `release`.
    const cell = line.split('|')[1] ?? ''
    keys.push(...[...cell.matchAll(/`([A-Za-z0-9]+)`/g)].map(m => m[1]))
  }
  return keys
}

const readme = (pkg: string): string => readFileSync(join(ROOT, 'packages', pkg, 'README.md'), 'utf8')
const sorted = (keys: readonly string[]): string[] => [...keys].sort()

const tables: Array<{ name: string, pkg: string, start: RegExp, keys: readonly string[] }> = [
  { name: 'errorCodes (register)', pkg: 'fastify', start: /^## Options/, keys: FASTIFY },
  { name: 'createI18n', pkg: 'i18n', start: /^## Options/, keys: I18N },
  { name: 'createMetrics', pkg: 'metrics', start: /^## Options/, keys: METRICS },
  { name: 'createMetrics fleet', pkg: 'metrics', start: /^\| `fleet\.` \|/, keys: FLEET_KEYS },
  { name: 'createMetrics sentry', pkg: 'metrics', start: /^\| `sentry` option \|/, keys: SENTRY_KEYS },
  { name: 'createTracing', pkg: 'tracing', start: /^## Options/, keys: TRACING }
]

for (const table of tables) {
  t.test(`${table.name}: the README table lists exactly the options the validator accepts`, async t => {
    const documented = tableKeys(readme(table.pkg), table.start)
    t.ok(documented.length > 0, `a table was found in packages/${table.pkg}/README.md`)
    t.same(sorted(documented), sorted(table.keys))
  })
}

// Core's options live in one table, a row per function: its second cell lists the keys.
const coreRows: Array<{ row: string, keys: readonly string[] }> = [
  { row: '`defineErrors(defs, options)`', keys: DEFINE_ERRORS_KEYS },
  { row: '`defineErrors` entry', keys: DEFINITION_KEYS },
  { row: '`entry.create(params, options)`', keys: CREATE_KEYS },
  { row: '`formatError(err, context)`', keys: CONTEXT_KEYS }
]

for (const { row, keys } of coreRows) {
  t.test(`core ${row}: the README row lists exactly the keys the check accepts`, async t => {
    const line = readme('core').split('\n').find(l => l.startsWith(`| ${row} |`))
    t.ok(line, `a row ${row} was found in packages/core/README.md`)
    const documented = [...(line?.split('|')[2] ?? '').matchAll(/`([A-Za-z0-9]+)`/g)].map(m => m[1])
    t.same(sorted(documented), sorted(keys))
  })
}
