import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { builtinErrors, isCatalog, mergeCatalogs, overrideCatalog, type Catalog } from '@errcodes/core'
import { CliError, EXIT_FINDING, EXIT_TROUBLE, messageOf } from './cli-error.js'

/** A catalog found in a module, with the export names it came from. */
export interface LoadedCatalog {
  readonly catalog: Catalog
  /** The module's file URL. */
  readonly url: string
  /** Names of the exports that held a catalog (`default` included). */
  readonly exportNames: readonly string[]
}

// What defineErrors, defineDomain and mergeCatalogs throw: reported as a catalog mistake, not a crash.
const DEFINITION_ERROR = /^(error [A-Z]|defineErrors|defineDomain|domain [A-Z]|mergeCatalogs)/

/** The file URL of a module given as a path (relative to cwd) or a `file:` URL. */
export function moduleUrl (spec: string, cwd: string): URL {
  if (spec === '') throw new CliError('the module path is empty')
  if (/^file:/i.test(spec)) {
    try {
      return new URL(spec)
    } catch {
      throw new CliError(`not a valid file URL: ${spec}`)
    }
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) {
    throw new CliError(`only paths and file: URLs can be loaded (got ${spec})`)
  }
  return pathToFileURL(resolve(cwd, spec))
}

/**
 * Imports `spec` and returns the catalog it exports: the default export or any named export for
 * which `isCatalog` holds; several are merged. Every failure is a CliError with one clear line.
 * A mistake caught by `defineErrors` while the module loads gets exit code 1 (the catalog is wrong).
 */
export async function loadCatalog (spec: string, cwd: string, options: { builtins?: boolean } = {}): Promise<LoadedCatalog> {
  const loaded = await importCatalog(spec, cwd)
  if (options.builtins !== true) return loaded
  try {
    // The same merge the Fastify plugin does, so the reference lists every code a client can receive.
    return { ...loaded, catalog: overrideCatalog(builtinErrors, loaded.catalog) }
  } catch (err) {
    throw new CliError(`the catalog of ${spec} does not merge with the built-in entries: ${messageOf(err)}`, EXIT_FINDING, { cause: err })
  }
}

async function importCatalog (spec: string, cwd: string): Promise<LoadedCatalog> {
  const url = moduleUrl(spec, cwd)
  let path: string
  try {
    path = fileURLToPath(url)
  } catch {
    throw new CliError(`not a valid file URL: ${spec}`)
  }
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new CliError(`${spec} is not a file`)
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`module not found: ${spec}`, EXIT_TROUBLE, { cause: err })
  }
  let ns: Record<string, unknown>
  try {
    ns = await import(url.href) as Record<string, unknown>
  } catch (err) {
    throw importFailure(spec, err)
  }
  const found = new Map<Catalog, string[]>()
  // import() settles only after the module's whole graph has run, so every binding is initialised and
  // reading the namespace cannot throw (no temporal dead zone is left; namespaces have no getters).
  for (const name of Object.keys(ns)) {
    const value = ns[name]
    if (isCatalog(value)) found.set(value, [...(found.get(value) ?? []), name])
  }
  if (found.size === 0) {
    throw new CliError(`${spec} exports no catalog (export the result of defineErrors as default or as a named export)`)
  }
  const exportNames = [...found.values()].flat()
  if (found.size === 1) return { catalog: [...found.keys()][0], url: url.href, exportNames }
  try {
    return { catalog: mergeCatalogs(...found.keys()), url: url.href, exportNames }
  } catch (err) {
    throw new CliError(`the catalogs exported by ${spec} (${exportNames.join(', ')}) cannot be merged: ${messageOf(err)}`, EXIT_FINDING, { cause: err })
  }
}

function importFailure (spec: string, err: unknown): CliError {
  const message = messageOf(err)
  const code = (err as { code?: unknown } | null)?.code
  if ((err instanceof TypeError || err instanceof RangeError) && DEFINITION_ERROR.test(message)) {
    return new CliError(`invalid catalog in ${spec}: ${message}`, EXIT_FINDING, { cause: err })
  }
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    return new CliError(`cannot load ${spec}: Node cannot import this file type; build it and point at the .js/.mjs output`, EXIT_TROUBLE, { cause: err })
  }
  // Node 22.18+ and 23.6+ strip types from a .ts file and run it, but the `./x.js` imports of a source
  // tree compiled by tsc do not exist beside it: the same advice as Node 20's unknown extension.
  /* c8 ignore start: reached only on Node versions that strip types (22.18+, 23.6+); Node 20 stops at the unknown extension above. cli-bad-input covers it there */
  if (/\.[cm]?ts$/i.test(spec) && typeof code === 'string' && /^ERR_(MODULE_NOT_FOUND|UNSUPPORTED_TYPESCRIPT_SYNTAX|UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING|INVALID_TYPESCRIPT_SYNTAX)$/.test(code)) {
    return new CliError(`cannot load ${spec}: Node runs TypeScript sources only partly (${message.split('\n')[0]}); build it and point at the .js/.mjs output`, EXIT_TROUBLE, { cause: err })
  }
  /* c8 ignore stop */
  if (err instanceof SyntaxError) return new CliError(`cannot load ${spec}: syntax error: ${message}`, EXIT_TROUBLE, { cause: err })
  return new CliError(`cannot load ${spec}: it threw while loading: ${message}`, EXIT_TROUBLE, { cause: err })
}
