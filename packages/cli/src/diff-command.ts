import type { CatalogExport } from '@errcodes/core'
import { EXIT_FINDING, EXIT_OK, usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { diffCatalogs, type CatalogChange, type CatalogDiff } from './diff-catalogs.js'
import { loadCatalog } from './load-catalog.js'
import { parseCommandArgs, stringFlag } from './parse-command-args.js'
import { readExport } from './read-export.js'

/** Help text of `errcodes diff`. */
export const DIFF_HELP = `Usage: errcodes diff <old.json> <new.json> [--json]
       errcodes diff --baseline <old.json> <module> [--json]

Compares two catalog exports (written by \`errcodes export\`) as an API contract and lists breaking
and non-breaking changes. With --baseline, the new side is the current catalog of <module>.
Exit status: 0 no breaking change, 1 breaking changes found, 2 trouble (bad usage or input).

Options:
  --baseline <file>   the committed export to compare <module>'s catalog against
  --json              print the result as JSON ({ breaking, nonBreaking })
  --builtins          with --baseline: include the built-in entries (use it if the baseline was
                      exported with --builtins)
  -h, --help          show this help
`

/** `errcodes diff`: exit 1 when the new catalog breaks the old contract. */
export async function diffCommand (args: readonly string[], io: CliIo): Promise<number> {
  const baselineMode = args.some(a => a === '--baseline' || a.startsWith('--baseline='))
  const { values, positionals } = parseCommandArgs('diff', args, {
    baseline: { type: 'string' },
    json: { type: 'boolean' },
    builtins: { type: 'boolean' }
  }, baselineMode ? ['<module>'] : ['<old.json>', '<new.json>'])
  if (values.help === true) {
    io.stdout(DIFF_HELP)
    return EXIT_OK
  }
  let before: CatalogExport
  let after: CatalogExport
  let labels: [string, string]
  const baseline = stringFlag('diff', values, 'baseline')
  if (!baselineMode && values.builtins === true) throw usageError('diff', '--builtins only applies with --baseline')
  if (baselineMode) {
    if (baseline === undefined) throw usageError('diff', '--baseline needs a file')
    before = await readExport(baseline, io.cwd)
    // Round-trip through JSON, so both sides are compared exactly as a committed file would hold them.
    after = JSON.parse(JSON.stringify((await loadCatalog(positionals[0], io.cwd, { builtins: values.builtins === true })).catalog.toJSON())) as CatalogExport
    labels = [baseline, positionals[0]]
  } else {
    before = await readExport(positionals[0], io.cwd)
    after = await readExport(positionals[1], io.cwd)
    labels = [positionals[0], positionals[1]]
  }
  const diff = diffCatalogs(before, after)
  io.stdout(values.json === true ? JSON.stringify(diff, null, 2) + '\n' : formatDiff(diff, labels))
  return diff.breaking.length > 0 ? EXIT_FINDING : EXIT_OK
}

/** The readable report: a summary line, then each change on its own line under its heading. */
export function formatDiff (diff: CatalogDiff, [from, to]: [string, string]): string {
  const lines = [`errcodes diff ${from} → ${to}: ${count(diff.breaking.length, 'breaking change')}, ${count(diff.nonBreaking.length, 'non-breaking change')}`]
  const section = (title: string, mark: string, changes: readonly CatalogChange[]): void => {
    if (changes.length === 0) return
    lines.push('', `${title}:`)
    for (const c of changes) lines.push(`  ${mark} [${c.kind}] ${c.message}`)
  }
  section('Breaking', '✗', diff.breaking)
  section('Non-breaking', '·', diff.nonBreaking)
  if (diff.breaking.length > 0) lines.push('', 'Clients written against the old catalog may break. Keep the old codes (deprecate them) or release a new major version.')
  return lines.join('\n') + '\n'
}

function count (n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}
