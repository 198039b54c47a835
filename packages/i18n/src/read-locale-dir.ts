import { readdirSync, readFileSync, statSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeUtf8 } from './decode-utf8.js'
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

type Stat = { isFile: () => boolean, size: number }

/** The file-system calls a directory read needs, blocking or not. */
interface DirIo {
  list (dir: string): string[] | Promise<string[]>
  stat (file: string): Stat | Promise<Stat>
  read (file: string): Uint8Array | Promise<Uint8Array>
}

// Bytes, not 'utf8' strings: Node's decoder replaces invalid bytes with U+FFFD without a word.
const syncIo: DirIo = { list: readdirSync, stat: statSync, read: (file) => readFileSync(file) }
const asyncIo: DirIo = { list: readdir, stat, read: async (file) => await readFile(file) }

/** Reads every `<bcp47>.json` of `dir` synchronously (used once at start-up). */
export function readLocaleDirSync (dir: string, maxFileSize: number): DirRead {
  const steps = readSteps(dir, maxFileSize)
  let next = steps.next()
  while (next.done !== true) next = steps.next(settleSync(next.value))
  return next.value
}

/** Reads every `<bcp47>.json` of `dir` without blocking the event loop (reloads). */
export async function readLocaleDir (dir: string, maxFileSize: number): Promise<DirRead> {
  const steps = readSteps(dir, maxFileSize)
  let next = steps.next()
  while (next.done !== true) next = steps.next(await settleAsync(next.value))
  return next.value
}

type Step = (io: DirIo) => unknown
type Outcome = { ok: true, value: unknown } | { ok: false, error: unknown }

function settleSync (step: Step): Outcome {
  try {
    return { ok: true, value: step(syncIo) }
  } catch (error) {
    return { ok: false, error }
  }
}

async function settleAsync (step: Step): Promise<Outcome> {
  try {
    return { ok: true, value: await step(asyncIo) }
  } catch (error) {
    return { ok: false, error }
  }
}

/** The one reading logic, as a generator yielding each file-system call to a sync or async driver. */
function * readSteps (dir: string, maxFileSize: number): Generator<Step, DirRead, Outcome> {
  const problems: LocaleProblem[] = []
  const sources: LocaleSource[] = []
  const listed = yield io => io.list(dir)
  if (!listed.ok) return { sources, problems: [{ severity: 'error', file: dir, problem: `cannot read the locale folder (${codeOf(listed.error)})` }] }
  const names = (listed.value as string[]).filter(n => n.endsWith('.json')).sort()
  for (const name of names.slice(0, MAX_FILES)) {
    const file = join(dir, name)
    const id = localeOfFile(name)
    if ('problem' in id) { problems.push({ severity: 'error', file, problem: id.problem }); continue }
    const st = yield io => io.stat(file)
    const info = st.ok ? st.value as Stat : undefined
    if (info !== undefined && !info.isFile()) continue
    if (info !== undefined && info.size > maxFileSize) { problems.push(tooBig(file, info.size, maxFileSize)); continue }
    const read = st.ok ? yield io => io.read(file) : st
    if (!read.ok) { problems.push({ severity: 'error', file, problem: `cannot read (${codeOf(read.error)})` }); continue }
    const decoded = decodeUtf8(read.value as Uint8Array)
    if ('text' in decoded) sources.push({ locale: id.locale, file, text: decoded.text })
    else problems.push({ severity: 'error', file, problem: `invalid UTF-8 at byte ${decoded.offset}; the file was refused` })
  }
  if (names.length > MAX_FILES) problems.push({ severity: 'error', file: dir, problem: `more than ${MAX_FILES} locale files` })
  return { sources, problems }
}

function codeOf (err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? 'error'
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
