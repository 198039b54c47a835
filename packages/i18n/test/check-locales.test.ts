import t from 'tap'
import { fileURLToPath } from 'node:url'
import { builtinErrors, defineErrors } from '@errcodes/core'
import { checkLocales } from '../src/check-locales.js'
import { AJV_KEYWORD_PARAMS } from '../src/ajv-keyword-params.js'
import { errors } from './fixtures/catalog.mjs'

const ROOT_LOCALES = new URL('../../../locales/', import.meta.url)
const BROKEN = fileURLToPath(new URL('./fixtures/broken/', import.meta.url))

t.test('the shipped locales are complete for the built-in catalog', async (t) => {
  const findings = checkLocales({ catalog: builtinErrors, dir: ROOT_LOCALES, defaultLocale: 'en' })
  t.same(findings, [], 'no errors and no warnings')
})

t.test('the shipped locales cover every built-in entry and every common Ajv keyword', async (t) => {
  const keywords = ['required', 'type', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern', 'enum', 'const', 'additionalProperties', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf', 'anyOf', 'oneOf', 'not', 'dependentRequired', 'minProperties', 'maxProperties']
  const catalog = defineErrors({ PROBE: { code: 901, domain: 'CUSTOM', status: 400, message: 'x', messageKey: 'errors.probe' } })
  for (const locale of ['en', 'ko', 'ja', 'es', 'de', 'fr', 'zh-Hans', 'zh-Hant']) {
    const keys = [...builtinErrors.list().map(e => e.messageKey), ...keywords.map(k => `validation.${k}`)]
    const missing = checkLocales({ catalog, dir: ROOT_LOCALES }).filter(f => f.file.endsWith(`${locale}.json`) && keys.includes(f.key ?? ''))
    t.same(missing, [], locale)
  }
  for (const k of keywords) t.ok(Object.hasOwn(AJV_KEYWORD_PARAMS, k), `${k} params known`)
})

t.test('broken fixture folder: every kind of finding, naming file, key and problem', async (t) => {
  const findings = checkLocales({ catalog: errors, dir: BROKEN })
  const lines = findings.map(f => `${f.severity} ${f.file.slice(BROKEN.length)} ${f.key ?? '-'} ${f.problem}`)
  const expect = [
    /^error de\.json - invalid JSON/,
    /^error es\.json __proto__ reserved key "__proto__"/,
    /^error ko_KR\.json - file name is not a canonical BCP 47 tag; rename it to ko-KR\.json/,
    /^error fr\.json a\.b defined twice/,
    /^error ja\.json errors\.user_not_found message must be a string \(got number\)/,
    /^error en\.json errors\.unclosed invalid ICU message/,
    /^error en\.json errors\.bad_format invalid ICU message/,
    /^error en\.json errors\.no_other invalid ICU message/,
    /^error en\.json - message of OUT_OF_STOCK is missing from the default locale|^error en\.json errors\.out_of_stock message of OUT_OF_STOCK is missing/,
    /^error ko\.json errors\.user_not_found placeholder \{mail\} is not a param of USER_NOT_FOUND/,
    /^error ko\.json shared\.greeting placeholder \{nickname\} is not used by the default locale's message/,
    /^error ko\.json only_here extra key: not in the default locale en/,
    /^warning ko\.json errors\.unclosed missing in ko/,
    /^error ja\.json errors\.user_not_found missing in ja \(message of USER_NOT_FOUND\)/,
    /^error ja\.json errors\.card_declined missing in ja \(message of CARD_DECLINED\)/
  ]
  for (const re of expect) t.ok(lines.some(l => re.test(l)), `${re}`)
  t.ok(findings.every(f => typeof f.file === 'string' && typeof f.problem === 'string' && (f.severity === 'error' || f.severity === 'warning')))
})

t.test('placeholder types and Ajv params are checked', async (t) => {
  const catalog = defineErrors({
    TOO_MANY: { code: 901, domain: 'CUSTOM', status: 400, message: 'Too many: {n}', params: { type: 'object', properties: { n: { type: 'string' } } } as never }
  })
  const findings = checkLocales({
    catalog,
    messages: {
      en: { errors: { too_many: '{n, plural, one {# item} other {# items}}' }, validation: { minLength: 'at least {limit}', required: 'missing {field}' } },
      ko: { errors: { too_many: '{n}개 초과' }, validation: { minLength: '{limit}자 이상' } }
    }
  })
  t.same(findings.map(f => [f.file, f.key, f.problem]), [
    ['messages.en', 'errors.too_many', "{n} is used as a number but TOO_MANY's param n is not a number"],
    ['messages.en', 'validation.required', 'placeholder {field} is not a param of Ajv keyword required (missingProperty)'],
    ['messages.ko', 'validation.required', 'missing in ko']
  ])
  t.equal(findings[2].severity, 'warning')
})

t.test('Ajv keywords without params, and keywords Ajv does not have', async (t) => {
  const findings = checkLocales({
    catalog: defineErrors({}),
    messages: { en: { validation: { anyOf: 'must match a schema, not {schema}', myKeyword: 'custom {whatever}' } } }
  })
  t.same(findings.map(f => [f.key, f.problem]), [
    ['validation.anyOf', 'placeholder {schema} is not a param of Ajv keyword anyOf (none)']
  ], 'an unknown keyword (a custom one) is not checked')
})

t.test('in-memory messages: bad locale names and non-object messages are findings', async (t) => {
  const findings = checkLocales({ catalog: defineErrors({}), messages: { en: {}, ko_KR: {}, de: 'Nachricht' } })
  t.same(findings.map(f => [f.file, f.severity, f.problem]), [
    ['messages.ko_KR', 'error', 'locale is not a canonical BCP 47 tag'],
    ['messages.de', 'error', 'messages of a locale must be an object']
  ])
})

t.test("a regional locale takes what it lacks from its language's file", async (t) => {
  const findings = checkLocales({
    catalog: defineErrors({}),
    messages: { en: { a: 'A', b: 'B' }, pt: { a: 'Á', b: 'Bê' }, 'pt-BR': { a: 'Á!' }, 'es-MX': { a: 'A!' } }
  })
  t.same(findings.map(f => [f.file, f.key, f.problem]), [
    ['messages.es-MX', 'b', 'missing in es-MX']
  ], 'pt-BR lacks b, which pt has; es-MX has no es to fall back on')
})

t.test('default locale missing, and bad options', async (t) => {
  t.match(checkLocales({ catalog: errors, messages: { ko: {} } }), [{ severity: 'error', problem: 'the default locale en has no file' }])
  t.same(checkLocales({ catalog: errors, dir: '/nonexistent/locales' }).map(f => f.problem).filter(p => !/cannot read the locale folder/.test(p)), [],
    'a folder that cannot be read says so once, without a false missing default locale')
  t.match(checkLocales({ catalog: errors, dir: '/nonexistent/locales' }), [{ problem: /cannot read the locale folder/ }])
  t.throws(() => checkLocales({ catalog: {} as never, dir: BROKEN }), { name: 'TypeError', message: /catalog must come from defineErrors/ })
  t.throws(() => checkLocales({ catalog: errors }), { name: 'TypeError', message: /pass dir or messages/ })
  t.throws(() => checkLocales({ catalog: errors, dir: BROKEN, defaultLocale: 'en_US' }), { name: 'TypeError', message: /defaultLocale must be a canonical BCP 47 tag/ })
})

t.test('builtins: true counts the shipped messages as present', async (t) => {
  const withBuiltins = checkLocales({ catalog: builtinErrors, messages: { en: { app: { hi: 'Hi' } } }, builtins: true })
  t.same(withBuiltins.filter(f => f.severity === 'error'), [])
  const without = checkLocales({ catalog: builtinErrors, messages: { en: { app: { hi: 'Hi' } } } })
  t.equal(without.filter(f => /missing from the default locale/.test(f.problem)).length, builtinErrors.list().length)
})
