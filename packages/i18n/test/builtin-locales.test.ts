import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { builtinLocalesDir } from '../src/builtin-locales.js'

const ROOT_LOCALES = fileURLToPath(new URL('../../../locales/', import.meta.url))

t.test('in the repository the top-level locales/ is found', async (t) => {
  const fromDist = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url)))
  const packaged = fileURLToPath(new URL('../locales/', import.meta.url))
  t.equal(builtinLocalesDir(fromDist), existsSync(packaged + 'en.json') ? packaged : ROOT_LOCALES)
})

t.test('a published package finds the copy beside dist/ that prepack makes', async (t) => {
  const pkg = t.testdir({ dist: { 'index.js': '' } })
  const script = fileURLToPath(new URL('../scripts/copy-locales.mjs', import.meta.url))
  const r = spawnSync(process.execPath, [script, join(pkg, 'locales')], { encoding: 'utf8', timeout: 30_000 })
  t.equal(r.status, 0, r.stderr)
  t.same(readdirSync(join(pkg, 'locales')).sort(), readdirSync(ROOT_LOCALES).filter(n => n.endsWith('.json')).sort())
  t.equal(builtinLocalesDir(pathToFileURL(join(pkg, 'dist', 'index.js'))), join(pkg, 'locales') + '/')
  const empty = mkdtempSync(join(tmpdir(), 'errcodes-i18n-'))
  t.teardown(() => rmSync(empty, { recursive: true, force: true }))
  t.equal(builtinLocalesDir(pathToFileURL(join(empty, 'a', 'b', 'c', 'index.js'))), undefined, 'nothing found: undefined')
})
