import { EXIT_OK, EXIT_TROUBLE } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { runCli } from './run-cli.js'

/** What `errcodes-i18n` prints first: it is kept for one release only. */
export const I18N_ALIAS_NOTICE = 'errcodes-i18n is deprecated and will be removed in the next minor release: use `errcodes check <module> --locales <dir>`\n'

const FLAGS: Record<string, string> = { '--dir': '--locales', '--default-locale': '--default-locale' }
const SWITCHES = new Set(['--builtins', '--strict'])

/**
 * The former `errcodes-i18n check --catalog <module> --dir <locales>` of @errcodes/i18n, mapped onto
 * `errcodes check <module> --locales <locales>` so existing scripts keep working for one release.
 */
export async function runI18nAlias (argv: readonly string[], io: CliIo): Promise<number> {
  io.stderr(I18N_ALIAS_NOTICE)
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.stdout(USAGE + '\n')
    return EXIT_OK
  }
  if (argv[0] !== 'check') {
    io.stderr(`errcodes-i18n: ${argv.length === 0 ? 'missing command' : `unknown command ${JSON.stringify(String(argv[0]).slice(0, 40))}`}; the only command is check\n`)
    return EXIT_TROUBLE
  }
  let catalog: string | undefined
  const rest: string[] = []
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i]
    if (SWITCHES.has(flag)) { rest.push(flag); continue }
    const value = argv[i + 1]
    if (flag !== '--catalog' && !Object.hasOwn(FLAGS, flag)) return usage(io, `unknown option ${JSON.stringify(String(flag).slice(0, 40))}`)
    if (value === undefined || value.startsWith('--')) return usage(io, `${flag} needs a value`)
    if (flag === '--catalog') catalog = value
    else rest.push(FLAGS[flag], value)
    i++
  }
  if (catalog === undefined) return usage(io, '--catalog <module> is required')
  if (!rest.includes('--locales')) return usage(io, '--dir <locales> is required')
  return await runCli(['check', catalog, ...rest], io)
}

const USAGE = 'usage: errcodes-i18n check --catalog <module> --dir <locales> [--default-locale en] [--builtins] [--strict]'

function usage (io: CliIo, message: string): number {
  io.stderr(`errcodes-i18n: ${message}\n${USAGE}\n`)
  return EXIT_TROUBLE
}
