import t from 'tap'
import { CliError } from '../src/cli/cli-error.js'
import { readLocales } from '../src/cli/read-locales.js'

t.test('flattens nested objects to dot keys, one Map per locale', async t => {
  const dir = t.testdir({
    'en.json': JSON.stringify({ errors: { a: 'A', nested: { b: 'B' } }, 'errors.c': 'C' }),
    'pt-BR.json': '\ufeff' + JSON.stringify({ errors: { a: 'Á' } }),
    'README.md': 'ignored',
    'not a locale.json': '{}'
  })
  const read = await readLocales(dir, '/')
  t.same(read.locales, ['en', 'pt-BR'])
  t.same([...(read.messages.get('en') ?? [])], [['errors.a', 'A'], ['errors.nested.b', 'B'], ['errors.c', 'C']])
  t.equal(read.messages.get('pt-BR')?.get('errors.a'), 'Á', 'a BOM is tolerated')
  t.same(read.warnings, [])
})

t.test('reserved, empty and non-string keys are skipped with a warning; nothing reaches a prototype', async t => {
  const dir = t.testdir({
    'en.json': '{"__proto__": {"polluted": "x"}, "errors": {"constructor": {"prototype": "y"}, "ok": "fine", "n": 5, "list": ["a"], "": "empty", "a..b": "dots"}, "errors.ok": "again"}'
  })
  const read = await readLocales(dir, '/')
  t.same([...(read.messages.get('en') ?? [])], [['errors.ok', 'again']])
  t.equal(read.warnings.length, 7)
  t.match(read.warnings.join('\n'), /"__proto__" is reserved.*\n.*"errors\.constructor" is reserved.*\n.*errors\.n is not a string.*\n.*errors\.list is not a string.*\n.*"errors\." is reserved or empty.*\n.*"errors\.a\.\.b" is reserved or empty.*\n.*errors\.ok is defined twice/)
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('bad directories and files throw one-line CliErrors', async t => {
  const dir = t.testdir({
    empty: {},
    array: { 'en.json': '["a"]' },
    deep: { 'en.json': '{"a":'.repeat(20) + '"x"' + '}'.repeat(20) }
  })
  await t.rejects(readLocales('empty', dir), new CliError('--locales empty holds no <locale>.json file (such as en.json)'))
  await t.rejects(readLocales('array', dir), { message: 'locale file en.json must hold a JSON object of messages' })
  await t.rejects(readLocales('deep', dir), { message: /locale file en\.json nests deeper than 16 levels/ })
  await t.rejects(readLocales('missing', dir), { message: '--locales missing does not exist', exitCode: 2 })
})
