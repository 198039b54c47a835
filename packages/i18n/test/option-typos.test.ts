import t from 'tap'
import { checkLocales, createI18n, createLocaleMatcher, negotiateLocale, readLocaleFolder } from '../src/index.js'
import { errors } from './fixtures/catalog.mjs'

// A misspelled option used to be accepted and do nothing; each is now a TypeError that starts with
// the function's name and suggests the closest valid key.
const seed = new URL('./fixtures/seed/', import.meta.url)

t.test('readLocaleFolder refuses an unknown option', async t => {
  t.throws(() => readLocaleFolder(seed, { maxFileSise: 10 } as never), { name: 'TypeError', message: /^readLocaleFolder: unknown option "maxFileSise"; did you mean "maxFileSize"\?/ })
  t.throws(() => readLocaleFolder(seed, null as never), { name: 'TypeError', message: /^readLocaleFolder: options must be an object/ })
  t.ok(readLocaleFolder(seed, { maxFileSize: 1024 * 1024 }).layers.length > 0)
})

t.test('checkLocales refuses an unknown option', async t => {
  t.throws(() => checkLocales({ catalog: errors, dir: seed, defaultLocal: 'en' } as never), { name: 'TypeError', message: /^checkLocales: unknown option "defaultLocal"; did you mean "defaultLocale"\?/ })
  t.throws(() => checkLocales(undefined as never), { name: 'TypeError', message: /^checkLocales: options must be an object/ })
  t.ok(Array.isArray(checkLocales({ catalog: errors, dir: seed, defaultLocale: 'en' })))
})

t.test('createLocaleMatcher refuses an unknown option and a missing defaultLocale with a clear TypeError', async t => {
  t.throws(() => createLocaleMatcher(['en'], { defaultLocale: 'en', cachSize: 5 } as never), { name: 'TypeError', message: /^createLocaleMatcher: unknown option "cachSize"; did you mean "cacheSize"\?/ })
  t.throws(() => createLocaleMatcher(['en'], {} as never), { name: 'TypeError', message: /^createLocaleMatcher: option "defaultLocale" is required/ })
  t.throws(() => createLocaleMatcher(['en'], undefined as never), { name: 'TypeError', message: /^createLocaleMatcher: options must be an object/ })
  t.throws(() => createLocaleMatcher('en' as never, { defaultLocale: 'en' }), { name: 'TypeError', message: /^createLocaleMatcher: available must be an array of locale tags/ })
  t.throws(() => createLocaleMatcher(['en'], { defaultLocale: 'en', fallbackLocales: 'fr' as never }), { name: 'TypeError', message: /^createLocaleMatcher: option "fallbackLocales"/ })
  t.throws(() => createLocaleMatcher(['en'], { defaultLocale: 'en', cacheSize: -1 }), { name: 'TypeError', message: /^createLocaleMatcher: option "cacheSize"/ })
  t.equal(createLocaleMatcher(['en', 'fr'], { defaultLocale: 'en', fallbackLocales: ['fr'], cacheSize: 10 }).match('fr-CA'), 'fr')
  t.equal(negotiateLocale('fr', ['en', 'fr']), 'fr')
})

t.test('createI18n still builds its matcher from its own options (watch, dir, … are not matcher options)', async t => {
  const i18n = createI18n({ dir: seed, defaultLocale: 'en', fallbackLocales: ['ko'], cacheSize: 10 })
  t.equal(i18n.negotiate('ko-KR'), 'ko-KR')
})
