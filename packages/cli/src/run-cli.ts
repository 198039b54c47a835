import { readFileSync } from 'node:fs'
import { checkCommand } from './check-command.js'
import { CliError, EXIT_OK, EXIT_TROUBLE, messageOf, usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { diffCommand } from './diff-command.js'
import { docsCommand } from './docs-command.js'
import { exportCommand } from './export-command.js'

/** Help text of `errcodes` itself. */
export const MAIN_HELP = `Usage: errcodes <command> [options]

Commands:
  docs <module>                 render the error reference (md, html or json)
  export <module>               write the catalog's JSON export (the baseline for diff)
  diff <old.json> <new.json>    list breaking changes between two exports; exit 1 if any
  diff --baseline <old.json> <module>
                                the same, against the current catalog of <module>
  check <module>                validate the catalog, and its locale files with --locales

Run errcodes <command> --help for a command's options.
`

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number>> = {
  docs: docsCommand,
  export: exportCommand,
  diff: diffCommand,
  check: checkCommand
}

/**
 * Runs one CLI invocation and returns its exit code. Expected failures print one line on stderr;
 * an unexpected one prints its message too, and its stack only with ERRCODES_DEBUG=1.
 */
export async function runCli (argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(MAIN_HELP)
      return command === undefined ? EXIT_TROUBLE : EXIT_OK
    }
    if (command === '--version' || command === '-v') {
      io.stdout(version() + '\n')
      return EXIT_OK
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (run === undefined) throw usageError('', `unknown command ${JSON.stringify(command.slice(0, 40))}`)
    return await run(rest, io)
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`errcodes: ${err.message}\n`)
      return err.exitCode
    }
    io.stderr(`errcodes: unexpected failure: ${messageOf(err)}\n`)
    if (process.env.ERRCODES_DEBUG === '1' && err instanceof Error) io.stderr(`${err.stack ?? ''}\n`)
    return EXIT_TROUBLE
  }
}

function version (): string {
  // The package's own manifest: npm refuses to publish one without a version.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
