import t from 'tap'
import ts from 'typescript'
import { fileURLToPath } from 'node:url'

// The presets live in core, which cannot import the other packages' types: each section is typed
// structurally there. This compiles a user's wiring against the built packages, as a user's compiler
// sees them, so a section that drifts from its package's options fails here.
t.test('every preset section type-checks against the function it is for, and only that one', async t => {
  const file = fileURLToPath(new URL('./fixtures/presets-types.ts', import.meta.url))
  const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] })
  const diagnostics = ts.getPreEmitDiagnostics(program).map(d => `${d.file?.fileName ?? ''}:${d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? 0}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
  t.same(diagnostics, [], 'no diagnostics, and every @ts-expect-error is used')
  const source = ts.sys.readFile(file) ?? ''
  t.equal((source.match(/^ {2}\/\/ @ts-expect-error/gm) ?? []).length, 5, 'the fixture holds the wrong-use cases')
})
