import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { dependentProjects, workspacePackages, ROOT } from './workspace-packages.js'

// Every bin of every package, enumerated so that a new package (e.g. a separate CLI) is covered too.
const bins = workspacePackages().flatMap(pkg =>
  Object.entries(pkg.manifest.bin ?? {}).map(([name, file]) => ({ pkg, name, file: join(pkg.dir, file) })))

t.ok(bins.some(b => b.name === 'errcodes'), 'the errcodes bin is among them')
const errcodes = bins.find(b => b.name === 'errcodes')?.pkg.manifest.name ?? ''
t.ok(dependentProjects(errcodes).includes(ROOT), `the root depends on ${errcodes}, so \`pnpm exec errcodes\` works there`)

for (const { pkg, name, file } of bins) {
  t.test(`${pkg.manifest.name}: bin ${name}`, async t => {
    // pnpm links bins at install time, before the first build: a bin inside dist/ is skipped with a
    // "Failed to create bin" warning and `pnpm exec` cannot find it until a second install.
    t.notMatch(relative(pkg.dir, file), /^dist\//, 'the bin is a committed file, not a build output')
    t.ok(existsSync(file), `${relative(ROOT, file)} exists`)
    t.match(readFileSync(file, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'it starts with a node shebang')
    t.ok((pkg.manifest.files ?? []).some(f => relative(pkg.dir, file).startsWith(f.replace(/\/$/, '') + '/')), 'it is in the published files')

    // What a user types after the Quick start: in the root for the root's own dependencies (errcodes),
    // else in the first project that depends on the package (errcodes-i18n: examples/fastify-demo).
    const cwd = dependentProjects(pkg.manifest.name)[0]
    t.ok(cwd !== undefined, 'a workspace project depends on the package')
    const run = spawnSync('pnpm', ['exec', name, '--help'], { cwd, encoding: 'utf8', timeout: 60_000 })
    t.equal(run.status, 0, `pnpm exec ${name} --help in ${relative(ROOT, cwd ?? ROOT) || '.'} exits 0 (stderr: ${run.stderr.slice(0, 300)})`)
    t.match(run.stdout, new RegExp(`usage: ${name}`, 'i'), 'and prints the usage')

    // A clone that was installed but not built yet gets one line instead of a module-not-found stack.
    const scratch = t.testdir({ bin: {} })
    mkdirSync(join(scratch, dirname(relative(pkg.dir, file))), { recursive: true })
    const copy = join(scratch, relative(pkg.dir, file))
    copyFileSync(file, copy)
    const unbuilt = spawnSync(process.execPath, [copy, '--help'], { encoding: 'utf8', timeout: 30_000 })
    t.equal(unbuilt.status, 1)
    t.equal(unbuilt.stderr, `${name}: ${pkg.manifest.name} is not built yet; run \`pnpm build\` (or \`npx -y pnpm@10 build\`) first\n`)
  })
}
