import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The folder of the built-in messages. A published package carries them in `locales/` beside
 * `dist/` (copied by `prepack`); in the repository they live in the top-level `locales/`, three
 * levels above this file, so the workspace never reads a stale copy.
 */
export function builtinLocalesDir (from: string | URL = import.meta.url): string | undefined {
  for (const rel of ['../locales/', '../../../locales/']) {
    const dir = fileURLToPath(new URL(rel, from))
    if (existsSync(dir + 'en.json')) return dir
  }
  return undefined
}
