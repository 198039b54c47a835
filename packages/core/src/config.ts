import type { ErrorFormat } from './pick-format.js'
import { rejectUnknownKeys } from './option-keys.js'
import { checkStackTraces, type StackTraces } from './stack-policy.js'

/** Settings shared by the packages, from a preset or from `ERRCODES_*` variables. */
export interface ErrcodesConfig {
  /** Stack and cause chain in bodies. Never in production. */
  readonly debug: boolean
  readonly defaultLocale: string
  readonly fallbackLocales: readonly string[]
  readonly format: ErrorFormat
  /** Which errors capture a stack trace; pass it to `defineErrors(defs, { stackTraces })`. */
  readonly stackTraces: StackTraces
}

const CONFIG_KEYS: ReadonlyArray<keyof ErrcodesConfig> = ['debug', 'defaultLocale', 'fallbackLocales', 'format', 'stackTraces']

/** Development: debug bodies, JSON, English, a stack trace for every error. */
export function development (overrides: Partial<ErrcodesConfig> = {}): ErrcodesConfig {
  rejectUnknownKeys('development', overrides, CONFIG_KEYS)
  return freeze({ debug: true, defaultLocale: 'en', fallbackLocales: [], format: 'json', stackTraces: 'all', ...overrides })
}

/** Production: no stacks or causes in bodies, JSON, English, stack traces for server errors (5xx) only. */
export function production (overrides: Partial<ErrcodesConfig> = {}): ErrcodesConfig {
  rejectUnknownKeys('production', overrides, CONFIG_KEYS)
  return freeze({ debug: false, defaultLocale: 'en', fallbackLocales: [], format: 'json', stackTraces: 'server', ...overrides })
}

const LOCALE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$/

/**
 * Reads `ERRCODES_DEBUG` (true/false/1/0), `ERRCODES_DEFAULT_LOCALE`, `ERRCODES_FALLBACK_LOCALES`
 * (comma-separated), `ERRCODES_FORMAT` (json/problem) and `ERRCODES_STACK_TRACES` (all/server) over
 * the production preset; with debug on and no `ERRCODES_STACK_TRACES`, every error keeps its stack.
 * A bad value throws a TypeError naming the variable.
 */
export function fromEnv (env: Readonly<Record<string, string | undefined>> = process.env): ErrcodesConfig {
  const base = production()
  const debug = env.ERRCODES_DEBUG
  const locale = env.ERRCODES_DEFAULT_LOCALE
  const fallbacks = env.ERRCODES_FALLBACK_LOCALES
  const format = env.ERRCODES_FORMAT
  const stacks = env.ERRCODES_STACK_TRACES
  let parsedDebug = base.debug
  if (debug !== undefined && debug !== '') {
    if (/^(true|1|yes|on)$/i.test(debug)) parsedDebug = true
    else if (/^(false|0|no|off)$/i.test(debug)) parsedDebug = false
    else throw new TypeError(`ERRCODES_DEBUG must be true or false (got ${JSON.stringify(debug.slice(0, 32))})`)
  }
  if (locale !== undefined && locale !== '' && !LOCALE.test(locale)) {
    throw new TypeError(`ERRCODES_DEFAULT_LOCALE must be a BCP 47 tag such as en or ko-KR (got ${JSON.stringify(locale.slice(0, 32))})`)
  }
  const list = fallbacks === undefined || fallbacks === '' ? [] : fallbacks.split(',').map(s => s.trim()).filter(Boolean)
  for (const l of list) {
    if (!LOCALE.test(l)) throw new TypeError(`ERRCODES_FALLBACK_LOCALES must be comma-separated BCP 47 tags (bad: ${JSON.stringify(l.slice(0, 32))})`)
  }
  if (format !== undefined && format !== '' && format !== 'json' && format !== 'problem') {
    throw new TypeError(`ERRCODES_FORMAT must be json or problem (got ${JSON.stringify(format.slice(0, 32))})`)
  }
  const stackTraces = stacks === undefined || stacks === ''
    ? (parsedDebug ? 'all' : base.stackTraces)
    : checkStackTraces(stacks, 'ERRCODES_STACK_TRACES')
  return freeze({
    debug: parsedDebug,
    defaultLocale: locale === undefined || locale === '' ? base.defaultLocale : locale,
    fallbackLocales: list,
    format: format === 'problem' ? 'problem' : 'json',
    stackTraces
  })
}

function freeze (config: ErrcodesConfig): ErrcodesConfig {
  checkStackTraces(config.stackTraces, 'stackTraces')
  return Object.freeze({ ...config, fallbackLocales: Object.freeze([...config.fallbackLocales]) })
}
