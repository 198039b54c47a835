import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildApp } from '../src/app.js'

// A client written against the generated types: per status it narrows on error_code with an
// exhaustive switch (the `never` default breaks the build when the document gains a code) and reads
// the narrowed error's own fields (CARD_DECLINED's detail, PAYMENT_PROVIDER_DOWN's retry_after).
const client = `
import type { paths } from './schema.js'

type Pay = paths['/orders/{id}/pay']['post']['responses']
type Json<S extends keyof Pay> = Pay[S] extends { content: { 'application/json': infer B } } ? B : never
type Problem<S extends keyof Pay> = Pay[S] extends { content: { 'application/problem+json': infer B } } ? B : never

export function badRequest (body: Json<400>): string {
  switch (body.error_code) {
    case 491: return (body.errors ?? []).map(issue => issue.field + ': ' + issue.message).join('; ')
    case 490: return 'bad request: ' + body.message
    case 492: return 'fix the JSON: ' + body.message
    default: { const unreachable: never = body; return unreachable }
  }
}

export function declined (body: Json<402>): number {
  switch (body.error_code) {
    case 601: { const attempts: number = body.detail?.attempts ?? 0; return attempts }
    default: { const unreachable: never = body.error_code; return unreachable }
  }
}

export function unavailable (body: Problem<503>): number {
  switch (body.error_code) {
    case 650: { const seconds: number = body.retry_after; return seconds }
    default: { const unreachable: never = body.error_code; return unreachable }
  }
}

export function tooMany (body: Json<429>): string {
  switch (body.error_name) {
    case 'QUOTA_EXCEEDED': return body.message + ' (retry in ' + String(body.retry_after) + ' s)'
    default: { const unreachable: never = body.error_name; return unreachable }
  }
}
`
// The same client forgetting MALFORMED_BODY: the exhaustive switch must not compile.
const forgetful = client.replace("    case 492: return 'fix the JSON: ' + body.message\n", '')

function typeCheck (dir: string, source: string): string[] {
  const file = join(dir, 'client.ts')
  writeFileSync(file, source)
  const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] })
  return ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

t.test('types generated from the demo document with openapi-typescript narrow on error_code per status', async t => {
  const app = await buildApp()
  t.teardown(() => app.close())
  await app.ready()
  const dir = t.testdir({ 'package.json': JSON.stringify({ type: 'module' }) })
  writeFileSync(join(dir, 'schema.d.ts'), astToString(await openapiTS(app.swagger() as never)))
  t.same(typeCheck(dir, client), [], 'the exhaustive client compiles')
  const errors = typeCheck(dir, forgetful)
  t.ok(errors.some(e => /not assignable to type 'never'/.test(e)), 'a client missing a code does not compile', { errors })
})
