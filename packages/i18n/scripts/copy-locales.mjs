// Copies the repository's top-level locales/ into this package (run by `prepack`), so a published
// @errcodes/i18n carries its built-in messages in locales/ beside dist/.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const from = fileURLToPath(new URL('../../../locales/', import.meta.url))
const to = process.argv[2] ?? fileURLToPath(new URL('../locales/', import.meta.url))
if (!existsSync(from + 'en.json')) {
  console.error(`copy-locales: ${from}en.json not found`)
  process.exit(1)
}
rmSync(to, { recursive: true, force: true })
cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.md') })
console.log(`copy-locales: ${readdirSync(to).length} files to ${to}`)
