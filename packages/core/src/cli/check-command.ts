import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { builtinErrors } from '../builtin-errors.js'
import { overrideCatalog, type Catalog } from '../catalog.js'
import { CliError, EXIT_FINDING, EXIT_OK, messageOf } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { loadCatalog } from './load-catalog.js'
import { parseCommandArgs, stringFlag } from './parse-command-args.js'

/** Help text of `errcodes check`. */
export const CHECK_HELP = `Usage: errcodes check <module> [--locales <dir>] [--default-locale <tag>] [--json]

Loads the catalog that <module> exports (defineErrors checks every entry while it loads), checks that
it merges with the built-in entries, and with --locales runs the @errcodes/i18n locale checker
(install @errcodes/i18n for that). Exit status: 0 valid, 1 problems found, 2 trouble.

Options:
  --locales <dir>          directory of <locale>.json message files to check against the catalog
  --default-locale <tag>   the locale every key must exist in (default: en)
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

type CheckLocales = (options: { catalog: Catalog, dir: string, defaultLocale: string }) => unknown

/** `errcodes check <module>`: exit 1 when the catalog or its locale files have an error. */
export async function checkCommand (args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, {
    locales: { type: 'string' },
    'default-locale': { type: 'string' },
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
    const checkLocales = await importLocaleChecker(fileURLToPath(loaded.url), io.cwd)
    let result: unknown
    try {
      result = await checkLocales({ catalog, dir: resolve(io.cwd, localesDir), defaultLocale })
    } catch (err) {
      throw new CliError(`cannot check --locales ${localesDir}: ${messageOf(err)}`, undefined, { cause: err })
    }
    if (!Array.isArray(result)) throw new CliError('@errcodes/i18n checkLocales returned no list of findings; update @errcodes/i18n')
    for (const f of result as Array<Record<string, unknown>>) {
      findings.push({
        ...(typeof f.file === 'string' ? { file: isAbsolute(f.file) ? relative(io.cwd, f.file) : f.file } : {}),
        ...(typeof f.key === 'string' ? { key: f.key } : {}),
        problem: String(f.problem ?? f.message ?? 'unknown problem'),
        severity: f.severity === 'warning' ? 'warning' : 'error'
      })
    }
  }
  const errors = findings.filter(f => f.severity === 'error').length
  const summary = { module: positionals[0], codes: catalog.list().length, domains: catalog.domains().length, errors, warnings: findings.length - errors, findings }
  io.stdout(values.json === true ? JSON.stringify(summary, null, 2) + '\n' : formatCheck(summary))
  return errors > 0 ? EXIT_FINDING : EXIT_OK
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

/**
 * Finds @errcodes/i18n the way the user's project would: from the module's folder, then the cwd,
 * then beside this CLI. It is an optional package, so its absence is a clear message, not a crash.
 */
async function importLocaleChecker (modulePath: string, cwd: string): Promise<CheckLocales> {
  let ns: Record<string, unknown> | undefined
  let failure: unknown
  for (const base of [join(dirname(modulePath), 'noop.js'), join(cwd, 'noop.js')]) {
    let path: string
    try {
      path = createRequire(base).resolve('@errcodes/i18n')
    } catch {
      continue
    }
    try {
      ns = await import(pathToFileURL(path).href) as Record<string, unknown>
      break
    } catch (err) {
      failure = err
    }
  }
  if (ns === undefined && failure === undefined) {
    try {
      ns = await import('@errcodes/i18n' as string) as Record<string, unknown>
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') failure = err
    }
  }
  if (failure !== undefined) throw new CliError(`@errcodes/i18n is installed but failed to load: ${messageOf(failure)}`, undefined, { cause: failure })
  if (ns === undefined) throw new CliError('--locales needs @errcodes/i18n, which is not installed (npm install --save-dev @errcodes/i18n)')
  if (typeof ns.checkLocales !== 'function') throw new CliError('the installed @errcodes/i18n has no checkLocales; update it to check --locales')
  return ns.checkLocales as CheckLocales
}
