import { compileMessage, createFormatters, type CompiledMessage } from './compile-message.js'
import { createLocaleMatcher, type LocaleMatcher } from './negotiate-locale.js'
import type { LocaleProblem } from './parse-locale-json.js'

/** Flat messages of one locale from one origin (a file, or `messages.<locale>`). */
export interface MessageLayer {
  readonly locale: string
  readonly file: string
  readonly messages: ReadonlyMap<string, string>
}

/** An immutable view of every compiled message; a reload replaces it in one assignment. */
export interface Snapshot {
  /** Available locales, default first. */
  readonly locales: readonly string[]
  readonly matcher: LocaleMatcher
  /** For each available locale, the message maps to try in order (itself, parents, fallbacks, default). */
  readonly chains: ReadonlyMap<string, ReadonlyArray<ReadonlyMap<string, CompiledMessage>>>
}

/** Settings a snapshot is built with. */
export interface SnapshotOptions {
  readonly defaultLocale: string
  readonly fallbackLocales: readonly string[]
  readonly cacheSize: number
}

/**
 * Merges layers in order (later layers override earlier ones key by key: user files over built-ins)
 * and compiles every (locale, key) once. Messages that do not compile are reported and left out.
 */
export function buildSnapshot (layers: readonly MessageLayer[], options: SnapshotOptions): { snapshot: Snapshot, problems: LocaleProblem[] } {
  const problems: LocaleProblem[] = []
  const merged = new Map<string, Map<string, { source: string, file: string }>>()
  for (const layer of layers) {
    let target = merged.get(layer.locale)
    if (target === undefined) merged.set(layer.locale, target = new Map())
    for (const [key, source] of layer.messages) target.set(key, { source, file: layer.file })
  }
  if (!merged.has(options.defaultLocale)) {
    problems.push({ severity: 'error', file: `${options.defaultLocale}.json`, problem: `no messages for the default locale ${options.defaultLocale}` })
  }
  const formatters = createFormatters()
  const compiled = new Map<string, Map<string, CompiledMessage>>()
  for (const [locale, entries] of merged) {
    const out = new Map<string, CompiledMessage>()
    for (const [key, { source, file }] of entries) {
      try {
        out.set(key, compileMessage(source, locale, formatters))
      } catch (err) {
        problems.push({ severity: 'error', file, key, problem: (err as Error).message })
      }
    }
    compiled.set(locale, out)
  }
  for (const f of options.fallbackLocales) {
    if (!compiled.has(f)) problems.push({ severity: 'warning', file: `${f}.json`, problem: `fallback locale ${f} has no messages` })
  }
  const locales = [options.defaultLocale, ...[...compiled.keys()].filter(l => l !== options.defaultLocale).sort()]
  const chains = new Map<string, Array<ReadonlyMap<string, CompiledMessage>>>()
  for (const locale of locales) {
    const order = [locale, ...parentsOf(locale), ...options.fallbackLocales, options.defaultLocale]
    const chain: Array<ReadonlyMap<string, CompiledMessage>> = []
    for (const l of new Set(order)) {
      const map = compiled.get(l)
      if (map !== undefined) chain.push(map)
    }
    chains.set(locale, chain)
  }
  const available = locales.filter(l => compiled.has(l))
  const matcher = createLocaleMatcher(available.length > 0 ? available : [options.defaultLocale], { defaultLocale: options.defaultLocale, fallbackLocales: options.fallbackLocales, cacheSize: options.cacheSize })
  return { snapshot: { locales: matcher.available, matcher, chains }, problems }
}

/** `zh-Hant-TW` → `zh-Hant`, `zh`: the RFC 4647 truncations of a tag. */
export function parentsOf (locale: string): string[] {
  const out: string[] = []
  const parts = locale.split('-')
  for (let n = parts.length - 1; n > 0; n--) {
    // A singleton (`x`, `u`) never ends a tag: drop it together with what follows.
    if (parts[n - 1].length === 1) continue
    out.push(parts.slice(0, n).join('-'))
  }
  return out
}
