import t from 'tap'
import ts from 'typescript'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { CHECKED_LANGS, repositoryCodeBlocks } from './markdown-code-blocks.js'
import { contextFor, contextModuleFor } from './context-for.js'
import { importedPackages, linkDependencies } from './link-dependencies.js'
import { ROOT, workspacePackages } from './workspace-packages.js'

// Every ts/js block of every README, SECURITY.md and docs/ page is type-checked as a user would copy
// it: its own ES module, strict, once with `moduleResolution: node16` and once with `bundler`, against
// the built packages. Markers (HTML comments, invisible on GitHub) written above a block:
//   <!-- docs-test: skip <reason> -->        a deliberately partial block, skipped with its name and reason
//   <!-- docs-test: context … -->            the imports and declarations the file's later fragments assume
//                                            (`app`, `catalog`); put before each block, minus the names it declares
// A line ending in `// compile error…` must fail to compile (the README promises it does); no other may.
// `./errors.js` is test/fixtures/docs/errors.ts, the root README's catalog.

// Two TypeScript programs over every block: about 10 s of CPU, minutes on a loaded machine.
t.setTimeout(600_000)

const CONFIGS: Record<string, ts.CompilerOptions> = {
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }
}
const COMMON: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true
}

const all = repositoryCodeBlocks(ROOT)
const blocks = all.filter(b => CHECKED_LANGS.has(b.lang))
const files = [...new Set(blocks.map(b => b.file))]
t.ok(files.includes('README.md') && files.some(f => f.startsWith('packages/')), `blocks found in ${files.length} Markdown files`)

const scratch = mkdtempSync(join(tmpdir(), 'errcodes-docs-'))
t.teardown(() => { rmSync(scratch, { recursive: true, force: true }) })
writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'docs-blocks', private: true, type: 'module' }))
copyFileSync(join(ROOT, 'test/fixtures/docs/errors.ts'), join(scratch, 'errors.ts'))

const checked = blocks.filter(b => b.skip === undefined).map(block => {
  const js = block.lang.startsWith('j') || block.lang === 'mjs'
  const base = join(scratch, `${block.file.replace(/[^\w]+/g, '-')}-${block.line}`)
  const path = `${base}.${js ? 'js' : 'ts'}`
  let header = ''
  if (block.context !== undefined && js) {
    // A JavaScript block gets the context's names from a companion TypeScript module.
    const companion = contextModuleFor(block.context, block.code, `./${basename(base)}.context.js`)
    writeFileSync(`${base}.context.ts`, companion.module)
    header = companion.header
  } else if (block.context !== undefined) {
    header = contextFor(block.context, block.code)
  }
  // `export {}` makes every block a module, so that two blocks declaring the same name do not collide.
  writeFileSync(path, header + block.code + 'export {}\n')
  return { block, path, headerLines: header === '' ? 0 : header.split('\n').length - 1 }
})

const linked = linkDependencies(scratch, checked.flatMap(({ block }) => [block.code, block.context ?? '']), ['@types/node'])
t.same(linked.missing, [], 'every package a block imports is provided by the workspace')

// diagnostics[config] = the diagnostics of each generated file, one program per configuration.
const roots = [join(scratch, 'errors.ts'), ...checked.map(c => c.path)]
const companions = readdirSync(scratch).filter(f => f.endsWith('.context.ts')).map(f => join(scratch, f))
const diagnostics: Record<string, Map<string, readonly ts.Diagnostic[]>> = {}
for (const [name, specific] of Object.entries(CONFIGS)) {
  const program = ts.createProgram({ rootNames: [...roots, ...companions], options: { ...COMMON, ...specific } })
  t.same([...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(d => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], `${name}: the options are valid`)
  diagnostics[name] = new Map([...roots, ...companions].map(root => {
    const source = program.getSourceFile(root)
    return [root, source === undefined ? [] : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]]
  }))
  for (const file of [roots[0], ...companions]) {
    t.same(diagnostics[name].get(file)?.map(d => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], `${name}: ${basename(file)} (the fixture catalog, or a JavaScript block's context) compiles`)
  }
}

for (const { block, path, headerLines } of checked) {
  t.test(`${block.file}:${block.line} (${block.lang})`, async t => {
    const lines = block.code.split('\n')
    const expected = new Set(lines.flatMap((l, i) => /\/\/ compile error/.test(l) ? [i] : []))
    for (const [name, byFile] of Object.entries(diagnostics)) {
      const found = new Map<number, string[]>()
      for (const d of byFile.get(path) ?? []) {
        const line = (d.file === undefined || d.start === undefined ? 0 : d.file.getLineAndCharacterOfPosition(d.start).line) - headerLines
        found.set(line, [...(found.get(line) ?? []), `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`])
      }
      const unexpected = [...found].filter(([line]) => !expected.has(line))
        .map(([line, messages]) => `${line < 0 ? `${block.file} docs-test context` : `${block.file}:${block.line + line}`}: ${messages.join('; ')}`)
      t.same(unexpected, [], `${name}: compiles under strict`)
      for (const line of expected) t.ok(found.has(line), `${name}: ${block.file}:${block.line + line} fails to compile, as the README says`)
    }
  })
}

// Under pnpm only what a user installed is importable: a block may not import a package that reaches
// the user only as a dependency of ours (e.g. `@sinclair/typebox`, which core re-exports) unless an
// install command in the READMEs tells the user to install it.
t.test('blocks import only packages the READMEs tell users to install', async t => {
  const installed = new Set(all.filter(b => ['sh', 'bash', 'shell', ''].includes(b.lang))
    .flatMap(b => b.code.split('\n'))
    .flatMap(line => /\b(?:npm (?:i|install|add)|pnpm add|yarn add)\s+(.*)$/.exec(line)?.[1].split(/\s+/) ?? [])
    .filter(word => /^@?[a-z]/.test(word))
    .map(word => word.replace(/(?<=.)@[^/]*$/, '')))
  const ours = new Set(workspacePackages().map(p => p.manifest.name))
  const transitive = new Set(workspacePackages().flatMap(p => Object.keys(p.manifest.dependencies ?? {})).filter(name => !ours.has(name)))
  const wrong = blocks.flatMap(b => importedPackages(b.code).filter(name => transitive.has(name) && !installed.has(name)).map(name => `${b.file}:${b.line} imports ${name}`))
  t.same(wrong, [], 'every such import has an install command')
  t.ok(transitive.has('@sinclair/typebox'), 'the rule knows the dependencies of our packages')
})

for (const block of blocks.filter(b => b.skip !== undefined)) {
  t.test(`${block.file}:${block.line} (${block.lang})`, { skip: `marked partial: ${block.skip ?? ''}` }, async () => {})
}
