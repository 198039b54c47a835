import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isCatalog, mergeCatalogs, type Catalog } from '@errcodes/core'
import { checkLocales } from './check-locales.js'

/** Where the CLI writes. */
export interface CliIo {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
  readonly cwd?: string
}

const USAGE = 'usage: errcodes-i18n check --catalog <module> --dir <locales> [--default-locale en] [--builtins] [--strict]'

/**
 * Runs `errcodes-i18n` with `argv` (without node and the script). Returns the exit code: 0 clean,
 * 1 findings (errors, or warnings with --strict), 2 bad usage or input. Never throws.
 */
export async function runCli (argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) { io.out(USAGE); return 0 }
    const args = parseArgs(argv)
    if (typeof args === 'string') { io.err(args); io.err(USAGE); return 2 }
    const cwd = io.cwd ?? process.cwd()
    const catalog = await loadCatalog(resolve(cwd, args.catalog))
    if (typeof catalog === 'string') { io.err(catalog); return 2 }
    const findings = checkLocales({ catalog, dir: resolve(cwd, args.dir), defaultLocale: args.defaultLocale, builtins: args.builtins })
    for (const f of findings) io.out(`${f.severity}: ${f.file}${f.key === undefined ? '' : ` [${f.key}]`}: ${f.problem}`)
    const errors = findings.filter(f => f.severity === 'error').length
    const failing = errors + (args.strict ? findings.length - errors : 0)
    io.err(`errcodes-i18n: ${errors} error(s), ${findings.length - errors} warning(s) in ${args.dir}`)
    return failing > 0 ? 1 : 0
  } catch (err) {
    io.err(`errcodes-i18n: ${firstLine(err)}`)
    return 2
  }
}

interface Args { catalog: string, dir: string, defaultLocale: string, builtins: boolean, strict: boolean }

function parseArgs (argv: readonly string[]): Args | string {
  if (argv[0] !== 'check') return argv.length === 0 ? 'errcodes-i18n: missing command' : `errcodes-i18n: unknown command ${JSON.stringify(String(argv[0]).slice(0, 40))}`
  const args: Partial<Args> = { defaultLocale: 'en', builtins: false, strict: false }
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i]
    if (flag === '--builtins') { args.builtins = true; continue }
    if (flag === '--strict') { args.strict = true; continue }
    const value = argv[i + 1]
    const name = flag === '--catalog' ? 'catalog' : flag === '--dir' ? 'dir' : flag === '--default-locale' ? 'defaultLocale' : undefined
    if (name === undefined) return `errcodes-i18n: unknown option ${JSON.stringify(String(flag).slice(0, 40))}`
    if (value === undefined || value.startsWith('--')) return `errcodes-i18n: ${flag} needs a value`
    args[name] = value
    i++
  }
  if (args.catalog === undefined) return 'errcodes-i18n: --catalog <module> is required'
  if (args.dir === undefined) return 'errcodes-i18n: --dir <locales> is required'
  return args as Args
}

async function loadCatalog (path: string): Promise<Catalog | string> {
  let mod: Record<string, unknown>
  try {
    mod = await import(pathToFileURL(path).href) as Record<string, unknown>
  } catch (err) {
    return `errcodes-i18n: cannot import ${path}: ${firstLine(err)}`
  }
  if (isCatalog(mod.default)) return mod.default
  const found = Object.values(mod).filter(isCatalog)
  if (found.length === 0) return `errcodes-i18n: ${path} exports no catalog (export the result of defineErrors)`
  return found.length === 1 ? found[0] : mergeCatalogs(...found)
}

function firstLine (err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0].slice(0, 300)
}
