import { rejectUnknownKeys } from '@errcodes/core/internal'
import { LruCache } from './lru-cache.js'
import { boundHeader, parseRanges } from './parse-accept-language.js'

/** Options of a locale matcher. */
export interface LocaleMatcherOptions {
  /** Answer when nothing else matches; must be one of `available`. */
  readonly defaultLocale: string
  /** Tried, in order, after the client's ranges and before the default. */
  readonly fallbackLocales?: readonly string[]
  /** Most cached header values (default 1000; 0 disables the cache). */
  readonly cacheSize?: number
}

/** Picks the best available locale for Accept-Language values; results are cached. */
export interface LocaleMatcher {
  /** The best available locale for a header value; never throws. */
  match (acceptLanguage: unknown): string
  /** The available locales, default first. */
  readonly available: readonly string[]
}

interface Candidate { readonly tag: string, readonly lower: string, readonly privateUse: boolean }

const MATCHER_KEYS: ReadonlyArray<keyof LocaleMatcherOptions> = ['defaultLocale', 'fallbackLocales', 'cacheSize']

function checkMatcherOptions (available: unknown, options: unknown): void {
  if (!Array.isArray(available) || available.some(t => typeof t !== 'string' || t === '')) throw new TypeError('createLocaleMatcher: available must be an array of locale tags')
  if (typeof options !== 'object' || options === null) throw new TypeError('createLocaleMatcher: options must be an object ({ defaultLocale })')
  rejectUnknownKeys('createLocaleMatcher', options, MATCHER_KEYS)
  const o = options as LocaleMatcherOptions
  if (typeof o.defaultLocale !== 'string' || o.defaultLocale === '') throw new TypeError('createLocaleMatcher: option "defaultLocale" is required: a locale tag such as "en"')
  if (o.fallbackLocales !== undefined && (!Array.isArray(o.fallbackLocales) || o.fallbackLocales.some(t => typeof t !== 'string'))) throw new TypeError('createLocaleMatcher: option "fallbackLocales" must be an array of locale tags')
  if (o.cacheSize !== undefined && (!Number.isInteger(o.cacheSize) || o.cacheSize < 0 || o.cacheSize > 1_000_000)) throw new TypeError('createLocaleMatcher: option "cacheSize" must be a whole number 0–1000000')
}

/**
 * Builds a matcher over `available` (canonical BCP 47 tags). Per client range, best first:
 * exact match (case-insensitive); same maximized tag (ko ↔ ko-KR, zh-TW ↔ zh-Hant); the range's
 * language-Script (zh-HK → zh-Hant); RFC 4647 truncation (ko-KR → ko); same language and script
 * (en-GB → en-US). Then `*`, the fallbacks and the default. `q=0` ranges exclude what they match.
 */
export function createLocaleMatcher (available: readonly string[], options: LocaleMatcherOptions): LocaleMatcher {
  checkMatcherOptions(available, options)
  const def = options.defaultLocale
  const ordered = [def, ...available.filter(t => t !== def)]
  const exact = new Map<string, Candidate>()
  const byMax = new Map<string, Candidate>()
  const byLangScript = new Map<string, Candidate>()
  // Everything about the available list is computed once here, so a lookup is a few Map reads.
  for (const tag of ordered) {
    const c: Candidate = { tag, lower: tag.toLowerCase(), privateUse: /(^|-)x-/i.test(tag) }
    if (!exact.has(c.lower)) exact.set(c.lower, c)
    if (c.privateUse) continue
    const max = maximize(c.lower)
    if (max === undefined) continue
    if (!byMax.has(max.full)) byMax.set(max.full, c)
    if (!byLangScript.has(max.langScript)) byLangScript.set(max.langScript, c)
  }
  const fallbacks = (options.fallbackLocales ?? []).map(t => exact.get(t.toLowerCase())).filter(c => c !== undefined)
  const cache = new LruCache<string>(options.cacheSize ?? 1000)

  const pick = (header: string): string => {
    const { ranges, excluded } = parseRanges(header)
    // No preference at all (curl, bots): the default, not the fallbacks meant for unmatched wishes.
    if (ranges.length === 0 && excluded.length === 0) return def
    const allowed = (c: Candidate | undefined): c is Candidate => c !== undefined && !isExcluded(c.lower, excluded)
    for (const range of ranges) {
      const lower = range.toLowerCase()
      if (lower === '*') {
        const any = ordered.find(t => !isExcluded(t.toLowerCase(), excluded))
        if (any !== undefined) return any
        continue
      }
      let c = exact.get(lower)
      if (allowed(c)) return c.tag
      const max = maximize(lower)
      if (max !== undefined) {
        c = byMax.get(max.full)
        if (allowed(c)) return c.tag
        c = exact.get(max.langScript)
        if (allowed(c)) return c.tag
      }
      for (let cut = truncate(lower); cut !== ''; cut = truncate(cut)) {
        c = exact.get(cut)
        if (allowed(c)) return c.tag
      }
      if (max !== undefined) {
        c = byLangScript.get(max.langScript)
        if (allowed(c)) return c.tag
      }
    }
    for (const f of fallbacks) if (!isExcluded(f.lower, excluded)) return f.tag
    return def
  }

  return {
    available: Object.freeze(ordered),
    match (acceptLanguage: unknown): string {
      try {
        const key = boundHeader(acceptLanguage)
        const hit = cache.get(key)
        if (hit !== undefined) return hit
        const result = pick(key)
        cache.set(key, result)
        return result
      } catch {
        return def
      }
    }
  }
}

/** One-shot negotiation: the best of `available` for an Accept-Language value, else `defaultLocale`. */
export function negotiateLocale (acceptLanguage: unknown, available: readonly string[], defaultLocale = 'en'): string {
  return createLocaleMatcher(available, { defaultLocale, cacheSize: 0 }).match(acceptLanguage)
}

function isExcluded (lower: string, excluded: readonly string[]): boolean {
  for (const e of excluded) {
    if (lower === e || (lower.startsWith(e) && lower.charCodeAt(e.length) === 45)) return true
  }
  return false
}

// RFC 4647 §3.4: drop the last subtag, and a singleton left in front of it (en-a-bbb → en).
function truncate (tag: string): string {
  let end = tag.lastIndexOf('-')
  if (end === -1) return ''
  if (end >= 2 && tag.charCodeAt(end - 2) === 45) end -= 2
  return tag.slice(0, end)
}

function maximize (tag: string): { full: string, langScript: string } | undefined {
  try {
    const loc = new Intl.Locale(tag).maximize()
    if (loc.script === undefined) return undefined
    const langScript = `${loc.language}-${loc.script}`.toLowerCase()
    const full = loc.region === undefined ? langScript : `${langScript}-${loc.region.toLowerCase()}`
    return { full, langScript }
  } catch {
    return undefined
  }
}
