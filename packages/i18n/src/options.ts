import { fileURLToPath } from 'node:url'
import type { SnapshotOptions } from './message-snapshot.js'
import type { LocaleProblem } from './parse-locale-json.js'
import { localeOfFile } from './read-locale-dir.js'
import { DEFAULT_MAX_FILE_SIZE } from './read-locale-folder.js'
import { rejectUnknownKeys } from '@errcodes/core/internal'

/** Options of `createI18n`. */
export interface I18nOptions {
  /** Folder of `<bcp47>.json` files (path or file URL). Exclusive with `messages`. */
  readonly dir?: string | URL
  /** In-memory messages by locale (`{ en: { errors: { … } } }`). Exclusive with `dir`. */
  readonly messages?: Readonly<Record<string, unknown>>
  /** Locale used when nothing else matches (default `en`). */
  readonly defaultLocale?: string
  /** Locales tried after the client's and before the default (default none). */
  readonly fallbackLocales?: readonly string[]
  /** Merge the shipped messages (built-in errors, validation keywords) under yours (default true). */
  readonly builtins?: boolean
  /** Reload when files in `dir` change, for development (default false; true = 100 ms debounce). */
  readonly watch?: boolean | { readonly debounceMs?: number }
  /** Called after every reload (including watch-triggered ones) with its result. */
  readonly onReload?: (result: ReloadResult) => void
  /** Largest locale file read, in bytes (default 1 MiB). */
  readonly maxFileSize?: number
  /** Most Accept-Language values whose negotiation is cached (default 1000). */
  readonly cacheSize?: number
}

/** What a reload did. */
export interface ReloadResult {
  /** True when the new messages are live; false when the previous ones were kept. */
  readonly ok: boolean
  /** Locales available after the reload. */
  readonly locales: readonly string[]
  readonly problems: readonly LocaleProblem[]
}

/** Options after checking, with defaults applied. */
export interface Resolved {
  readonly dir?: string
  readonly messages?: Readonly<Record<string, unknown>>
  readonly builtins: boolean
  readonly watchMs?: number
  readonly onReload?: (result: ReloadResult) => void
  readonly maxFileSize: number
  readonly snapshot: SnapshotOptions
}

/** Every option `createI18n` takes (the README's options table is checked against it). */
export const OPTION_KEYS: ReadonlyArray<keyof I18nOptions> = ['dir', 'messages', 'defaultLocale', 'fallbackLocales', 'builtins', 'watch', 'onReload', 'maxFileSize', 'cacheSize']

/** Checks `createI18n` options once; a bad one throws a TypeError naming it. */
export function resolveOptions (o: I18nOptions): Resolved {
  if (typeof o !== 'object' || o === null) throw new TypeError('createI18n: options must be an object')
  rejectUnknownKeys('createI18n', o, OPTION_KEYS)
  if (o.dir !== undefined && o.messages !== undefined) throw new TypeError('createI18n: dir and messages are exclusive; pass one')
  let dir: string | undefined
  if (o.dir !== undefined) {
    if (o.dir instanceof URL) dir = o.dir.protocol === 'file:' ? fileURLToPath(o.dir) : undefined
    else if (typeof o.dir === 'string' && o.dir !== '') dir = o.dir.startsWith('file:') ? fileURLToPath(o.dir) : o.dir
    if (dir === undefined) throw new TypeError('createI18n: dir must be a folder path or a file: URL')
  }
  if (o.messages !== undefined && (typeof o.messages !== 'object' || o.messages === null || Array.isArray(o.messages))) {
    throw new TypeError('createI18n: messages must be an object of locales ({ en: { … } })')
  }
  const tag = (value: unknown, name: string): string => {
    if (typeof value !== 'string' || !('locale' in localeOfFile(value + '.json'))) throw new TypeError(`createI18n: ${name} must be a canonical BCP 47 tag such as "en" or "ko-KR" (got ${JSON.stringify(value)})`)
    return value
  }
  const defaultLocale = tag(o.defaultLocale ?? 'en', 'defaultLocale')
  if (o.fallbackLocales !== undefined && !Array.isArray(o.fallbackLocales)) throw new TypeError('createI18n: fallbackLocales must be an array of BCP 47 tags')
  const fallbackLocales = (o.fallbackLocales ?? []).map(f => tag(f, 'fallbackLocales'))
  if (o.builtins !== undefined && typeof o.builtins !== 'boolean') throw new TypeError('createI18n: builtins must be a boolean')
  const builtins = o.builtins ?? true
  if (!builtins && dir === undefined && o.messages === undefined) throw new TypeError('createI18n: with builtins: false, pass dir or messages')
  let watchMs: number | undefined
  if (o.watch !== undefined && o.watch !== false) {
    if (typeof o.watch === 'object' && o.watch !== null) rejectUnknownKeys('createI18n', o.watch, ['debounceMs'], 'watch')
    const ms = o.watch === true ? 100 : typeof o.watch === 'object' && o.watch !== null ? (o.watch.debounceMs ?? 100) : NaN
    if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) throw new TypeError('createI18n: watch must be a boolean or { debounceMs } with 0–60000 ms')
    if (dir === undefined) throw new TypeError('createI18n: watch needs dir')
    watchMs = ms
  }
  if (o.onReload !== undefined && typeof o.onReload !== 'function') throw new TypeError('createI18n: onReload must be a function')
  const maxFileSize = o.maxFileSize ?? DEFAULT_MAX_FILE_SIZE
  if (!Number.isInteger(maxFileSize) || maxFileSize < 1) throw new TypeError('createI18n: maxFileSize must be a positive whole number of bytes')
  const cacheSize = o.cacheSize ?? 1000
  if (!Number.isInteger(cacheSize) || cacheSize < 0 || cacheSize > 1_000_000) throw new TypeError('createI18n: cacheSize must be a whole number 0–1000000')
  return { dir, messages: o.messages, builtins, watchMs, onReload: o.onReload, maxFileSize, snapshot: { defaultLocale, fallbackLocales, cacheSize } }
}
