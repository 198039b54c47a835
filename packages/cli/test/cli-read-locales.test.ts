import t from 'tap'
import { join } from 'node:path'
import { createI18n } from '@errcodes/i18n'
import { CliError } from '../src/cli-error.js'
import { readLocales } from '../src/read-locales.js'

t.test('flattens nested objects to dot keys, one Map per locale', async t => {
  const dir = t.testdir({
    'en.json': JSON.stringify({ errors: { a: 'A', nested: { b: 'B' } }, 'errors.c': 'C' }),
    'pt-BR.json': '\ufeff' + JSON.stringify({ errors: { a: 'Á' } }),
    'README.md': 'ignored'
  })
  const read = await readLocales(dir, '/')
  t.same(read.locales, ['en', 'pt-BR'])
  t.same([...(read.messages.get('en') ?? [])], [['errors.a', 'A'], ['errors.nested.b', 'B'], ['errors.c', 'C']])
  t.equal(read.messages.get('pt-BR')?.get('errors.a'), 'Á', 'a BOM is tolerated')
  t.same(read.warnings, [])
})

t.test('a folder createI18n refuses is refused, never published: the same reader and rules', async t => {
  const dir = t.testdir({
    proto: { 'en.json': '{"errors": {"ok": "fine"}}', 'ko.json': '{"__proto__": {"polluted": "x"}, "errors": {"ok": "좋아"}}' },
    name: { 'en.json': '{"a": "A"}', 'ko_KR.json': '{"a": "에이"}' },
    leaf: { 'en.json': '{"errors": {"n": 5}}' },
    icu: { 'en.json': '{"errors": {"ok": "fine"}}', 'ko.json': '{"errors": {"ok": "{userId", "plural": "{n, plural, one {#}}"}}' }
  })
  await t.rejects(readLocales('proto', dir), { message: /^--locales proto cannot be loaded: proto\/ko\.json __proto__: reserved key "__proto__"$/, exitCode: 2 })
  await t.rejects(readLocales('name', dir), { message: /^--locales name cannot be loaded: name\/ko_KR\.json: file name is not a canonical BCP 47 tag; rename it to ko-KR\.json$/ })
  await t.rejects(readLocales('leaf', dir), { message: /leaf\/en\.json errors\.n: / })
  // A message that does not compile: createI18n refuses the folder, so `errcodes docs` must not publish it.
  t.throws(() => createI18n({ dir: join(dir, 'icu'), watch: false }), { name: 'LocaleLoadError', message: /invalid ICU message/ })
  await t.rejects(readLocales('icu', dir), { message: /^--locales icu cannot be loaded: icu\/ko\.json errors\.ok: invalid ICU message: .*\(and 1 more; errcodes check --locales lists them all\)$/, exitCode: 2 })
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('bad directories and files throw one-line CliErrors', async t => {
  const dir = t.testdir({
    empty: {},
    array: { 'en.json': '["a"]' },
    deep: { 'en.json': '{"a":'.repeat(40) + '"x"' + '}'.repeat(40) },
    many: { 'en.json': '{"a": "A"}', 'de.json': '{', 'fr.json': '{' }
  })
  await t.rejects(readLocales('empty', dir), new CliError('--locales empty holds no <locale>.json file (such as en.json)'))
  await t.rejects(readLocales('array', dir), { message: '--locales array cannot be loaded: array/en.json: the file must hold one JSON object' })
  await t.rejects(readLocales('deep', dir), { message: /^--locales deep cannot be loaded: deep\/en\.json.*deeper than 32/ })
  await t.rejects(readLocales('many', dir), { message: /many\/de\.json: invalid JSON .*\(and 1 more; errcodes check --locales lists them all\)$/ })
  await t.rejects(readLocales('missing', dir), { message: '--locales missing does not exist', exitCode: 2 })
})
