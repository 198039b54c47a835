import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join } from 'node:path'
import { ROOT, workspacePackages } from './workspace-packages.js'

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g

/** The package names (`fastify`, `@errcodes/core`) that `code` imports, without relative paths and Node built-ins. */
export function importedPackages (code: string): string[] {
  const names = new Set<string>()
  for (const [, specifier] of code.matchAll(SPECIFIER)) {
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue
    const parts = specifier.split('/')
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0])
  }
  return [...names].sort()
}

/**
 * Makes `dir/node_modules` hold what `codes` import, as symlinks: @errcodes packages to their folders
 * (with their built dist/), anything else to the copy some workspace project already installed.
 * Returns the names no workspace project provides.
 */
export function linkDependencies (dir: string, codes: readonly string[], extra: readonly string[] = []): { linked: string[], missing: string[] } {
  const own = new Map(workspacePackages().map(p => [p.manifest.name, p.dir]))
  const projects = [ROOT, ...['packages', 'examples'].flatMap(base => readdirSync(join(ROOT, base)).map(name => join(ROOT, base, name))), join(ROOT, 'bench'), join(ROOT, 'hardening')]
  const wanted = new Set([...codes.flatMap(importedPackages), ...extra])
  const linked: string[] = []
  const missing: string[] = []
  for (const name of [...wanted].sort()) {
    const target = own.get(name) ?? projects.map(p => join(p, 'node_modules', name)).find(p => existsSync(join(p, 'package.json')))
    if (target === undefined) { missing.push(name); continue }
    const link = join(dir, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    if (!existsSync(link)) symlinkSync(target, link, 'dir')
    linked.push(name)
  }
  return { linked, missing }
}
