import { readdirSync, readFileSync, statSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { LocaleProblem } from './parse-locale-json.js'

/** One locale file's text, read under the size cap. */
export interface LocaleSource {
  readonly locale: string
  readonly file: string
  readonly text: string
}

/** What reading a folder gave: the files to parse and the problems met. */
export interface DirRead {
  readonly sources: LocaleSource[]
  readonly problems: LocaleProblem[]
}

/** Most `.json` files read from one folder. */
export const MAX_FILES = 500

/** The canonical BCP 47 tag a file name stands for, or a problem (`ko_KR.json` → use `ko-KR.json`). */
export function localeOfFile (name: string): { locale: string } | { problem: string } {
  const base = name.slice(0, -'.json'.length)
  let canonical: string | undefined
  try {
    canonical = /^[A-Za-z0-9-]{1,64}$/.test(base) ? Intl.getCanonicalLocales(base)[0] : undefined
  } catch {
    canonical = undefined
  }
  if (canonical === base) return { locale: base }
  const hint = canonical ?? suggest(base)
  return { problem: `file name is not a canonical BCP 47 tag${hint === undefined ? '' : `; rename it to ${hint}.json`}` }
}

/** Reads every `<bcp47>.json` of `dir` synchronously (used once at start-up). */
export function readLocaleDirSync (dir: string, maxFileSize: number): DirRead {
  const problems: LocaleProblem[] = []
  const sources: LocaleSource[] = []
  let names: string[]
  try {
    names = readdirSync(dir).filter(n => n.endsWith('.json')).sort()
  } catch (err) {
    return { sources, problems: [{ severity: 'error', file: dir, problem: `cannot read the locale folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] }
  }
  for (const name of names.slice(0, MAX_FILES)) {
    const file = join(dir, name)
    const id = localeOfFile(name)
    if ('problem' in id) { problems.push({ severity: 'error', file, problem: id.problem }); continue }
    try {
      const st = statSync(file)
      if (!st.isFile()) continue
      if (st.size > maxFileSize) { problems.push(tooBig(file, st.size, maxFileSize)); continue }
      sources.push({ locale: id.locale, file, text: readFileSync(file, 'utf8') })
    } catch (err) {
      problems.push({ severity: 'error', file, problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})` })
    }
  }
  if (names.length > MAX_FILES) problems.push({ severity: 'error', file: dir, problem: `more than ${MAX_FILES} locale files` })
  return { sources, problems }
}

/** Reads every `<bcp47>.json` of `dir` without blocking the event loop (reloads). */
export async function readLocaleDir (dir: string, maxFileSize: number): Promise<DirRead> {
  const problems: LocaleProblem[] = []
  const sources: LocaleSource[] = []
  let names: string[]
  try {
    names = (await readdir(dir)).filter(n => n.endsWith('.json')).sort()
  } catch (err) {
    return { sources, problems: [{ severity: 'error', file: dir, problem: `cannot read the locale folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` }] }
  }
  for (const name of names.slice(0, MAX_FILES)) {
    const file = join(dir, name)
    const id = localeOfFile(name)
    if ('problem' in id) { problems.push({ severity: 'error', file, problem: id.problem }); continue }
    try {
      const st = await stat(file)
      if (!st.isFile()) continue
      if (st.size > maxFileSize) { problems.push(tooBig(file, st.size, maxFileSize)); continue }
      sources.push({ locale: id.locale, file, text: await readFile(file, 'utf8') })
    } catch (err) {
      problems.push({ severity: 'error', file, problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})` })
    }
  }
  if (names.length > MAX_FILES) problems.push({ severity: 'error', file: dir, problem: `more than ${MAX_FILES} locale files` })
  return { sources, problems }
}

function tooBig (file: string, size: number, max: number): LocaleProblem {
  return { severity: 'error', file, problem: `file is ${size} bytes, more than the ${max}-byte limit` }
}

function suggest (base: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(base.replaceAll('_', '-').slice(0, 64))[0]
  } catch {
    return undefined
  }
}
