import t from 'tap'
import { join } from 'node:path'
import { localeOfFile, readLocaleDir, readLocaleDirSync } from '../src/read-locale-dir.js'

t.test('file names must be canonical BCP 47 tags', async (t) => {
  t.same(localeOfFile('ko-KR.json'), { locale: 'ko-KR' })
  t.same(localeOfFile('zh-Hant.json'), { locale: 'zh-Hant' })
  t.same(localeOfFile('en-x-pirate.json'), { locale: 'en-x-pirate' })
  t.same(localeOfFile('ko_KR.json'), { problem: 'file name is not a canonical BCP 47 tag; rename it to ko-KR.json' })
  t.same(localeOfFile('ko-kr.json'), { problem: 'file name is not a canonical BCP 47 tag; rename it to ko-KR.json' })
  t.match(localeOfFile('../en.json'), { problem: /not a canonical/ })
  t.match(localeOfFile('i-klingon.json'), { problem: /not a canonical/ })
  t.match(localeOfFile('__proto__.json'), { problem: /not a canonical/ })
})

t.test('reads a folder, reporting bad names, big files and a missing folder', async (t) => {
  const dir = t.testdir({
    'en.json': '{"a":"A"}',
    'ko_KR.json': '{"a":"B"}',
    'big.json': '{}',
    'de.json': JSON.stringify({ a: 'x'.repeat(200) }),
    'notes.txt': 'ignored',
    'fr.json': { 'nested-dir': 'x' }
  })
  for (const read of [readLocaleDirSync(dir, 100), await readLocaleDir(dir, 100)]) {
    t.same(read.sources.map(s => s.locale), ['big', 'en'], 'big.json is a valid tag ("big" language)')
    t.same(read.problems.map(p => [p.file.slice(dir.length + 1), p.problem.slice(0, 20)]), [
      ['de.json', 'file is 208 bytes, m'],
      ['ko_KR.json', 'file name is not a c']
    ])
  }
  const missing = join(dir, 'nope')
  t.match(readLocaleDirSync(missing, 100).problems, [{ severity: 'error', file: missing, problem: 'cannot read the locale folder (ENOENT)' }])
  t.match((await readLocaleDir(missing, 100)).problems, [{ problem: 'cannot read the locale folder (ENOENT)' }])
})
