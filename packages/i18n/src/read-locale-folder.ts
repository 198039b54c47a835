import { fileURLToPath } from 'node:url'
import { rejectUnknownKeys } from '@errcodes/core/internal'
import type { MessageLayer } from './message-snapshot.js'
import { parseLocaleJson, type LocaleProblem } from './parse-locale-json.js'
import { parseMessage } from './compile-message.js'
import { readLocaleDirSync, type DirRead } from './read-locale-dir.js'

/** Largest locale file read by default, in bytes. */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024

/** The messages of a locale folder, one layer per `<bcp47>.json` file, and every problem met. */
export interface LocaleFolder {
  readonly layers: readonly MessageLayer[]
  readonly problems: readonly LocaleProblem[]
}

/**
 * Reads and parses a folder of locale files with the same limits and rules as `createI18n` (the
 * one reader of locale files in the suite: the `errcodes` CLI uses it too). Never throws for a bad
 * folder or file: a problem of severity `error` is what would make `createI18n` refuse to start.
 */
export function readLocaleFolder (dir: string | URL, options: { readonly maxFileSize?: number } = {}): LocaleFolder {
  if (typeof options !== 'object' || options === null) throw new TypeError('readLocaleFolder: options must be an object')
  rejectUnknownKeys('readLocaleFolder', options, ['maxFileSize'])
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE
  if (!Number.isInteger(maxFileSize) || maxFileSize < 1) throw new TypeError('readLocaleFolder: maxFileSize must be a positive whole number of bytes')
  const folder = layersOf(readLocaleDirSync(dir instanceof URL ? fileURLToPath(dir) : dir, maxFileSize))
  return { layers: folder.layers, problems: [...folder.problems, ...syntaxProblems(folder.layers)] }
}

/** Messages createI18n would fail to compile (it compiles them itself, once, when it builds its snapshot). */
function syntaxProblems (layers: readonly MessageLayer[]): LocaleProblem[] {
  const problems: LocaleProblem[] = []
  for (const layer of layers) {
    for (const [key, source] of layer.messages) {
      try {
        parseMessage(source)
      } catch (err) {
        problems.push({ severity: 'error', file: layer.file, key, problem: (err as Error).message })
      }
    }
  }
  return problems
}

/** Parses the files a folder read gave into message layers. */
export function layersOf (read: DirRead): { layers: MessageLayer[], problems: LocaleProblem[] } {
  const problems = [...read.problems]
  const layers: MessageLayer[] = []
  for (const source of read.sources) {
    const parsed = parseLocaleJson(source.text, source.file)
    problems.push(...parsed.problems)
    layers.push({ locale: source.locale, file: source.file, messages: parsed.messages })
  }
  return { layers, problems }
}
