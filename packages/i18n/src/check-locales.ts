import { fileURLToPath } from 'node:url'
import type { Catalog, ErrorEntry } from '@errcodes/core'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import { AJV_KEYWORD_PARAMS } from './ajv-keyword-params.js'
import { argumentsOf, parseMessage, type ArgKind } from './compile-message.js'
import { builtinLocalesDir } from './builtin-locales.js'
import { parentsOf } from './message-snapshot.js'
import { flatten, parseLocaleJson, type LocaleProblem } from './parse-locale-json.js'
import { localeOfFile, readLocaleDirSync } from './read-locale-dir.js'
import { DEFAULT_MAX_FILE_SIZE } from './read-locale-folder.js'

/** Every option of `checkLocales`. */
export const CHECK_KEYS: ReadonlyArray<keyof CheckOptions> = ['catalog', 'dir', 'messages', 'defaultLocale', 'builtins', 'maxFileSize']

/** Options of `checkLocales`. */
export interface CheckOptions {
  /** The catalog whose message keys and params the locales must match. */
  readonly catalog: Catalog
  /** Folder of `<bcp47>.json` files (path or file URL). Exclusive with `messages`. */
  readonly dir?: string | URL
  /** In-memory messages by locale. */
  readonly messages?: Readonly<Record<string, unknown>>
  /** The complete locale others are compared with (default `en`). */
  readonly defaultLocale?: string
  /** Count the shipped messages as present under yours (default false). */
  readonly builtins?: boolean
  /** Largest file read, in bytes (default 1 MiB). */
  readonly maxFileSize?: number
}

interface Message { readonly file: string, readonly args?: ReadonlyMap<string, ArgKind> }
/** A message that parsed, with the arguments it reads. */
type ParsedMessage = Required<Message>

/**
 * Checks locale files against a catalog and returns one finding per problem (errors and warnings):
 * unreadable or unsafe files, ICU syntax errors, catalog keys missing from the default locale or any
 * locale, extra keys, and placeholders that are not params of the entry (or not Ajv's for
 * `validation.*` keys). Never throws for bad files; a bad option throws a TypeError.
 */
export function checkLocales (options: CheckOptions): LocaleProblem[] {
  if (typeof options !== 'object' || options === null) throw new TypeError('checkLocales: options must be an object ({ catalog, dir | messages })')
  rejectUnknownKeys('checkLocales', options, CHECK_KEYS)
  const { catalog, defaultLocale = 'en', maxFileSize = DEFAULT_MAX_FILE_SIZE } = options
  if (typeof catalog?.list !== 'function') throw new TypeError('checkLocales: catalog must come from defineErrors')
  if (typeof defaultLocale !== 'string' || !('locale' in localeOfFile(defaultLocale + '.json'))) throw new TypeError('checkLocales: defaultLocale must be a canonical BCP 47 tag')
  const findings: LocaleProblem[] = []
  // The folder read, when one was: its own problems (missing, too many files) carry its path.
  let folder: string | undefined
  const locales = new Map<string, Map<string, Message>>()
  const fileOf = new Map<string, string>()
  // Locales the user has files for; a locale known only from the built-ins falls back to the default.
  const owned = new Set<string>()
  const add = (locale: string, file: string, flat: ReadonlyMap<string, string>, own: boolean): void => {
    let map = locales.get(locale)
    if (map === undefined) locales.set(locale, map = new Map())
    if (own) owned.add(locale)
    if (own || !fileOf.has(locale)) fileOf.set(locale, file)
    for (const [key, source] of flat) {
      try {
        map.set(key, { file, args: argumentsOf(parseMessage(source)) })
      } catch (err) {
        findings.push({ severity: 'error', file, key, problem: (err as Error).message })
        map.set(key, { file })
      }
    }
  }
  if (options.builtins === true) {
    const dir = builtinLocalesDir()
    if (dir !== undefined) for (const s of readLocaleDirSync(dir, maxFileSize).sources) add(s.locale, s.file, parseLocaleJson(s.text, s.file).messages, false)
  }
  if (options.messages !== undefined) {
    for (const locale of Object.keys(options.messages)) {
      const file = `messages.${locale}`
      const tree = options.messages[locale]
      if (!('locale' in localeOfFile(locale + '.json'))) { findings.push({ severity: 'error', file, problem: 'locale is not a canonical BCP 47 tag' }); continue }
      if (typeof tree !== 'object' || tree === null) { findings.push({ severity: 'error', file, problem: 'messages of a locale must be an object' }); continue }
      add(locale, file, flatten(tree as Record<string, unknown>, file, findings), true)
    }
  } else if (options.dir !== undefined) {
    const dir = options.dir instanceof URL || options.dir.startsWith('file:') ? fileURLToPath(options.dir) : options.dir
    folder = dir
    const read = readLocaleDirSync(dir, maxFileSize)
    findings.push(...read.problems)
    for (const s of read.sources) {
      const parsed = parseLocaleJson(s.text, s.file)
      findings.push(...parsed.problems)
      add(s.locale, s.file, parsed.messages, true)
    }
  } else {
    throw new TypeError('checkLocales: pass dir or messages')
  }

  const base = locales.get(defaultLocale)
  if (base === undefined) {
    // A folder that could not be read at all (missing, too many files) already says why nothing is there.
    if (!findings.some(f => f.severity === 'error' && f.key === undefined && f.file === folder)) {
      findings.push({ severity: 'error', file: `${defaultLocale}.json`, problem: `the default locale ${defaultLocale} has no file` })
    }
    return findings
  }
  const entries = new Map<string, ErrorEntry>(catalog.list().map(e => [e.messageKey, e]))
  for (const [key, entry] of entries) {
    if (!base.has(key)) findings.push({ severity: 'error', file: fileOf.get(defaultLocale) as string, key, problem: `message of ${entry.name} is missing from the default locale` })
  }
  for (const [locale, map] of locales) {
    const file = fileOf.get(locale) as string
    const lookup = [map, ...parentsOf(locale).map(p => locales.get(p)).filter(m => m !== undefined && m !== base)]
    for (const [key, message] of map) {
      const entry = entries.get(key)
      if (locale !== defaultLocale && !base.has(key) && entry === undefined) findings.push({ severity: 'error', file: message.file, key, problem: `extra key: not in the default locale ${defaultLocale}` })
      // A message that did not parse has no args (its syntax error is already a finding).
      if (message.args === undefined) continue
      const used = { file: message.file, args: message.args }
      if (entry !== undefined) checkEntryArgs(entry, key, used, findings)
      else if (key.startsWith('validation.')) checkAjvArgs(key, used, findings)
      else if (locale !== defaultLocale) checkSameArgs(key, used, base.get(key)?.args, findings)
    }
    if (locale === defaultLocale) continue
    for (const key of base.keys()) {
      if (lookup.some(m => m?.has(key))) continue
      const entry = entries.get(key)
      const severity = entry === undefined || !owned.has(locale) ? 'warning' : 'error'
      findings.push({ severity, file, key, problem: `missing in ${locale}${entry === undefined ? '' : ` (message of ${entry.name})`}${owned.has(locale) ? '' : `; built-in locale, falls back to ${defaultLocale}`}` })
    }
  }
  return findings
}

function checkEntryArgs (entry: ErrorEntry, key: string, message: ParsedMessage, findings: LocaleProblem[]): void {
  const props = (entry.params as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {}
  for (const [name, kind] of message.args) {
    if (!Object.hasOwn(props, name)) {
      findings.push({ severity: 'error', file: message.file, key, problem: `placeholder {${name}} is not a param of ${entry.name}` })
    } else if (kind === 'number' && props[name].type !== 'number' && props[name].type !== 'integer') {
      findings.push({ severity: 'error', file: message.file, key, problem: `{${name}} is used as a number but ${entry.name}'s param ${name} is not a number` })
    }
  }
}

function checkAjvArgs (key: string, message: ParsedMessage, findings: LocaleProblem[]): void {
  const keyword = key.slice('validation.'.length)
  const allowed = Object.hasOwn(AJV_KEYWORD_PARAMS, keyword) ? AJV_KEYWORD_PARAMS[keyword] : undefined
  if (allowed === undefined) return
  for (const name of message.args.keys()) {
    if (!allowed.includes(name)) findings.push({ severity: 'error', file: message.file, key, problem: `placeholder {${name}} is not a param of Ajv keyword ${keyword} (${allowed.join(', ') || 'none'})` })
  }
}

function checkSameArgs (key: string, message: ParsedMessage, base: ReadonlyMap<string, ArgKind> | undefined, findings: LocaleProblem[]): void {
  if (base === undefined) return
  for (const name of message.args.keys()) {
    if (!base.has(name)) findings.push({ severity: 'error', file: message.file, key, problem: `placeholder {${name}} is not used by the default locale's message` })
  }
}
