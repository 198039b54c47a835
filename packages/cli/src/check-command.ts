import { isAbsolute, relative } from 'node:path'
import { builtinErrors, overrideCatalog } from '@errcodes/core'
import { checkLocales } from '@errcodes/i18n'
import { EXIT_FINDING, EXIT_OK, messageOf, usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { loadCatalog } from './load-catalog.js'
import { localesFolder } from './read-locales.js'
import { parseCommandArgs, stringFlag } from './parse-command-args.js'

/** Help text of `errcodes check`. */
export const CHECK_HELP = `Usage: errcodes check <module> [--locales <dir>] [--default-locale <tag>] [--builtins] [--strict] [--json]

Loads the catalog that <module> exports (defineErrors checks every entry while it loads), checks that
it merges with the built-in entries, and with --locales runs the @errcodes/i18n locale checker over
the folder (the same reader and limits as createI18n). Exit status: 0 valid, 1 problems found, 2 trouble.

Options:
  --locales <dir>          directory of <locale>.json message files to check against the catalog
  --default-locale <tag>   the locale every key must exist in (default: en)
  --builtins               count @errcodes/i18n's shipped messages as present under yours
  --strict                 warnings fail too (exit 1)
  --json                   print the findings as JSON
  -h, --help               show this help
`

/** One problem found by `check`; the shape the @errcodes/i18n checker returns too. */
export interface CheckFinding {
  readonly file?: string
  readonly key?: string
  readonly problem: string
  readonly severity: 'error' | 'warning'
}

/** `errcodes check <module>`: exit 1 when the catalog or its locale files have an error. */
export async function checkCommand (args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, {
    locales: { type: 'string' },
    'default-locale': { type: 'string' },
    builtins: { type: 'boolean' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' }
  }, ['<module>'])
  if (values.help === true) {
    io.stdout(CHECK_HELP)
    return EXIT_OK
  }
  const localesDir = stringFlag('check', values, 'locales')
  const defaultLocale = stringFlag('check', values, 'default-locale') ?? 'en'
  const loaded = await loadCatalog(positionals[0], io.cwd)
  const { catalog } = loaded
  const findings: CheckFinding[] = []
  try {
    overrideCatalog(builtinErrors, catalog)
  } catch (err) {
    findings.push({ problem: `${messageOf(err)} (the Fastify plugin merges the built-in entries the same way)`, severity: 'error' })
  }
  for (const entry of catalog.list()) {
    if (entry.description === undefined) findings.push({ key: entry.name, problem: `${entry.name} has no description for the generated docs`, severity: 'warning' })
  }
  if (localesDir !== undefined) {
    const dir = await localesFolder(localesDir, io.cwd)
    let result
    try {
      result = checkLocales({ catalog, dir, defaultLocale, builtins: values.builtins === true })
    } catch (err) {
      // checkLocales throws only for a bad option (the default locale); bad files are findings.
      throw usageError('check', `cannot check --locales ${localesDir}: ${messageOf(err)}`)
    }
    for (const f of result) {
      findings.push({
        file: isAbsolute(f.file) ? relative(io.cwd, f.file) : f.file,
        ...(f.key === undefined ? {} : { key: f.key }),
        problem: f.problem,
        severity: f.severity
      })
    }
  }
  const errors = findings.filter(f => f.severity === 'error').length
  const failing = values.strict === true ? findings.length : errors
  const summary = { module: positionals[0], codes: catalog.list().length, domains: catalog.domains().length, errors, warnings: findings.length - errors, findings }
  io.stdout(values.json === true ? JSON.stringify(summary, null, 2) + '\n' : formatCheck(summary))
  return failing > 0 ? EXIT_FINDING : EXIT_OK
}

function formatCheck (s: { module: string, codes: number, domains: number, errors: number, warnings: number, findings: CheckFinding[] }): string {
  const lines = [`errcodes check ${s.module}: ${s.codes} codes in ${s.domains} domains`]
  for (const f of [...s.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))) {
    const where = [f.file, f.key].filter(Boolean).join(' ')
    lines.push(`  ${f.severity === 'error' ? '✗ error  ' : '! warning'} ${where === '' ? '' : where + ': '}${f.problem}`)
  }
  lines.push(s.errors > 0 ? `✗ ${s.errors} error(s), ${s.warnings} warning(s)` : `✓ catalog is valid${s.warnings > 0 ? ` (${s.warnings} warning(s))` : ''}`)
  return lines.join('\n') + '\n'
}
