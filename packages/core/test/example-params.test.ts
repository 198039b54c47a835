import t from 'tap'
import { Type } from '@sinclair/typebox'
import { defineErrors, entryBodyFields, exampleBody, exampleParams } from '../src/index.js'

// Docs (the CLI reference, OpenAPI examples) show a body rendered from sample params: each value
// comes from the schema's own hints first, then from its type.
const catalog = defineErrors({
  IMPORT_REJECTED: {
    code: 901,
    domain: 'CUSTOM',
    status: 422,
    retryAfter: 30,
    message: 'Import {fileId} by {email} at {when} from {source} ({mode}, {tier}, {kind}) rejected: {count} rows, retry in {retrySeconds}s',
    params: Type.Object({
      fileId: Type.String(),
      email: Type.String({ format: 'email' }),
      when: Type.String({ format: 'date-time' }),
      source: Type.String({ format: 'uri' }),
      mode: Type.String({ examples: ['dry-run'] }),
      tier: Type.String({ default: 'gold' }),
      kind: Type.Literal('csv'),
      count: Type.Integer({ minimum: 1 }),
      retrySeconds: Type.Integer()
    }),
    detail: Type.Object({
      ratio: Type.Number(),
      strict: Type.Boolean(),
      rows: Type.Array(Type.Integer()),
      owner: Type.Object({ name: Type.String(), team: Type.Unsafe<string>({ enum: ['core', 'edge'] }) }),
      note: Type.String(),
      extra: Type.Unknown()
    })
  }
})

t.test('sample params from examples, default, const, enum, formats and types', async t => {
  const entry = catalog.IMPORT_REJECTED
  t.same(exampleParams(entry.params, entry), {
    fileId: '42',
    email: 'ann@example.com',
    when: '2026-01-16T10:00:00.000Z',
    source: 'https://example.com/',
    mode: 'dry-run',
    tier: 'gold',
    kind: 'csv',
    count: 1,
    retrySeconds: 30
  })
  t.same(exampleParams(entry.detail), { ratio: 3, strict: true, rows: [], owner: { name: '<name>', team: 'core' }, note: '<note>', extra: '<extra>' })
  t.equal(exampleParams(undefined), undefined)
})

t.test('the example bodies render the message from them, and the problem type from typeBaseUrl', async t => {
  const entry = catalog.IMPORT_REJECTED
  const json = exampleBody(entry)
  t.equal(json.message, 'Import 42 by ann@example.com at 2026-01-16T10:00:00.000Z from https://example.com/ (dry-run, gold, csv) rejected: 1 rows, retry in 30s')
  t.equal(json.retry_after, 30)
  const problem = exampleBody(entry, 'problem', { typeBaseUrl: 'https://docs.example.com/errors#' })
  t.equal(problem.type, 'https://docs.example.com/errors#IMPORT_REJECTED')
  t.match(entryBodyFields(entry, 'problem', { typeBaseUrl: 'https://docs.example.com/errors#' }).properties.type, { const: 'https://docs.example.com/errors#IMPORT_REJECTED' }, 'the response schema pins the same type')
})
