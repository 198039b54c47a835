import { buildReference } from './build-reference.js'
import { EXIT_OK, usageError } from './cli-error.js'
import { emit, type CliIo } from './cli-io.js'
import { loadCatalog } from './load-catalog.js'
import { parseCommandArgs, stringFlag } from './parse-command-args.js'
import { readLocales, type LocaleMessages } from './read-locales.js'
import { renderHtml } from './render-html.js'
import { renderMarkdown } from './render-markdown.js'

/** Help text of `errcodes docs`. */
export const DOCS_HELP = `Usage: errcodes docs <module> [options]

Renders the error reference of the catalog that <module> exports (a path relative to the current
directory, or a file: URL): every code grouped by domain, with its messages, schemas and example bodies.

Options:
  --format md|html|json   output format (default: md)
  --locales <dir>         directory of <locale>.json message files to show next to the defaults
  --out <file>            write to <file> instead of stdout
  --type-base-url <url>   base of the problem \`type\` URI (the error name is appended); use the page's
                          own URL with '#' to make \`type\` land on the entry
  --title <text>          page title (default: Error reference)
  --builtins              include the built-in entries (not found, validation failed…) that the
                          Fastify plugin adds, as clients receive them too
  -h, --help              show this help
`

const FORMATS = new Set(['md', 'html', 'json'])

/** `errcodes docs <module>`: writes the reference in md, html or json. */
export async function docsCommand (args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('docs', args, {
    format: { type: 'string' },
    locales: { type: 'string' },
    out: { type: 'string' },
    'type-base-url': { type: 'string' },
    title: { type: 'string' },
    builtins: { type: 'boolean' }
  }, ['<module>'])
  if (values.help === true) {
    io.stdout(DOCS_HELP)
    return EXIT_OK
  }
  const format = stringFlag('docs', values, 'format') ?? 'md'
  if (!FORMATS.has(format)) throw usageError('docs', `--format must be md, html or json (got ${JSON.stringify(format.slice(0, 40))})`)
  const typeBaseUrl = stringFlag('docs', values, 'type-base-url')
  if (typeBaseUrl !== undefined && !URL.canParse(typeBaseUrl)) {
    throw usageError('docs', `--type-base-url must be an absolute URI such as https://docs.example.com/errors.html# (got ${JSON.stringify(typeBaseUrl.slice(0, 80))})`)
  }
  const title = stringFlag('docs', values, 'title')
  const localesDir = stringFlag('docs', values, 'locales')
  const out = stringFlag('docs', values, 'out')

  const { catalog } = await loadCatalog(positionals[0], io.cwd, { builtins: values.builtins === true })
  let locales: LocaleMessages | undefined
  if (localesDir !== undefined) {
    locales = await readLocales(localesDir, io.cwd)
    /* c8 ignore next: readLocaleFolder reports only error-level problems today; a future warning is shown, not dropped */
    for (const warning of locales.warnings) io.stderr(`errcodes: warning: ${warning}\n`)
  }
  const ref = buildReference(catalog, { locales, typeBaseUrl, title })
  const text = format === 'html' ? renderHtml(ref) : format === 'json' ? JSON.stringify(ref, null, 2) + '\n' : renderMarkdown(ref)
  await emit(io, text, out)
  return EXIT_OK
}
