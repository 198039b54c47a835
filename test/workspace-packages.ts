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
  exports?: Record<string, unknown>
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

/**
 * The folders of the workspace projects (the root first, then packages/*, examples/*, bench, hardening)
 * whose manifest depends on `name`: where `pnpm exec` finds that package's bins.
 */
export function dependentProjects (name: string): string[] {
  const folders = [ROOT, ...['packages', 'examples'].flatMap(base => readdirSync(join(ROOT, base)).sort().map(f => join(ROOT, base, f))), join(ROOT, 'bench'), join(ROOT, 'hardening')]
  return folders.filter(dir => {
    if (!existsSync(join(dir, 'package.json'))) return false
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>, devDependencies?: Record<string, string> }
    return m.dependencies?.[name] !== undefined || m.devDependencies?.[name] !== undefined
  })
}
