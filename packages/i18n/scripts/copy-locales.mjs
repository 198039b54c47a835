// Copies the repository's top-level locales/ into this package (run by `prepack`), so a published
// @errcodes/i18n carries its built-in messages in locales/ beside dist/.
// The copy is a sync, file by file through a rename: the workspace's tests may read this folder while
// a pack runs, and must never see it empty or a file half written.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const from = fileURLToPath(new URL('../../../locales/', import.meta.url))
const to = process.argv[2] ?? fileURLToPath(new URL('../locales/', import.meta.url))
if (!existsSync(from + 'en.json')) {
  console.error(`copy-locales: ${from}en.json not found`)
  process.exit(1)
}
mkdirSync(to, { recursive: true })
const wanted = readdirSync(from).filter(name => !name.endsWith('.md'))
for (const name of wanted) {
  const content = readFileSync(join(from, name))
  if (existsSync(join(to, name)) && readFileSync(join(to, name)).equals(content)) continue
  const tmp = join(to, `.${name}.${process.pid}.tmp`)
  writeFileSync(tmp, content)
  renameSync(tmp, join(to, name))
}
for (const name of readdirSync(to)) if (!wanted.includes(name)) rmSync(join(to, name), { recursive: true, force: true })
console.log(`copy-locales: ${wanted.length} files in ${to}`)
