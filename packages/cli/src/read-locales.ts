import { stat } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { readLocaleFolder, type LocaleProblem } from '@errcodes/i18n'
import { CliError, messageOf } from './cli-error.js'

/** Messages of every locale in a directory: locale → (dot key → message). */
export interface LocaleMessages {
  /** Locales in file-name order. */
  readonly locales: readonly string[]
  readonly messages: ReadonlyMap<string, ReadonlyMap<string, string>>
  /** Problems that did not stop reading. */
  readonly warnings: readonly string[]
}

/**
 * Reads `--locales` with @errcodes/i18n's reader, so the CLI applies the same limits and rules as
 * `createI18n`: a folder the service would refuse to start with is refused here too, never published.
 */
export async function readLocales (dir: string, cwd: string): Promise<LocaleMessages> {
  const root = await localesFolder(dir, cwd)
  const folder = readLocaleFolder(root)
  const where = (p: LocaleProblem): string => `${relative(cwd, p.file) || p.file}${p.key === undefined ? '' : ` ${p.key}`}: ${p.problem}`
  const errors = folder.problems.filter(p => p.severity === 'error')
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; errcodes check --locales lists them all)` : ''
    throw new CliError(`--locales ${dir} cannot be loaded: ${where(errors[0])}${more}`)
  }
  if (folder.layers.length === 0) throw new CliError(`--locales ${dir} holds no <locale>.json file (such as en.json)`)
  const messages = new Map(folder.layers.map(layer => [layer.locale, layer.messages]))
  return { locales: [...messages.keys()], messages, warnings: folder.problems.map(where) }
}

/** The absolute path of `--locales <dir>`; a missing folder or a file is trouble (exit 2), not a finding. */
export async function localesFolder (dir: string, cwd: string): Promise<string> {
  const root = resolve(cwd, dir)
  try {
    if (!(await stat(root)).isDirectory()) throw new CliError(`--locales ${dir} is not a directory`)
  } catch (err) {
    if (err instanceof CliError) throw err
    const code = (err as { code?: unknown }).code
    throw new CliError(code === 'ENOENT' ? `--locales ${dir} does not exist` : `cannot read --locales ${dir}: ${messageOf(err)}`, undefined, { cause: err })
  }
  return root
}
