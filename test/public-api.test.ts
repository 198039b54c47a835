import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, workspacePackages } from './workspace-packages.js'

// Every export is a semver promise. The names each package's entry points export are snapshotted in
// test/public-api.json, so adding or removing one is a deliberate change that shows in review
// (regenerate with ERRCODES_UPDATE_API=1 after deciding it), and each must be documented in the
// package README. `./internal` subpaths are listed too, but are documented as outside semver.

const SNAPSHOT = join(ROOT, 'test/public-api.json')

async function exportsOf (): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const pkg of workspacePackages()) {
    const entries = Object.entries((pkg.manifest as { exports?: Record<string, unknown> }).exports ?? {})
      .filter(([path, target]) => path !== './package.json' && !path.includes('*') && JSON.stringify(target).includes('.js'))
    for (const [path, target] of entries) {
      const file = typeof target === 'string' ? target : (target as { default: string }).default
      const ns = await import(pathToFileURL(join(pkg.dir, file)).href) as Record<string, unknown>
      out[`${pkg.manifest.name}${path === '.' ? '' : path.slice(1)}`] = Object.keys(ns).sort()
    }
  }
  return out
}

t.test('the export names of every entry point match the reviewed snapshot', async t => {
  const actual = await exportsOf()
  if (process.env.ERRCODES_UPDATE_API === '1') writeFileSync(SNAPSHOT, JSON.stringify(actual, null, 2) + '\n')
  t.ok(existsSync(SNAPSHOT), 'test/public-api.json exists (ERRCODES_UPDATE_API=1 writes it)')
  t.same(actual, JSON.parse(readFileSync(SNAPSHOT, 'utf8')), 'a change of the public API is deliberate: review it, then ERRCODES_UPDATE_API=1')
})

t.test('every runtime export of a package entry is documented in its README', async t => {
  const actual = await exportsOf()
  for (const pkg of workspacePackages()) {
    const names = actual[pkg.manifest.name]
    if (names === undefined) continue
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8')
    // The default export is documented as `import x from '<package>'`; every other name by its own name.
    const undocumented = names.filter(name => name !== 'default' && !new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(readme))
    t.same(undocumented, [], `${pkg.manifest.name}: every export appears in README.md`)
  }
})
