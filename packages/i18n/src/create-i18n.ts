import { watch as fsWatch, type FSWatcher } from 'node:fs'
import type { Translation, Translator } from '@errcodes/core'
import { builtinLocalesDir } from './builtin-locales.js'
import { buildSnapshot, type MessageLayer, type Snapshot } from './message-snapshot.js'
import { flatten, type LocaleProblem } from './parse-locale-json.js'
import { localeOfFile, readLocaleDir, readLocaleDirSync } from './read-locale-dir.js'
import { layersOf } from './read-locale-folder.js'
import { resolveOptions, type I18nOptions, type ReloadResult } from './options.js'

/** A Translator over locale files, with reload and an optional file watch. */
export interface I18n extends Translator {
  /** Re-reads the files and swaps every message at once; on any error the old messages stay. */
  reload (): Promise<ReloadResult>
  /** Available locales, default first. */
  availableLocales (): string[]
  /** Stops the file watch. */
  close (): void
}

/** Thrown by `createI18n` when the initial messages have errors; `problems` lists them. */
export class LocaleLoadError extends Error {
  readonly code = 'ERRCODES_I18N_LOAD'
  readonly problems: readonly LocaleProblem[]
  constructor (problems: readonly LocaleProblem[]) {
    const lines = problems.filter(p => p.severity === 'error').slice(0, 20).map(p => `${p.file}${p.key === undefined ? '' : ` ${p.key}`}: ${p.problem}`)
    super(`cannot load locale messages:\n  ${lines.join('\n  ')}`)
    this.name = 'LocaleLoadError'
    this.problems = problems
  }
}

/** Creates the translator. Options are checked here; a bad one throws a TypeError naming it. */
export function createI18n (options: I18nOptions = {}): I18n {
  const opts = resolveOptions(options)
  const builtinLayers: MessageLayer[] = []
  if (opts.builtins) {
    const dir = builtinLocalesDir()
    /* c8 ignore next: only a damaged install lacks the locales folder its package files list ships */
    if (dir === undefined) throw new Error('@errcodes/i18n: the built-in locales are missing from the package; reinstall it or pass builtins: false')
    const read = layersOf(readLocaleDirSync(dir, opts.maxFileSize))
    if (read.problems.some(p => p.severity === 'error')) throw new LocaleLoadError(read.problems)
    builtinLayers.push(...read.layers)
  }
  const userLayers = (): { layers: MessageLayer[], problems: LocaleProblem[] } => opts.messages === undefined ? { layers: [], problems: [] } : layersOfMessages(opts.messages)
  const build = (user: { layers: MessageLayer[], problems: LocaleProblem[] }): { snapshot: Snapshot, problems: LocaleProblem[] } => {
    const built = buildSnapshot([...builtinLayers, ...user.layers], opts.snapshot)
    return { snapshot: built.snapshot, problems: [...user.problems, ...built.problems] }
  }

  const first = build(opts.dir === undefined ? userLayers() : layersOf(readLocaleDirSync(opts.dir, opts.maxFileSize)))
  if (first.problems.some(p => p.severity === 'error')) throw new LocaleLoadError(first.problems)
  let current: Snapshot = first.snapshot
  const def = opts.snapshot.defaultLocale
  let queue: Promise<unknown> = Promise.resolve()
  let watcher: FSWatcher | undefined
  let timer: NodeJS.Timeout | undefined

  const reloadOnce = async (): Promise<ReloadResult> => {
    let result: ReloadResult
    try {
      const next = build(opts.dir === undefined ? userLayers() : layersOf(await readLocaleDir(opts.dir, opts.maxFileSize)))
      const ok = !next.problems.some(p => p.severity === 'error')
      // The only write: requests in flight keep the snapshot they read, new ones see the new one.
      if (ok) current = next.snapshot
      result = { ok, locales: current.locales, problems: next.problems }
    } catch (err) {
      result = { ok: false, locales: current.locales, problems: [{ severity: 'error', file: opts.dir ?? 'messages', problem: `reload failed (${String((err as Error)?.message ?? err)})` }] }
    }
    try { opts.onReload?.(result) } catch { /* a throwing listener must not break reloads */ }
    return result
  }

  const i18n: I18n = {
    translate (key: string, params, acceptLanguage, fallback): Translation {
      const snap = current
      try {
        const chain = snap.chains.get(snap.matcher.match(acceptLanguage))
        if (chain !== undefined && typeof key === 'string') {
          for (const messages of chain) {
            const message = messages.get(key)
            if (message === undefined) continue
            const text = message.format(params)
            if (text !== undefined) return { message: text, locale: message.locale }
            // A message that cannot render these params: prefer the caller's English text.
            if (typeof fallback === 'string') break
          }
        }
        /* c8 ignore next: match() and format() already never throw; the guard stays because translate runs on the error path */
      } catch { /* never throw from the error path */ }
      return { message: typeof fallback === 'string' ? fallback : typeof key === 'string' ? key : '', locale: def }
    },
    negotiate (acceptLanguage) {
      return current.matcher.match(acceptLanguage)
    },
    reload () {
      const run = queue.then(reloadOnce)
      queue = run.catch(() => undefined)
      return run
    },
    availableLocales () {
      return [...current.locales]
    },
    close () {
      if (timer !== undefined) clearTimeout(timer)
      watcher?.close()
      watcher = undefined
    }
  }

  if (opts.watchMs !== undefined && opts.dir !== undefined) {
    const delay = opts.watchMs
    watcher = fsWatch(opts.dir, { persistent: false }, () => {
      // Editors write files in several steps; wait for quiet before reloading.
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => { timer = undefined; i18n.reload().catch(() => undefined) }, delay)
      timer.unref()
    })
    watcher.on('error', () => i18n.close())
  }
  return i18n
}

function layersOfMessages (messages: Readonly<Record<string, unknown>>): { layers: MessageLayer[], problems: LocaleProblem[] } {
  const problems: LocaleProblem[] = []
  const layers: MessageLayer[] = []
  for (const locale of Object.keys(messages)) {
    const file = `messages.${locale}`
    const id = localeOfFile(locale + '.json')
    const tree = messages[locale]
    if ('problem' in id) { problems.push({ severity: 'error', file, problem: id.problem.replace('file name', 'locale') }); continue }
    if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) { problems.push({ severity: 'error', file, problem: 'messages of a locale must be an object' }); continue }
    layers.push({ locale, file, messages: flatten(tree as Record<string, unknown>, file, problems) })
  }
  return { layers, problems }
}
