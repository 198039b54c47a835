import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { CliError, messageOf } from './cli-error.js'

/** Messages of every locale in a directory: locale → (dot key → message). */
export interface LocaleMessages {
  /** Locales in file-name order. */
  readonly locales: readonly string[]
  readonly messages: ReadonlyMap<string, ReadonlyMap<string, string>>
  /** Problems that did not stop reading (reserved or non-string keys, collisions). */
  readonly warnings: readonly string[]
}

const LOCALE_FILE = /^([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8}){0,4})\.json$/
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])
// Locale files are small; these caps keep a hostile or mistaken directory from exhausting memory.
const MAX_FILES = 200
const MAX_FILE_BYTES = 4 * 1024 * 1024
const MAX_DEPTH = 16
const MAX_KEYS = 20_000

/**
 * Reads every `<bcp47>.json` in `dir`. Nested objects become dot keys (`{ errors: { a: 'x' } }` →
 * `errors.a`); `__proto__`, `constructor` and `prototype` segments are skipped with a warning, and
 * results live in Maps, so no file can reach an object prototype. Unreadable or malformed files throw.
 */
export async function readLocales (dir: string, cwd: string): Promise<LocaleMessages> {
  const root = resolve(cwd, dir)
  let names: string[]
  try {
    if (!(await stat(root)).isDirectory()) throw new CliError(`--locales ${dir} is not a directory`)
    names = await readdir(root)
  } catch (err) {
    if (err instanceof CliError) throw err
    const code = (err as { code?: unknown }).code
    throw new CliError(code === 'ENOENT' ? `--locales ${dir} does not exist` : `cannot read --locales ${dir}: ${messageOf(err)}`, undefined, { cause: err })
  }
  const files = names.filter(n => LOCALE_FILE.test(n)).sort()
  if (files.length === 0) throw new CliError(`--locales ${dir} holds no <locale>.json file (such as en.json)`)
  if (files.length > MAX_FILES) throw new CliError(`--locales ${dir} holds more than ${MAX_FILES} locale files`)
  const messages = new Map<string, Map<string, string>>()
  const warnings: string[] = []
  for (const file of files) {
    const locale = (LOCALE_FILE.exec(file) as RegExpExecArray)[1]
    messages.set(locale, await readLocaleFile(join(root, file), file, warnings))
  }
  return { locales: [...messages.keys()], messages, warnings }
}

async function readLocaleFile (path: string, file: string, warnings: string[]): Promise<Map<string, string>> {
  let text: string
  try {
    const info = await stat(path)
    if (info.size > MAX_FILE_BYTES) throw new CliError(`locale file ${file} is larger than ${MAX_FILE_BYTES} bytes`)
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`cannot read locale file ${file}: ${messageOf(err)}`, undefined, { cause: err })
  }
  let data: unknown
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    throw new CliError(`locale file ${file} is not valid JSON: ${messageOf(err)}`, undefined, { cause: err })
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError(`locale file ${file} must hold a JSON object of messages`)
  }
  const out = new Map<string, string>()
  flatten(data as Record<string, unknown>, '', 0, out, file, warnings)
  return out
}

function flatten (obj: Record<string, unknown>, prefix: string, depth: number, out: Map<string, string>, file: string, warnings: string[]): void {
  // Own keys only; JSON.parse makes `__proto__` an own key, which is exactly what we must skip.
  for (const key of Object.keys(obj)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (key === '' || key.split('.').some(s => RESERVED.has(s) || s === '')) {
      warnings.push(`${file}: key ${JSON.stringify(path.slice(0, 128))} is reserved or empty and was skipped`)
      continue
    }
    const value = obj[key]
    if (typeof value === 'string') {
      if (out.has(path)) warnings.push(`${file}: key ${path} is defined twice; the last one wins`)
      if (out.size >= MAX_KEYS) throw new CliError(`locale file ${file} holds more than ${MAX_KEYS} messages`)
      out.set(path, value)
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (depth + 1 >= MAX_DEPTH) throw new CliError(`locale file ${file} nests deeper than ${MAX_DEPTH} levels at ${path.slice(0, 128)}`)
      flatten(value as Record<string, unknown>, path, depth + 1, out, file, warnings)
    } else {
      warnings.push(`${file}: key ${path.slice(0, 128)} is not a string and was skipped`)
    }
  }
}
