import t from 'tap'
import ts from 'typescript'
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, workspacePackages } from './workspace-packages.js'

// What users get from the registry: every package of packages/* packed with `pnpm pack` (which turns
// `workspace:^` into real ranges and runs prepack), installed with npm into projects outside the
// workspace, where nothing of the repository can leak in. Third-party dependencies come from the npm
// registry (through npm's cache: --prefer-offline).
t.setTimeout(900_000)

const FIXTURES = join(ROOT, 'test/fixtures/consumers')
const work = mkdtempSync(join(tmpdir(), 'errcodes-consumers-'))
t.teardown(() => { rmSync(work, { recursive: true, force: true }) })

function run (cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, npm_config_update_notifier: 'false' } })
}

const packages = workspacePackages()
const tarballs = new Map<string, string>()
const packDir = join(work, 'tarballs')
mkdirSync(packDir)
for (const pkg of packages) {
  const before = new Set(readdirSync(packDir))
  const packed = run('pnpm', ['pack', '--pack-destination', packDir], pkg.dir)
  const file = readdirSync(packDir).find(f => !before.has(f))
  if (packed.status !== 0 || file === undefined) throw new Error(`pnpm pack of ${pkg.manifest.name} failed: ${packed.stderr}`)
  tarballs.set(pkg.manifest.name, join(packDir, file))
}

t.test('the tarballs: real version ranges, the bins and the build inside', async t => {
  for (const pkg of packages) {
    const tarball = tarballs.get(pkg.manifest.name) ?? ''
    const manifest = run('tar', ['-xzOf', tarball, 'package/package.json'], work).stdout
    t.notMatch(manifest, /workspace:/, `${pkg.manifest.name}: no workspace: ranges`)
    const list = run('tar', ['-tzf', tarball], work).stdout.split('\n')
    if (pkg.manifest.exports?.['.'] !== undefined) t.ok(list.includes('package/dist/index.js') && list.includes('package/dist/index.d.ts'), `${pkg.manifest.name}: dist/index.js and .d.ts`)
    for (const bin of Object.values(pkg.manifest.bin ?? {})) t.ok(list.includes(join('package', bin)), `${pkg.manifest.name}: bin ${bin}`)
  }
  t.ok(run('tar', ['-tzf', tarballs.get('@errcodes/i18n') ?? '', 'package/locales/ko.json'], work).status === 0, '@errcodes/i18n carries its built-in locales')
})

// A fresh project with `deps` installed by npm; its package.json has "type": `type`.
function project (name: string, deps: string[], type: 'module' | 'commonjs' = 'module'): { dir: string, install: SpawnSyncReturns<string> } {
  const dir = join(work, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }))
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn', ...deps], dir)
  return { dir, install }
}

// npm's EBADENGINE warnings (on Node 20): the packages whose `engines` exclude the running Node.
function engineWarnings (npmOutput: string): string[] {
  return [...npmOutput.matchAll(/EBADENGINE\s+package: '([^']+)'/g)].map(m => m[1].replace(/(?<=.)@[^@]*$/, '')).sort()
}

// fastify 5.12 depends on light-my-request 6.8 (for app.inject()), which depends on cookie 2, whose
// engines say Node >= 22: npm warns on Node 20 (it runs there). Named in the READMEs' Install sections.
const FASTIFY_NODE22 = new Set(['cookie'])

function installedPackages (dir: string): string[] {
  const nm = join(dir, 'node_modules')
  return readdirSync(nm).filter(n => !n.startsWith('.'))
    .flatMap(n => n.startsWith('@') ? readdirSync(join(nm, n)).map(s => `${n}/${s}`) : [n]).sort()
}

t.test('core alone pulls in nothing but TypeBox', async t => {
  const { dir, install } = project('core-alone', [tarballs.get('@errcodes/core') ?? ''])
  t.equal(install.status, 0, 'install exits 0', { stderr: install.stderr })
  t.same(engineWarnings(install.stderr), [], `no engine warning on Node ${process.version}`)
  t.same(installedPackages(dir), ['@errcodes/core', '@sinclair/typebox'])
  const used = run(process.execPath, ['--input-type=module', '-e', "import { defineErrors, normalizeError } from '@errcodes/core'; const e = defineErrors({ X: { code: 901, domain: 'CUSTOM', status: 418, message: 'x' } }); console.log(normalizeError(e.X.create()).status)"], dir)
  t.equal(used.stdout, '418\n', 'importing and using core works', { stderr: used.stderr })
})

t.test('fastify + metrics without @sentry/node: installs without it and counts errors', async t => {
  const { dir, install } = project('fastify-metrics', [...['core', 'fastify', 'metrics'].map(n => tarballs.get(`@errcodes/${n}`) ?? ''), 'fastify@5', 'prom-client@15'])
  t.equal(install.status, 0, 'install exits 0', { stderr: install.stderr })
  t.same(engineWarnings(install.stderr).filter(name => !FASTIFY_NODE22.has(name)), [], `no engine warning on Node ${process.version} but the known one of Fastify's tree`)
  t.notOk(existsSync(join(dir, 'node_modules/@sentry')), '@sentry/node (an optional peer) is not installed')
  copyFileSync(join(FIXTURES, 'fastify-metrics.mjs'), join(dir, 'app.mjs'))
  const ran = run(process.execPath, ['app.mjs'], dir)
  t.equal(ran.status, 0, 'ran exits 0', { stderr: ran.stderr })
  t.same(JSON.parse(ran.stdout), { status: 410, name: 'ORDER_GONE', counted: true })
})

t.test('every package: ESM TypeScript (node16, bundler), CommonJS require() and CommonJS TypeScript', async t => {
  const { dir, install } = project('all', [...tarballs.values(), 'fastify@5', 'prom-client@15', '@opentelemetry/api@^1.9.0'])
  t.equal(install.status, 0, 'install exits 0', { stderr: install.stderr })
  t.same(engineWarnings(install.stderr).filter(name => !FASTIFY_NODE22.has(name)), [], `no engine warning on Node ${process.version} but the known one of Fastify's tree`)
  // The compiler and Node's types come from the workspace (same versions as the build), not the network.
  for (const name of ['typescript', '@types/node']) {
    if (!existsSync(join(dir, 'node_modules', name))) {
      mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true })
      symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir')
    }
  }
  for (const f of ['esm-consumer.ts', 'cjs-consumer.cjs', 'cjs-consumer.cts']) copyFileSync(join(FIXTURES, f), join(dir, f))

  const common: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, types: ['node'], skipLibCheck: true, outDir: join(dir, 'out') }
  const diagnosticsOf = (file: string, options: ts.CompilerOptions, emit = false): string[] => {
    const program = ts.createProgram([join(dir, file)], { ...common, ...options, noEmit: !emit })
    const result = emit ? program.emit() : undefined
    return [...ts.getPreEmitDiagnostics(program), ...(result?.diagnostics ?? [])]
      .map(d => `TS${d.code} ${d.file?.fileName.slice(dir.length) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
  }
  t.same(diagnosticsOf('esm-consumer.ts', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: false }), [], 'ESM TypeScript, bundler resolution: compiles (our .d.ts checked too)')
  t.same(diagnosticsOf('esm-consumer.ts', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }, true), [], 'ESM TypeScript, node16 resolution: compiles')
  const esm = run(process.execPath, [join(dir, 'out/esm-consumer.js')], dir)
  t.equal(esm.status, 0, 'esm exits 0', { stderr: esm.stderr })
  t.match(JSON.parse(esm.stdout || '{}'), {
    user: { error_code: 301, error_name: 'USER_NOT_FOUND', message: '사용자 42 없음', status_code: 404 },
    route: '경로를 찾을 수 없습니다',
    counted: true,
    traced: true,
    isAppError: true
  }, 'and runs: localized (built-in locales from the tarball), counted, traced')

  const cjs = run(process.execPath, ['cjs-consumer.cjs'], dir)
  t.equal(cjs.status, 0, 'cjs exits 0', { stderr: cjs.stderr })
  t.match(JSON.parse(cjs.stdout || '{}'), { user: { error_name: 'USER_NOT_FOUND', message: 'User 42 not found' }, route: '경로를 찾을 수 없습니다' }, `require() works on Node ${process.version}`)
  t.notMatch(cjs.stderr, /ExperimentalWarning/, 'without an experimental warning')

  // Every bin of every package runs from the installed tarballs.
  for (const pkg of packages) {
    for (const name of Object.keys(pkg.manifest.bin ?? {})) {
      const bin = run(join(dir, 'node_modules/.bin', name), ['--help'], dir)
      t.equal(bin.status, 0, `${name} --help exits 0`, { stderr: bin.stderr })
      t.match(bin.stdout, new RegExp(`usage: ${name}`, 'i'))
    }
  }

  t.same(diagnosticsOf('cjs-consumer.cts', { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }), [], 'CommonJS TypeScript with module nodenext compiles')
  t.same(diagnosticsOf('cjs-consumer.cts', { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true }), [], 'CommonJS TypeScript with module commonjs (node10 resolution, esModuleInterop as tsc --init sets it) compiles')
  t.match(diagnosticsOf('cjs-consumer.cts', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }).join('\n'), /TS1479/, 'with module node16 it does not (TS1479), as the READMEs say')
})
