import t from 'tap'
import { Type, defineErrors, type CatalogExport } from '@errcodes/core'
import { diffCatalogs } from '../src/diff-catalogs.js'
import { exportProblem } from '../src/read-export.js'

const exportOf = (defs: Parameters<typeof defineErrors>[0]): CatalogExport => JSON.parse(JSON.stringify(defineErrors(defs).toJSON()))
const kinds = (d: ReturnType<typeof diffCatalogs>): { breaking: string[], nonBreaking: string[] } =>
  ({ breaking: d.breaking.map(c => c.kind), nonBreaking: d.nonBreaking.map(c => c.kind) })

const v1 = exportOf({
  A: { code: 301, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.String() }), detail: Type.Object({ id: Type.String(), hint: Type.Optional(Type.String()) }) },
  B: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' }
})

t.test('no change', async t => {
  t.same(kinds(diffCatalogs(v1, v1)), { breaking: [], nonBreaking: [] })
})

t.test('a renumbered entry whose old number is reused reports both, once each', async t => {
  const v2 = exportOf({
    A: { code: 305, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.String() }), detail: Type.Object({ id: Type.String(), hint: Type.Optional(Type.String()) }) },
    B: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' },
    C: { code: 301, domain: 'RESOURCE', status: 404, message: 'C' }
  })
  const d = diffCatalogs(v1, v2)
  t.same(kinds(d), { breaking: ['name-changed', 'number-changed'], nonBreaking: [] })
  t.match(d.breaking[0].message, 'code 301 was A and is now C')
  t.match(d.breaking[1].message, 'A changed its code from 301 to 305')
})

t.test('a renamed entry is one name change, not a removal plus an addition', async t => {
  const v2 = exportOf({
    A: { code: 301, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.String() }), detail: Type.Object({ id: Type.String(), hint: Type.Optional(Type.String()) }) },
    B_RENAMED: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' }
  })
  t.same(kinds(diffCatalogs(v1, v2)), { breaking: ['name-changed'], nonBreaking: [] })
})

t.test('detail fields are outputs: removing or loosening one breaks clients, adding or tightening does not', async t => {
  const withDetail = (detail: ReturnType<typeof Type.Object>): CatalogExport => exportOf({
    A: { code: 301, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.String() }), detail },
    B: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' }
  })
  t.same(kinds(diffCatalogs(v1, withDetail(Type.Object({ id: Type.Optional(Type.String()), hint: Type.Optional(Type.String()) })))).breaking, ['detail-now-optional'])
  t.same(kinds(diffCatalogs(v1, withDetail(Type.Object({ id: Type.String(), hint: Type.String() })))), { breaking: [], nonBreaking: ['detail-now-required'] })
  t.same(kinds(diffCatalogs(v1, withDetail(Type.Object({ id: Type.String(), hint: Type.Optional(Type.String()), extra: Type.Number() })))), { breaking: [], nonBreaking: ['detail-added-required'] })
  t.same(kinds(diffCatalogs(v1, withDetail(Type.Object({ id: Type.Number(), hint: Type.Optional(Type.String()) })))).breaking, ['detail-type-changed'])
})

t.test('params made optional are not breaking; schema annotations are not type changes', async t => {
  const v2 = exportOf({
    A: { code: 301, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.Optional(Type.String({ description: 'now documented' })) }), detail: Type.Object({ id: Type.String({ title: 'Id' }), hint: Type.Optional(Type.String()) }) },
    B: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' }
  })
  t.same(kinds(diffCatalogs(v1, v2)), { breaking: [], nonBreaking: ['param-now-optional'] })
})

t.test('removing all params or replacing an object schema by a non-object one is breaking', async t => {
  const noParams = structuredClone(v1) as unknown as { errors: Array<Record<string, unknown>> }
  delete noParams.errors[0].params
  t.same(kinds(diffCatalogs(v1, noParams as unknown as CatalogExport)).breaking, ['param-removed'])
  const union = structuredClone(v1) as unknown as { errors: Array<Record<string, unknown>> }
  union.errors[0].params = { anyOf: [{ type: 'string' }, { type: 'number' }] }
  t.same(kinds(diffCatalogs(v1, union as unknown as CatalogExport)).breaking, ['param-schema-changed'])
})

t.test('other entry fields are non-breaking notes', async t => {
  const v2 = exportOf({
    A: { code: 301, domain: 'RESOURCE', status: 404, message: 'A {id}', params: Type.Object({ id: Type.String() }), detail: Type.Object({ id: Type.String(), hint: Type.Optional(Type.String()) }), severity: 'high', title: 'Gone A', messageKey: 'errors.a2', deprecated: true, retryAfter: 5, headers: { 'x-a': '1' }, expose: false },
    B: { code: 302, domain: 'RESOURCE', status: 404, message: 'B' }
  })
  t.same(kinds(diffCatalogs(v1, v2)).nonBreaking.sort(), ['deprecation-changed', 'expose-changed', 'headers-changed', 'message-key-changed', 'retry-after-changed', 'severity-changed', 'title-changed'])
  t.same(diffCatalogs(v1, v2).breaking, [])
})

t.test('exportProblem names what makes a file unusable', async t => {
  t.equal(exportProblem(v1), undefined)
  t.match(exportProblem([]), 'expected a JSON object')
  t.match(exportProblem({ version: 2, domains: [], errors: [] }), 'unsupported version 2')
  t.match(exportProblem({ version: 1, domains: {}, errors: [] }), 'domains must be an array')
  t.match(exportProblem({ version: 1, domains: [], errors: null }), 'errors must be an array')
  t.match(exportProblem({ version: 1, domains: [{ name: 'X', from: 'a', to: 1 }], errors: [] }), 'domains[0]')
  t.match(exportProblem({ version: 1, domains: [], errors: [{ name: 'A', code: 1 }] }), 'errors[0] must have')
  t.match(exportProblem({ version: 1, domains: [], errors: [{ name: 'A', code: 1, status: 400 }, { name: 'A', code: 2, status: 400 }] }), 'error A appears twice')
  t.match(exportProblem({ version: 1, domains: [], errors: [{ name: 'A', code: 1, status: 400 }, { name: 'B', code: 1, status: 400 }] }), 'code 1 appears twice')
  t.match(exportProblem({ version: 1, domains: [], errors: [{ name: 'A', code: 1, status: 400, params: 'x' }] }), 'errors[0].params must be a schema object')
})

t.test('a hostile export cannot pollute prototypes or loop forever', async t => {
  const hostile = JSON.parse('{"version":1,"domains":[],"errors":[{"name":"A","code":301,"status":404,"params":{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"string"}},"required":["__proto__"]}}]}') as CatalogExport
  let deep: Record<string, unknown> = {}
  const root = deep
  for (let i = 0; i < 10_000; i++) deep = (deep.x = {}) as Record<string, unknown>
  const deepExport = { version: 1, domains: [], errors: [{ name: 'A', code: 301, status: 404, detail: { type: 'object', properties: { a: root } } }] } as unknown as CatalogExport
  const d = diffCatalogs(hostile, { version: 1, domains: [], errors: [{ name: 'A', code: 301, status: 404 }] })
  t.same(d.breaking.map(c => c.message).sort(), ['A (301) no longer has the param __proto__', 'A (301) no longer has the param constructor'])
  t.equal(({} as Record<string, unknown>).type, undefined)
  t.same(diffCatalogs(deepExport, deepExport).breaking, [], 'a 10 000-level schema is compared within the depth cap')
})
