import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { publint } from 'publint'
import { ROOT as root, workspacePackages } from './workspace-packages.js'

// The published packages: their manifests, READMEs and what they pull in at run time.
const names = workspacePackages().map(pkg => pkg.folder)
// Libraries export an ESM entry with types; the CLI package is a command and exports none.
const libraries = names.filter(n => n !== 'cli')
// Which @errcodes siblings each package may depend on (DESIGN: every arrow points toward core).
const SIBLINGS: Record<string, string[]> = { core: [], cli: ['@errcodes/core', '@errcodes/i18n'] }
const manifest = (dir: string): Record<string, any> => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

t.test('@errcodes/core pulls in no framework, metrics, tracing or logging library at run time', async t => {
  // Walk the production dependency tree through the installed manifests.
  const seen = new Set<string>()
  const walk = (dir: string): void => {
    for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
      if (seen.has(dep)) continue
      seen.add(dep)
      const found = [join(dir, 'node_modules', dep), join(root, 'node_modules/.pnpm/node_modules', dep)].find(existsSync)
      t.ok(found, `${dep} is installed`)
      if (found !== undefined) walk(found)
    }
  }
  walk(join(root, 'packages/core'))
  t.same([...seen], ['@sinclair/typebox'])
  t.notOk([...seen].some(d => /fastify|prom-client|opentelemetry|pino|sentry/.test(d)))
})

t.test('each package: ESM exports with types, engines, files, a README with Install · Usage · Options · Examples', async t => {
  for (const name of names) {
    const dir = join(root, 'packages', name)
    const pkg = manifest(dir)
    t.equal(pkg.name, `@errcodes/${name}`)
    t.equal(pkg.type, 'module')
    if (libraries.includes(name)) {
      t.match(pkg.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' }, `${name}: exports carry types`)
      t.ok(existsSync(join(dir, 'dist/index.d.ts')), `${name}: the build emitted .d.ts`)
    } else {
      t.notOk(pkg.exports['.'], `${name}: a command, no importable entry`)
      for (const bin of Object.values(pkg.bin as Record<string, string>)) t.ok(existsSync(join(dir, bin)), `${name}: bin ${bin} is committed, so installs can link it before the build`)
    }
    t.equal(pkg.engines.node, '^20.19.0 || >=22.12.0', `${name}: engines are Node 20.19+ and 22.12+ (require(esm) unflagged)`)
    t.ok(pkg.files.includes('dist'))
    t.same(Object.keys(pkg.dependencies ?? {}).filter(d => d.startsWith('@errcodes/')), SIBLINGS[name] ?? ['@errcodes/core'], `${name}: depends only on the siblings the design allows`)
    const headings = readFileSync(join(dir, 'README.md'), 'utf8').split('\n').filter(l => l.startsWith('## ')).map(l => l.slice(3).trim())
    const order = ['Install', 'Usage', 'Options', 'Examples'].map(h => headings.findIndex(x => x.startsWith(h)))
    t.ok(order.every(i => i >= 0) && order.every((i, k) => k === 0 || i > order[k - 1]), `${name}: README sections in order (${headings.join(' · ')})`)
  }
})

t.test('publint finds no error or warning in any package', async t => {
  for (const name of names) {
    const { messages } = await publint({ pkgDir: join(root, 'packages', name), level: 'warning', pack: 'pnpm' })
    t.same(messages.map(m => `${m.type} ${m.code} ${m.path?.join('.')}`), [], `@errcodes/${name}`)
  }
})

t.test('are-the-types-wrong: types resolve for ESM consumers (esm-only profile)', async t => {
  const attw = join(root, 'node_modules/.bin/attw')
  for (const name of libraries) {
    const run = spawnSync(attw, ['--pack', join(root, 'packages', name), '--profile', 'esm-only', '--format', 'json'], { encoding: 'utf8', timeout: 120_000 })
    const report = JSON.parse(run.stdout || '{}')
    const problems = (report.analysis?.problems ?? []).filter((p: { resolutionKind?: string }) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')
    t.same(problems, [], `@errcodes/${name}: ${run.stderr.slice(0, 200)}`)
    t.ok(report.analysis, `@errcodes/${name} was analysed`)
  }
})
