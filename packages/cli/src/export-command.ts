import { EXIT_OK } from './cli-error.js'
import { emit, type CliIo } from './cli-io.js'
import { loadCatalog } from './load-catalog.js'
import { parseCommandArgs, stringFlag } from './parse-command-args.js'

/** Help text of `errcodes export`. */
export const EXPORT_HELP = `Usage: errcodes export <module> [--out <file>] [--builtins]

Writes the JSON export (catalog.toJSON()) of the catalog that <module> exports. Commit it as the
baseline that \`errcodes diff --baseline\` compares against.

Options:
  --out <file>   write to <file> instead of stdout
  --builtins     include the built-in entries the Fastify plugin adds
  -h, --help     show this help
`

/** `errcodes export <module>`: prints or writes the catalog's JSON export. */
export async function exportCommand (args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', args, { out: { type: 'string' }, builtins: { type: 'boolean' } }, ['<module>'])
  if (values.help === true) {
    io.stdout(EXPORT_HELP)
    return EXIT_OK
  }
  const out = stringFlag('export', values, 'out')
  const { catalog } = await loadCatalog(positionals[0], io.cwd, { builtins: values.builtins === true })
  await emit(io, JSON.stringify(catalog.toJSON(), null, 2) + '\n', out)
  return EXIT_OK
}
