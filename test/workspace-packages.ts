import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The fields of a package manifest the workspace tests read. */
export interface Manifest {
  name: string
  version: string
  private?: boolean
  engines?: { node?: string }
  bin?: Record<string, string>
  files?: string[]
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

/** One publishable package of packages/*, read from disk so that a new package is covered without editing a list. */
export interface WorkspacePackage {
  /** The folder name under packages/ (`core`, `fastify`, …). */
  folder: string
  dir: string
  manifest: Manifest
}

/** The packages under packages/, sorted by folder name. */
export function workspacePackages (): WorkspacePackage[] {
  const base = join(ROOT, 'packages')
  return readdirSync(base).sort()
    .filter(folder => existsSync(join(base, folder, 'package.json')))
    .map(folder => ({ folder, dir: join(base, folder), manifest: JSON.parse(readFileSync(join(base, folder, 'package.json'), 'utf8')) as Manifest }))
    .filter(pkg => pkg.manifest.private !== true)
}
