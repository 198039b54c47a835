import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CatalogExport } from '@errcodes/core'
import { CliError, messageOf } from './cli-error.js'

// Exports of real catalogs are a few hundred KiB at most; the cap keeps a wrong file from being read whole.
const MAX_BYTES = 32 * 1024 * 1024

/** Reads and checks a catalog export (the JSON of `catalog.toJSON()`); any problem is a one-line CliError. */
export async function readExport (file: string, cwd: string): Promise<CatalogExport> {
  const path = resolve(cwd, file)
  let text: string
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new CliError(`${file} is not a file`)
    if (info.size > MAX_BYTES) throw new CliError(`${file} is larger than ${MAX_BYTES} bytes`)
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof CliError) throw err
    const code = (err as { code?: unknown }).code
    throw new CliError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${messageOf(err)}`, undefined, { cause: err })
  }
  let data: unknown
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${messageOf(err)}`, undefined, { cause: err })
  }
  const problem = exportProblem(data)
  if (problem !== undefined) throw new CliError(`${file} is not a catalog export (errcodes export writes one): ${problem}`)
  return data as CatalogExport
}

/** What makes `data` unusable as a CatalogExport, or undefined when it is one. */
export function exportProblem (data: unknown): string | undefined {
  if (!isObject(data)) return 'expected a JSON object'
  if (data.version !== 1) return `unsupported version ${JSON.stringify(data.version)} (expected 1)`
  if (!Array.isArray(data.domains)) return 'domains must be an array'
  if (!Array.isArray(data.errors)) return 'errors must be an array'
  for (const [i, d] of data.domains.entries()) {
    if (!isObject(d) || typeof d.name !== 'string' || !Number.isInteger(d.from) || !Number.isInteger(d.to)) {
      return `domains[${i}] must have a name and integer from/to`
    }
  }
  const names = new Set<string>()
  const codes = new Set<number>()
  for (const [i, e] of data.errors.entries()) {
    if (!isObject(e) || typeof e.name !== 'string' || !Number.isInteger(e.code) || !Number.isInteger(e.status)) {
      return `errors[${i}] must have a string name and integer code and status`
    }
    if (names.has(e.name)) return `error ${e.name.slice(0, 64)} appears twice`
    if (codes.has(e.code as number)) return `code ${String(e.code)} appears twice`
    names.add(e.name)
    codes.add(e.code as number)
    for (const key of ['params', 'detail'] as const) {
      if (e[key] !== undefined && !isObject(e[key])) return `errors[${i}].${key} must be a schema object`
    }
  }
  return undefined
}

function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
