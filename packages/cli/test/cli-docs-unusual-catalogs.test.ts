import t from 'tap'
import { spawnCli } from './fixtures/spawn-cli.js'

// schema-shapes.mjs: one deprecated code (deprecated: true, no text), no description, params of every
// JSON-schema shape the reference labels, and a detail object without fields.

t.test('docs --format json labels every schema shape a param can have', async t => {
  const run = await spawnCli(['docs', 'schema-shapes.mjs', '--format', 'json'])
  t.equal(run.code, 0, run.stderr)
  const ref = JSON.parse(run.stdout)
  t.same(ref.locales, [])
  const [entry] = ref.domains[0].entries
  t.equal(entry.deprecated, true)
  t.notOk('description' in entry, 'no description key when the catalog has none')
  t.same(entry.params.map((p: { name: string, type: string, required: boolean }) => [p.name, p.type, p.required]), [
    ['mode', '"strict"', false],
    ['color', '"red" | "green"', false],
    ['id', 'string (uuid) | integer', false],
    ['ref', 'string | null', false],
    ['note', 'string | null', false],
    ['extra', 'any', false],
    // Nesting deeper than the label shows ends in `any` instead of an unbounded label.
    ['grid', 'array<array<array<array<array<any>>>>>', false]
  ])
  t.same(entry.detail, [], 'a detail object without properties has no rows')
  t.same(entry.detailSchema, { type: 'object', properties: {} })
})

t.test('docs --format md: singular counts, a bare deprecation, no description paragraph', async t => {
  const run = await spawnCli(['docs', 'schema-shapes.mjs'])
  t.equal(run.code, 0, run.stderr)
  const md = run.stdout
  t.match(md, '\n1 error code in 1 domain.\n')
  t.match(md, '\n> **Deprecated**.\n')
  t.match(md, '| `color` | "red" \\| "green" | no |  |', 'a union is escaped inside a table cell')
  t.notMatch(md, /\n\*\*Detail\*\*\n\n\| Name/, 'no detail table without fields')
  t.match(md, '**Detail**\n\n<details><summary>Detail schema</summary>')
})

t.test('docs --format html: singular counts, a bare deprecation, the detail schema without a table', async t => {
  const run = await spawnCli(['docs', 'schema-shapes.mjs', '--format', 'html'])
  t.equal(run.code, 0, run.stderr)
  const html = run.stdout
  t.match(html, '<p class="muted">1 error code in 1 domain.</p>')
  t.match(html, '<p class="deprecated">Deprecated.</p>')
  t.notMatch(html, '<p class="description">')
  t.match(html, '<h4>Detail</h4>\n<details><summary>Detail schema</summary>', 'the detail schema is shown without an empty table')
  t.match(html, '<td>&quot;red&quot; | &quot;green&quot;</td>')
})

t.test('docs --format md keeps code spans and safe links of a description, and never a script link', async t => {
  const core = JSON.stringify(new URL('../../core/dist/index.js', import.meta.url).href)
  const dir = t.testdir({
    'errors.mjs': `import { defineErrors } from ${core}
export default defineErrors({ LINKED: { code: 902, domain: 'CUSTOM', status: 400, message: 'Linked',
  description: 'Call \`retry<T>()\` first; see [the guide](https://docs.example.com/guide#retry) or [home](#top), never [this](javascript:alert%281%29) *now*.' } })
`
  })
  const run = await spawnCli(['docs', 'errors.mjs'], { cwd: dir })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, '\nCall `retry<T>()` first; see [the guide](https://docs.example.com/guide#retry) or [home](#top), never \\[this\\](javascript:alert%281%29) \\*now\\*.\n')
})
