import t from 'tap'
import ts from 'typescript'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

// The repository's compiler options (tsconfig.base.json), without emitting anything.
function compile (files: string[]): readonly ts.Diagnostic[] {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.base.json')
  if (configPath === undefined) throw new Error('tsconfig.base.json not found')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, composite: false, declaration: false, declarationMap: false, incremental: false }
  const program = ts.createProgram(files, options)
  return ts.getPreEmitDiagnostics(program)
}

function show (d: ts.Diagnostic): string {
  const where = d.file === undefined || d.start === undefined ? '' : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
  return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
}

t.test('params are checked at compile time (every @ts-expect-error is used, correct lines compile)', async t => {
  const diagnostics = compile([fixture('typed-params.ts')])
  t.same(diagnostics.map(show), [], 'zero diagnostics')
  const source = ts.sys.readFile(fixture('typed-params.ts')) ?? ''
  t.ok((source.match(/@ts-expect-error/g) ?? []).length >= 10, 'the fixture holds the expected-error cases')
})

t.test('a deliberately wrong fixture gives the expected diagnostic', async t => {
  const diagnostics = compile([fixture('typed-params-wrong.ts')])
  t.equal(diagnostics.length, 1, diagnostics.map(show).join('\n'))
  const d = diagnostics[0]
  t.equal(d.code, 2322)
  t.match(ts.flattenDiagnosticMessageText(d.messageText, '\n'), "Type 'number' is not assignable to type 'string'")
  t.equal(d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line, 4, 'on the create() line')
})
